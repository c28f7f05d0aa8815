// The interactive flow, driven through a pseudo-terminal against the built
// CLI: keys in, screen text out. Covers a full new-project run, Ctrl-C at each
// prompt (exit 130, nothing written) and the keep / overwrite / show-diff
// conflict prompt.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, requireBuiltCli } from '../helpers/cli.js';
import { KEYS, runInPty, type PtySession } from '../helpers/pty.js';
import { makeTree, readFixture, snapshotTree } from '../helpers/tree.js';

const FIRST_PROMPT_MS = 30_000;

const sessions: PtySession[] = [];
function start(args: string[], cwd: string): PtySession {
  const session = runInPty(args, { cwd });
  sessions.push(session);
  return session;
}

beforeAll(() => requireBuiltCli());
afterEach(() => {
  // A failed expectation must not leave a CLI waiting on its terminal.
  for (const session of sessions.splice(0)) session.kill();
});

/** The prompts of a new project run in an empty directory, in order, and what to type at each. */
const NEW_PROJECT_PROMPTS: { prompt: string | RegExp; answer: string }[] = [
  { prompt: 'Project name', answer: `shop${KEYS.enter}` },
  { prompt: /Stack .*\n.*Next\.js/, answer: KEYS.enter },
  { prompt: 'Port the app listens on', answer: KEYS.enter },
  { prompt: 'Node.js version', answer: KEYS.enter },
  { prompt: /Package manager .*\n(.*\n)*.*bun/, answer: KEYS.enter },
  { prompt: /Production runtime .*\n(.*\n)*.*distroless/, answer: KEYS.enter },
];

describe('a new project, answered at the keyboard', () => {
  it('asks for the name, the stack and the rest, then writes the project (exit 0)', async () => {
    const cwd = makeTree();
    const session = start(['--skip-install'], cwd);
    for (const [index, { prompt, answer }] of NEW_PROJECT_PROMPTS.entries()) {
      await session.waitFor(prompt, index === 0 ? FIRST_PROMPT_MS : undefined);
      session.write(answer);
    }
    await session.waitFor('Done.');
    expect(await session.exit).toMatchObject({ code: 0 });

    const project = path.join(cwd, 'shop');
    for (const file of ['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md', 'package.json', 'app/page.tsx', 'next.config.ts']) {
      expect(fs.existsSync(path.join(project, file)), file).toBe(true);
    }
    const dockerfile = fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8');
    expect(dockerfile.split('\n')[1]).toBe('# create-multistage: --stack nextjs --name shop --port 3000 --node-version 26 --pm npm --runtime slim');
    // --skip-install: nothing ran, and the next steps say what to run.
    expect(fs.existsSync(path.join(project, 'node_modules'))).toBe(false);
    expect(session.screen()).toContain('npm install');
    // The name came from the directory prompt: it is not asked twice.
    expect(session.screen()).not.toContain('Project name (image');
  });

  it('a rejected answer is explained and asked again', async () => {
    const cwd = makeTree();
    const session = start(['shop', '--stack', 'nextjs', '--skip-install', '--node-version', '24', '--pm', 'npm', '--runtime', 'slim'], cwd);
    await session.waitFor('Port the app listens on', FIRST_PROMPT_MS);
    session.write(`${KEYS.backspace.repeat(4)}99999${KEYS.enter}`);
    await session.waitFor('must be a whole number from 1 to 65535');
    session.write(`${KEYS.backspace.repeat(5)}8080${KEYS.enter}`);
    await session.waitFor('Done.');
    expect(await session.exit).toMatchObject({ code: 0 });
    expect(fs.readFileSync(path.join(cwd, 'shop', 'Dockerfile'), 'utf8')).toContain('EXPOSE 8080');
  });
});

describe('Ctrl-C at a prompt exits 130 and writes nothing', () => {
  it.each(NEW_PROJECT_PROMPTS.map((p, index) => [String(p.prompt), index] as const))('at %s', async (_title, cancelAt) => {
    const cwd = makeTree();
    const before = snapshotTree(cwd);
    const session = start(['--skip-install'], cwd);
    for (let index = 0; index < cancelAt; index++) {
      await session.waitFor(NEW_PROJECT_PROMPTS[index]!.prompt, index === 0 ? FIRST_PROMPT_MS : undefined);
      session.write(NEW_PROJECT_PROMPTS[index]!.answer);
    }
    await session.waitFor(NEW_PROJECT_PROMPTS[cancelAt]!.prompt, cancelAt === 0 ? FIRST_PROMPT_MS : undefined);
    session.write(KEYS.ctrlC);
    await session.waitFor('Cancelled: nothing was written.');
    expect(await session.exit).toMatchObject({ code: 130 });
    expect(snapshotTree(cwd)).toEqual(before);
  });
});

describe('a conflicting Dockerfile in an existing Next.js project', () => {
  const MINE = '# my own Dockerfile\nFROM node:22-bookworm-slim\nCMD ["node", "server.js"]\n';
  // A Dockerfile of the user's without our stages: keeping it alone would leave scripts that fail.
  const CONFLICT = 'Dockerfile: what now?';

  /** Answers the questions detection left open (port, Node version, runtime) with Enter, up to the conflict prompt. */
  async function upToConflict(cwd: string): Promise<PtySession> {
    const session = start(['--skip-install'], cwd);
    await session.waitFor('Port the app listens on', FIRST_PROMPT_MS);
    session.write(KEYS.enter);
    await session.waitFor('Node.js version');
    session.write(KEYS.enter);
    await session.waitFor(/Production runtime .*\n(.*\n)*.*distroless/);
    session.write(KEYS.enter);
    await session.waitFor(new RegExp(`${CONFLICT}.*\\n(.*\\n)*.*Show the diff`));
    return session;
  }

  it('show the diff, then keep mine with ours beside it: exit 0, the Dockerfile byte-for-byte unchanged, the scripts use Dockerfile.multistage', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), Dockerfile: MINE });
    const session = await upToConflict(cwd);
    expect(session.screen()).toMatch(/Your Dockerfile has no `development`, `production`/);
    session.write(KEYS.down + KEYS.down + KEYS.down + KEYS.enter);
    await session.waitFor('--- a/Dockerfile');
    await session.waitFor('+++ b/Dockerfile');
    await session.waitFor('-FROM node:22-bookworm-slim');
    await session.waitFor(/\+# create-multistage: --stack nextjs/);
    // The question comes back after the diff; Enter takes the default: keep mine, write ours beside it.
    await session.waitFor(CONFLICT);
    session.write(KEYS.enter);
    await session.waitFor('Done.');
    expect(await session.exit).toMatchObject({ code: 0 });

    expect(fs.readFileSync(path.join(cwd, 'Dockerfile'), 'utf8')).toBe(MINE);
    expect(session.screen()).toMatch(/create\s+Dockerfile\.multistage/);
    for (const file of ['.dockerignore', 'compose.yaml', 'README.Docker.md', 'Dockerfile.multistage']) expect(fs.existsSync(path.join(cwd, file)), file).toBe(true);
    expect(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')).toContain('"docker build -f Dockerfile.multistage');
  });

  it('overwrite replaces it', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), Dockerfile: MINE });
    const session = await upToConflict(cwd);
    session.write(KEYS.down + KEYS.down + KEYS.enter);
    await session.waitFor('Done.');
    expect(await session.exit).toMatchObject({ code: 0 });
    expect(fs.readFileSync(path.join(cwd, 'Dockerfile'), 'utf8')).toMatch(/^# syntax=docker\/dockerfile:1\n# create-multistage: --stack nextjs --name fixture-npm /);
  });

  it('Ctrl-C at the conflict prompt: exit 130, and not even the other files are written', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), Dockerfile: MINE });
    const before = snapshotTree(cwd);
    const session = await upToConflict(cwd);
    session.write(KEYS.ctrlC);
    await session.waitFor('Cancelled: nothing was written.');
    expect(await session.exit).toMatchObject({ code: 130 });
    expect(snapshotTree(cwd)).toEqual(before);
  });
});

describe('NO_COLOR', () => {
  it('the prompts carry no colour escape codes (cursor movement only)', async () => {
    const cwd = makeTree();
    const session = start(['--skip-install'], cwd);
    for (const { prompt, answer } of NEW_PROJECT_PROMPTS) {
      await session.waitFor(prompt, FIRST_PROMPT_MS);
      session.write(answer);
    }
    expect((await session.exit).code, session.screen()).toBe(0);
    // SGR (Select Graphic Rendition: colours, bold, dim) is ESC [ ... m.
    const colours = session.raw().match(/\x1b\[[0-9;]*m/g) ?? [];
    expect(colours, JSON.stringify(session.raw().slice(0, 600))).toEqual([]);
  });
});

describe('Ctrl-C during the new project’s install', () => {
  it('exits 130 and says what was written and what to run', async () => {
    const cwd = makeTree();
    // A stand-in npm that waits, so the Ctrl-C lands during the install.
    const bin = path.join(cwd, 'fake-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\necho "fake npm $*"\nsleep 60\n', { mode: 0o755 });
    const session = runInPty(['my-app', '--stack', 'nextjs', '--yes', '--pm', 'npm'], {
      cwd,
      env: childEnv({ TERM: 'xterm-256color', PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` }),
    });
    sessions.push(session);
    await session.waitFor('fake npm install', FIRST_PROMPT_MS);
    session.write(KEYS.ctrlC);
    expect((await session.exit).code, session.screen()).toBe(130);
    const screen = session.screen();
    expect(screen).toContain('Install cancelled');
    expect(screen).toContain(path.join(cwd, 'my-app'));
    expect(screen).toContain('cd my-app && npm install');
    expect(fs.existsSync(path.join(cwd, 'my-app', 'Dockerfile'))).toBe(true);
  });
});

describe('an existing project', () => {
  it('prints what was detected before the first question', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), '.nvmrc': '22\n' });
    const session = start(['.'], cwd);
    const before = await session.waitFor(/[^]*?Port the app listens on/, FIRST_PROMPT_MS);
    expect(before).toContain('Next.js project found in .');
    expect(before).toMatch(/detected: .*--node-version 22, --pm npm \(package-lock\.json\)/);
    expect(before.indexOf('detected:')).toBeLessThan(before.indexOf('Port the app listens on'));
    session.write(KEYS.ctrlC);
    expect((await session.exit).code).toBe(130);
  });
});
