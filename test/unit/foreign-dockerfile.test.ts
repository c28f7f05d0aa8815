/**
 * "Keep mine" on a Dockerfile of the user's that lacks our stages (issue 10):
 * no generated script, compose service or README command may name a stage the
 * file it builds does not have, and the choice holds on a `--yes` re-run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { declaredStages } from '../../src/foreign-dockerfile.js';
import { STACKS } from '../../src/stacks/index.js';
import { fakePrompter } from '../helpers/fake-prompter.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-foreign-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

const THEIR_DOCKERFILE = 'FROM debian:trixie-slim\nCOPY . /app\nCMD ["/app/run"]\n';

function project(stack: string, dockerfile = THEIR_DOCKERFILE): string {
  const dir = path.join(root, `${stack}-${counter++}`);
  fs.mkdirSync(dir);
  writeTree(dir, { ...EXISTING_PROJECTS[stack]!, Dockerfile: dockerfile });
  return dir;
}

/** Enter on every other question (name, port, versions…): the detected or built-in default. Matched last. */
const ACCEPT_DEFAULTS = { '': 'default' } as const;

const read = (dir: string, rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');

/** Every `docker build`/`buildx build` command in the text, with the file it reads (`-f`) and the stage it builds. */
function buildCommands(text: string): { file: string; target: string; command: string }[] {
  const commands: { file: string; target: string; command: string }[] = [];
  for (const match of text.matchAll(/docker (?:buildx )?build ([^`&|\n]*)/g)) {
    const args = match[1]!;
    const target = /--target (\S+)/.exec(args)?.[1];
    if (!target || target.startsWith('<')) continue;
    commands.push({ file: /-f (\S+)/.exec(args)?.[1] ?? 'Dockerfile', target, command: match[0] });
  }
  return commands;
}

/** Fails with the command when a generated file builds a stage its Dockerfile does not declare. */
async function expectEveryNamedStageExists(dir: string): Promise<void> {
  const texts = ['package.json', 'README.Docker.md'].filter((rel) => fs.existsSync(path.join(dir, rel))).map((rel) => read(dir, rel));
  const commands = texts.flatMap(buildCommands);
  for (const { file, target, command } of commands) {
    expect((await declaredStages(read(dir, file))).has(target), `${command}: ${file} has no stage ${target}`).toBe(true);
  }
  if (fs.existsSync(path.join(dir, 'compose.yaml'))) {
    const compose = read(dir, 'compose.yaml');
    const file = /dockerfile: (\S+)/.exec(compose)?.[1] ?? 'Dockerfile';
    for (const [, target] of compose.matchAll(/^ {6}target: (\S+)$/gm)) {
      expect((await declaredStages(read(dir, file))).has(target!), `compose.yaml: ${file} has no stage ${target}`).toBe(true);
    }
  }
}

describe('declaredStages', () => {
  it('reads FROM … AS lines with flags and any case', async () => {
    const text = 'FROM --platform=$BUILDPLATFORM golang:1.25 AS Build\nfrom debian as runtime\nFROM scratch\n  FROM build AS final  \n# FROM x AS commented\n';
    expect([...(await declaredStages(text))]).toEqual(['build', 'runtime', 'final']);
  });
  it('reads a FROM split by a continuation line, and ignores a heredoc line that looks like FROM', async () => {
    const text = 'FROM golang:1.25 \\\n    AS builder\nRUN <<EOF\nFROM x AS not-a-stage\nEOF\nFROM builder AS production\n';
    expect([...(await declaredStages(text))]).toEqual(['builder', 'production']);
  });
});

// Sample projects exist for the stacks that create one; the workspace stack is existing-only.
describe.each(STACKS.filter((stack) => !stack.existingOnly).map((stack) => stack.id))('%s: a Dockerfile of the user’s without our stages', (stack) => {
  it('"write ours beside it" leaves theirs, builds only stages that exist, and a --yes re-run changes nothing (exit 0)', async () => {
    const dir = project(stack);
    const prompter = fakePrompter({ 'Dockerfile: what now?': 'beside', ...ACCEPT_DEFAULTS });
    const first = await run([dir, '--stack', stack], root, { stdinIsTTY: true, prompter });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Your Dockerfile has no `development`, `production`/);
    expect(read(dir, 'Dockerfile')).toBe(THEIR_DOCKERFILE);
    expect((await declaredStages(read(dir, 'Dockerfile.multistage'))).has('production')).toBe(true);
    const scripts = (JSON.parse(read(dir, 'package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['docker:build']).toContain('-f Dockerfile.multistage');
    expect(read(dir, 'README.Docker.md')).toContain('One `Dockerfile.multistage` builds every image');
    if (fs.existsSync(path.join(dir, 'compose.yaml'))) expect(read(dir, 'compose.yaml')).toContain('dockerfile: Dockerfile.multistage');
    await expectEveryNamedStageExists(dir);

    const before = snapshot(dir);
    const again = await run([dir, '--yes'], root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('ours is Dockerfile.multistage');
    expect(again.stdout).toContain('nothing to write');
    expect(snapshot(dir)).toEqual(before);
  });

  it('"skip the files that need our stages" writes none of them and keeps the Dockerfile', async () => {
    const dir = project(stack);
    const prompter = fakePrompter({ 'Dockerfile: what now?': 'skip', ...ACCEPT_DEFAULTS });
    const result = await run([dir, '--stack', stack], root, { stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe(THEIR_DOCKERFILE);
    for (const rel of ['compose.yaml', 'README.Docker.md', 'Dockerfile.multistage']) expect(fs.existsSync(path.join(dir, rel)), rel).toBe(false);
    const pkg = fs.existsSync(path.join(dir, 'package.json')) ? read(dir, 'package.json') : '';
    expect(pkg).not.toContain('docker:');
    expect(result.stdout).toContain('a later run asks again');
    await expectEveryNamedStageExists(dir);
  });

  it('a Dockerfile that has every stage our files name gets the plain keep/overwrite question', async () => {
    const stages = ['development', 'production', 'test', 'production-shop', 'binaries'].map((s) => `FROM debian:trixie-slim AS ${s}\n`).join('');
    const dir = project(stack, stages);
    const prompter = fakePrompter({ 'What now?': 'keep', ...ACCEPT_DEFAULTS });
    const result = await run([dir, '--stack', stack], root, { stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.messages().some((m) => m.startsWith('Dockerfile: what now?'))).toBe(false);
    expect(read(dir, 'Dockerfile')).toBe(stages);
    expect(fs.existsSync(path.join(dir, 'Dockerfile.multistage'))).toBe(false);
    await expectEveryNamedStageExists(dir);
  });

  it('without a terminal it writes nothing and says how to keep both', async () => {
    const dir = project(stack);
    const before = snapshot(dir);
    const result = await run([dir, '--stack', stack, '--yes'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Dockerfile.multistage');
    expect(snapshot(dir)).toEqual(before);
  });
});
