#!/usr/bin/env node
// Thin launcher: the CLI is bundled (with its libraries) into dist/index.js.
import { main } from '../dist/index.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
