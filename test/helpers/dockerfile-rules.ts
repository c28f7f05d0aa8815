// The rule checker ships with the CLI (`create-multistage check`); the tests use the same code.
export * from '../../src/check/dockerfile-rules.js';
