// The three-way conflict prompt in a real terminal: show the diff, then write
// with conflict markers; and "keep mine" leaves the file byte for byte.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../../helpers/cli.js';
import { KEYS, runInPty, type PtySession } from '../../helpers/pty.js';
import { runMain } from '../../helpers/run-main.js';
import { tempDir } from '../../helpers/tree.js';

const PROMPT_MS = 15_000;
const sessions: PtySession[] = [];

beforeAll(() => requireBuiltCli());
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});

/** A generated Go project whose user edited the EXPOSE line the new port changes. */
async function conflictingProject(): Promise<string> {
  const root = tempDir('cms-upgrade-pty-');
  const result = await runMain(['app', '--stack', 'go', '--yes', '--skip-install'], { cwd: root });
  expect(result.code, result.stderr).toBe(0);
  const dir = path.join(root, 'app');
  const file = path.join(dir, 'Dockerfile');
  const edited = fs.readFileSync(file, 'utf8').replace(/^(FROM \$\{RUNTIME_IMAGE\} AS production\n(?:.*\n)*?)EXPOSE 8080$/m, '$1EXPOSE 8080 9090');
  expect(edited).toContain('EXPOSE 8080 9090');
  fs.writeFileSync(file, edited);
  return dir;
}

describe('three-way conflict at the keyboard', () => {
  it('"Show the diff" prints the merge, then "Write with conflict markers" writes them (exit 0)', async () => {
    const dir = await conflictingProject();
    const session = runInPty(['.', '--port', '4000'], { cwd: dir });
    sessions.push(session);
    await session.waitFor(/overlap[\s\S]*Keep mine[\s\S]*Take theirs[\s\S]*conflict markers[\s\S]*Show the diff/, PROMPT_MS);
    session.write(`${KEYS.down}${KEYS.down}${KEYS.down}${KEYS.enter}`);
    const diff = await session.waitFor(/\+\+\+ b\/Dockerfile \(merged\)[\s\S]*>>>>>>> create-multistage[\s\S]*What now\?/, PROMPT_MS);
    expect(diff).toContain('+EXPOSE 4000');
    session.write(`${KEYS.down}${KEYS.down}${KEYS.enter}`);
    const { code } = await session.exit;
    expect(code, session.screen()).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(text).toMatch(/^<<<<<<< yours \(Dockerfile\)$/m);
    expect(text).toContain('EXPOSE 8080 9090');
    expect(text).toMatch(/^EXPOSE 4000$/m);
    expect(text).toMatch(/^>>>>>>> create-multistage$/m);
  });

  it('"Keep mine" leaves the Dockerfile byte for byte; no markers', async () => {
    const dir = await conflictingProject();
    const before = fs.readFileSync(path.join(dir, 'Dockerfile'));
    const session = runInPty(['.', '--port', '4000'], { cwd: dir });
    sessions.push(session);
    await session.waitFor(/overlap[\s\S]*Show the diff/, PROMPT_MS);
    session.write(KEYS.enter);
    const { code } = await session.exit;
    expect(code, session.screen()).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile')).equals(before)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toContain('"4000:4000"');
  });
});
