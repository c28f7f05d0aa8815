// What an 80-column terminal shows, not just the bytes: the CLI runs in a
// pseudo-terminal and its output goes through a headless terminal emulator
// (@xterm/headless), so cursor moves and erases are applied as a real
// terminal applies them. A prompt or error that wraps garbles the screen there.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import xterm from '@xterm/headless';
import { requireBuiltCli } from '../helpers/cli.js';
import { KEYS, runInPty, type PtySession } from '../helpers/pty.js';
import { makeTree } from '../helpers/tree.js';

const COLUMNS = 80;
const sessions: PtySession[] = [];
beforeAll(() => requireBuiltCli());
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});

/** The visible screen after every byte so far has been applied. */
async function render(raw: string): Promise<string[]> {
  const terminal = new xterm.Terminal({ cols: COLUMNS, rows: 40, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(raw.replace(/\r?\n/g, '\r\n'), resolve));
  const lines: string[] = [];
  const buffer = terminal.buffer.active;
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
  terminal.dispose();
  return lines.filter((line) => line.trim() !== '');
}

describe('an 80-column terminal', () => {
  it('the longest prompt fits one line; an invalid value edited in place keeps earlier answers and shows the error once', async () => {
    const cwd = makeTree();
    const session = runInPty(['svc', '--stack', 'cpp'], { cwd, cols: COLUMNS });
    sessions.push(session);
    await session.waitFor(/Port the \w+ listens on/, 30_000);
    session.write(KEYS.enter);
    await session.waitFor('Executables to ship');
    session.write(KEYS.enter);
    await session.waitFor('Extra Debian packages');
    session.write(`${KEYS.backspace.repeat(4)}libfoo dev`);
    session.write(KEYS.enter);
    await session.waitFor('must be a Debian package name');
    // Edit: remove " dev", make it a valid name, submit.
    session.write(KEYS.backspace.repeat(4));
    await new Promise((r) => setTimeout(r, 300));
    const editing = await render(session.raw());
    session.write(`-dev${KEYS.enter}`);
    await session.waitFor('Production runtime');

    // Every earlier answer is still on screen, once each.
    expect(
      editing.filter((l) => /Port the \w+ listens on/.test(l)),
      editing.join('\n'),
    ).toHaveLength(1);
    expect(
      editing.filter((l) => /Port the \w+ listens on.*8080/.test(l)),
      editing.join('\n'),
    ).toHaveLength(1);
    expect(
      editing.filter((l) => /Executables to ship.*server,cli/.test(l)),
      editing.join('\n'),
    ).toHaveLength(1);
    // The prompt is one line and the error appears at most once (never a leftover copy per keystroke).
    expect(
      editing.filter((l) => l.includes('Extra Debian packages')),
      editing.join('\n'),
    ).toHaveLength(1);
    expect(editing.filter((l) => l.includes('must be a Debian package name')).length, editing.join('\n')).toBeLessThanOrEqual(1);
    for (const line of editing) expect(line.length, line).toBeLessThanOrEqual(COLUMNS);

    session.write(KEYS.ctrlC);
    expect((await session.exit).code).toBe(130);
  });
});
