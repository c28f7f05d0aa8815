// Re-runs that keep the user's edits: the stamp on generated files, the
// three-way merge (base = recorded answers and version, ours = new answers,
// theirs = disk), conflicts without a terminal, each interactive choice, and
// an upgrade across versions with the fetch of the older package injected.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../src/diff.js';
import type { NpmRunner } from '../../../src/npm.js';
import { readStamp } from '../../../src/upgrade/stamp.js';
import { threeWayMerge } from '../../../src/upgrade/merge.js';
import { TOOL_VERSION } from '../../../src/upgrade/version.js';
import type { Prompter } from '../../../src/prompts.js';
import { makeKit, manifest } from '../../helpers/kit.js';
import { runMain } from '../../helpers/run-main.js';
import { REPO_ROOT, snapshotTree, tempDir } from '../../helpers/tree.js';

const USER_RUN = 'RUN mkdir -p /app/data && chown 65532:65532 /app/data';
const EDITED_COMMENT = '# base: the Go toolchain, edited by our team.';

/** A new Go project (slim runtime: the user's RUN line needs a shell), written in-process. */
async function goProject(upgrade?: Parameters<typeof runMain>[1]['upgrade']): Promise<string> {
  const root = tempDir('cms-upgrade-');
  const result = await runMain(['app', '--stack', 'go', '--runtime', 'slim', '--yes', '--skip-install'], { cwd: root, ...(upgrade ? { upgrade } : {}) });
  expect(result.code, result.stderr).toBe(0);
  return path.join(root, 'app');
}

/** The user's two edits: a RUN line in the production stage and a changed comment. */
function editDockerfile(dir: string): string {
  const file = path.join(dir, 'Dockerfile');
  const text = fs.readFileSync(file, 'utf8');
  const edited = text.replace(/^(FROM \$\{RUNTIME_IMAGE\} AS production\nLABEL .*\n)/m, `$1${USER_RUN}\n`).replace(/^# base: .*$/m, EDITED_COMMENT);
  expect(edited).toContain(USER_RUN);
  expect(edited).toContain(EDITED_COMMENT);
  fs.writeFileSync(file, edited);
  return edited;
}

const read = (dir: string, rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');

describe('the stamp', () => {
  it('every generated file that takes a comment records the answers and the version; package.json and app files do not', async () => {
    const dir = await goProject();
    for (const rel of ['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md']) {
      const stamp = readStamp(read(dir, rel));
      expect(stamp, rel).toEqual({ answers: 'create-multistage: --stack go --name app --port 8080 --go-version 1.27 --targets app --runtime slim', version: TOOL_VERSION });
    }
    expect(read(dir, 'package.json')).not.toContain('create-multistage-version');
    expect(read(dir, 'main.go')).not.toContain('create-multistage-version');
    expect(read(dir, 'README.Docker.md').split('\n')[1]).toBe(`<!-- create-multistage-version: ${TOOL_VERSION} -->`);
  });
});

describe('three-way merge', () => {
  it('combines edits on other lines and marks overlapping ones (mine first)', () => {
    const base = 'a\nb\nc\nd\ne\nf\n';
    expect(threeWayMerge(base, 'a\nB\nc\nd\ne\nf\n', 'a\nb\nc\nd\ne\nF\n', { mine: 'mine', theirs: 'theirs' })).toEqual({ conflict: false, text: 'a\nB\nc\nd\ne\nF\n', conflicts: [] });
    const clash = threeWayMerge(base, 'a\nb\nX\nd\ne\nf\n', 'a\nb\nY\nd\ne\nf\n', { mine: 'mine', theirs: 'theirs' });
    expect(clash.conflict).toBe(true);
    expect(clash.text).toBe('a\nb\n<<<<<<< mine\nY\n=======\nX\n>>>>>>> theirs\nd\ne\nf\n');
    expect(clash.conflicts).toEqual([{ start: 3, end: 7 }]);
  });
});

describe('a re-run with a new answer keeps the user edits (acceptance 1)', () => {
  it('--port 4000 merges the new port into the edited Dockerfile; --dry-run shows exactly that diff; nothing else changes', async () => {
    const dir = await goProject();
    const edited = editDockerfile(dir);
    const before = snapshotTree(dir);
    const dockerignoreBefore = read(dir, '.dockerignore');

    const dry = await runMain(['.', '--port', '4000', '--yes', '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(snapshotTree(dir)).toEqual(before);
    expect(dry.stdout).toMatch(/merge\s+Dockerfile\s+your edits kept, the template change merged in/);

    const run = await runMain(['.', '--port', '4000', '--yes'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const merged = read(dir, 'Dockerfile');
    // Both the user's lines and the new port.
    expect(merged).toContain(USER_RUN);
    expect(merged).toContain(EDITED_COMMENT);
    expect(merged).toMatch(/^EXPOSE 4000$/m);
    expect(merged).toMatch(/^ENV PORT=4000$/m);
    expect(merged).not.toMatch(/8080/);
    expect(readStamp(merged)?.answers).toContain('--port 4000');
    // The dry run printed exactly the change the run made.
    const diff = unifiedDiff(edited, merged, { oldLabel: 'a/Dockerfile', newLabel: 'b/Dockerfile' }).trimEnd();
    expect(dry.stdout).toContain(diff);
    const changedLines = diff.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(
      changedLines.every((l) => /8080|4000/.test(l)),
      changedLines.join('\n'),
    ).toBe(true);

    // Every file without the port is untouched; the others changed only where the port is.
    const after = snapshotTree(dir);
    for (const rel of ['main.go', 'go.mod', '.gitignore']) expect(after[rel], rel).toEqual(before[rel]);
    // .dockerignore has no port: only its stamp's answers line changed.
    const ignoreChanges = unifiedDiff(dockerignoreBefore, read(dir, '.dockerignore'))
      .split('\n')
      .filter((l) => /^[-+][^-+]/.test(l));
    expect(ignoreChanges).toEqual([
      '-# create-multistage: --stack go --name app --port 8080 --go-version 1.27 --targets app --runtime slim',
      '+# create-multistage: --stack go --name app --port 4000 --go-version 1.27 --targets app --runtime slim',
    ]);
    for (const rel of ['compose.yaml', 'README.Docker.md', 'package.json']) {
      const lines = unifiedDiff(read(dir, rel).replace(/4000/g, '8080'), read(dir, rel))
        .split('\n')
        .filter((l) => /^[-+][^-+]/.test(l));
      expect(lines.length, rel).toBeGreaterThan(0);
    }
    expect(read(dir, 'package.json')).toContain('-p 4000:4000');

    // A second identical run changes nothing.
    const again = await runMain(['.', '--port', '4000', '--yes'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(snapshotTree(dir)).toEqual(after);
  });
});

/** The user edits the very line the new port changes. */
function editPortLine(dir: string): void {
  const file = path.join(dir, 'Dockerfile');
  const text = fs.readFileSync(file, 'utf8');
  const edited = text.replace(/^(FROM \$\{RUNTIME_IMAGE\} AS production\n(?:.*\n)*?)EXPOSE 8080$/m, '$1EXPOSE 8080 9090');
  expect(edited).toContain('EXPOSE 8080 9090');
  fs.writeFileSync(file, edited);
}

describe('overlapping edits are a conflict (acceptance 2)', () => {
  it('without a terminal: exit 1 naming the file, the tree byte-identical; --force takes the new template', async () => {
    const dir = await goProject();
    editPortLine(dir);
    const before = snapshotTree(dir);
    const run = await runMain(['.', '--port', '4000', '--yes'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Dockerfile: your edits and the template change overlap/);
    expect(snapshotTree(dir)).toEqual(before);

    const json = await runMain(['.', '--port', '4000', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(snapshotTree(dir)).toEqual(before);

    const forced = await runMain(['.', '--port', '4000', '--yes', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(read(dir, 'Dockerfile')).not.toContain('9090');
    expect(read(dir, 'Dockerfile')).not.toContain('<<<<<<<');
  });

  it.each([
    ['Keep mine', (text: string) => expect(text).toContain('EXPOSE 8080 9090')],
    [
      'Take theirs',
      (text: string) => {
        expect(text).not.toContain('9090');
        expect(text).toMatch(/^EXPOSE 4000$/m);
      },
    ],
    [
      'conflict markers',
      (text: string) => {
        expect(text).toMatch(/^<<<<<<< yours \(Dockerfile\)\n(?:.*\n)*?EXPOSE 8080 9090\n(?:.*\n)*?=======\n(?:.*\n)*?EXPOSE 4000\n(?:.*\n)*?>>>>>>> create-multistage$/m);
      },
    ],
  ])('interactively, "%s" does what it says; markers only when chosen', async (choice, expectDockerfile) => {
    const dir = await goProject();
    editPortLine(dir);
    const value = choice === 'Keep mine' ? 'mine' : choice === 'Take theirs' ? 'theirs' : 'markers';
    const answers = ['diff', value];
    const asked: string[] = [];
    const prompter: Prompter = {
      text: () => Promise.reject(new Error('unexpected text prompt')),
      confirm: () => Promise.reject(new Error('unexpected confirm prompt')),
      async select(message, choices) {
        asked.push(message);
        expect(message).toMatch(/overlap/);
        expect(choices.map((c) => c.value)).toEqual(['mine', 'theirs', 'markers', 'diff']);
        return answers.shift()!;
      },
    };
    const run = await runMain(['.', '--port', '4000'], { cwd: dir, stdinIsTTY: true, prompter });
    expect(run.code, run.stderr).toBe(0);
    const text = read(dir, 'Dockerfile');
    expectDockerfile(text);
    if (value !== 'markers') expect(text).not.toContain('<<<<<<<');
    // "Show the diff" printed the merge against the file before the choice.
    expect(run.stdout).toContain('+++ b/Dockerfile (merged)');
    expect(asked).toHaveLength(2);
  });
});

/** A copy of the templates as an "older version" had them: one comment worded differently. */
function olderTemplates(): string {
  const dir = path.join(tempDir('cms-old-templates-'), 'templates');
  fs.cpSync(path.join(REPO_ROOT, 'templates'), dir, { recursive: true });
  const builder = path.join(dir, 'go', 'partials', 'stage-builder.hbs');
  const text = fs.readFileSync(builder, 'utf8');
  const old = text.replace(/^# builder: .*$/m, '# builder: the release binaries (wording of 0.0.9).');
  expect(old).not.toBe(text);
  fs.writeFileSync(builder, old);
  return dir;
}

/** npm as the tests see it: `npm pack create-multistage@0.0.9` packs the older templates; anything else fails. */
function fakeNpm(templatesDir: string, calls: string[][], online = true): NpmRunner {
  return (args) => {
    calls.push(args);
    if (!online) return { status: 1, stdout: '', stderr: 'npm error code ENOTFOUND\nnpm error network request failed' };
    if (args[0] !== 'pack' || args[1] !== 'create-multistage@0.0.9') return { status: 1, stdout: '', stderr: `unexpected npm ${args.join(' ')}` };
    const destination = args[args.indexOf('--pack-destination') + 1]!;
    const staging = tempDir('cms-fake-pack-');
    fs.mkdirSync(path.join(staging, 'package'));
    fs.cpSync(templatesDir, path.join(staging, 'package', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'package', 'package.json'), '{"name":"create-multistage","version":"0.0.9"}\n');
    execFileSync('tar', ['-czf', path.join(destination, 'create-multistage-0.0.9.tgz'), '-C', staging, 'package']);
    return { status: 0, stdout: '[]', stderr: '' };
  };
}

describe('an upgrade across versions (acceptance 3)', () => {
  it('merges the template change of the new version into a Dockerfile an older version wrote and the user edited', async () => {
    const old = olderTemplates();
    const cacheDir = tempDir('cms-cache-');
    const dir = await goProject({ version: '0.0.9', templatesDir: old, cacheDir });
    expect(readStamp(read(dir, 'Dockerfile'))?.version).toBe('0.0.9');
    expect(read(dir, 'Dockerfile')).toContain('wording of 0.0.9');
    editDockerfile(dir);

    const calls: string[][] = [];
    // check sees it: the Dockerfile edited and out of date, the others only out of date where the template changed.
    const check = await runMain(['check', '--json'], { cwd: dir, npm: fakeNpm(old, calls), upgrade: { cacheDir } });
    expect(check.code, check.stderr).toBe(0);
    const states = Object.fromEntries(check.json<{ files: { path: string; state: string }[] }>().files.map((f) => [f.path, f.state]));
    expect(states).toEqual({ Dockerfile: 'edited+outdated', 'compose.yaml': 'as-generated', '.dockerignore': 'as-generated', 'README.Docker.md': 'as-generated' });
    const run = await runMain(['.', '--yes'], { cwd: dir, npm: fakeNpm(old, calls), upgrade: { cacheDir } });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    // Fetched once (by check), then taken from the cache.
    expect(calls.filter((c) => c[0] === 'pack').map((c) => c[1])).toEqual(['create-multistage@0.0.9']);
    const merged = read(dir, 'Dockerfile');
    expect(merged).toContain(USER_RUN);
    expect(merged).toContain(EDITED_COMMENT);
    expect(merged).not.toContain('wording of 0.0.9');
    expect(merged).toMatch(/^# builder: static release binaries \(no cgo\), stripped, without local paths\.$/m);
    expect(readStamp(merged)?.version).toBe(TOOL_VERSION);
    expect(fs.existsSync(path.join(cacheDir, '0.0.9', 'templates', 'go'))).toBe(true);
  });

  it('offline: a clear note, and the edited file is a plain two-way conflict as before', async () => {
    const old = olderTemplates();
    const dir = await goProject({ version: '0.0.9', templatesDir: old, cacheDir: tempDir('cms-cache-') });
    editDockerfile(dir);
    const before = snapshotTree(dir);
    const calls: string[][] = [];
    const run = await runMain(['.', '--yes'], { cwd: dir, npm: fakeNpm(old, calls, false), upgrade: { cacheDir: tempDir('cms-cache-') } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /note: Dockerfile: cannot tell your edits from the template's \(could not fetch create-multistage@0\.0\.9 with npm pack \(offline or unpublished: npm error network request failed\)\)/,
    );
    expect(run.stderr).toMatch(/Dockerfile exists and differs/);
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('a kit at its recorded version', () => {
  it('another version of the same kit: the recorded one is fetched (npm pack name@version) and its change merged', async () => {
    const v1 = makeKit(manifest({ name: 'acme-kit', version: '1.0.0', stacks: { '*': { labels: { 'com.acme.team': 'one' } } } }));
    const v2 = makeKit(manifest({ name: 'acme-kit', version: '2.0.0', stacks: { '*': { labels: { 'com.acme.team': 'two' } } } }));
    const root = tempDir('cms-upgrade-kit-');
    const created = await runMain(['app', '--stack', 'go', '--yes', '--skip-install', '--kit', v1], { cwd: root });
    expect(created.code, created.stderr).toBe(0);
    const dir = path.join(root, 'app');
    expect(readStamp(read(dir, 'Dockerfile'))?.kit).toEqual({ name: 'acme-kit', version: '1.0.0' });
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, read(dir, 'Dockerfile').replace(/^# base: .*$/m, EDITED_COMMENT));

    const calls: string[][] = [];
    const npm: NpmRunner = (args) => {
      calls.push(args);
      if (args[0] !== 'pack' || args[1] !== 'acme-kit@1.0.0') return { status: 1, stdout: '', stderr: 'not here' };
      const destination = args[args.indexOf('--pack-destination') + 1]!;
      const staging = tempDir('cms-fake-kit-pack-');
      fs.cpSync(v1, path.join(staging, 'package'), { recursive: true });
      execFileSync('tar', ['-czf', path.join(destination, 'acme-kit-1.0.0.tgz'), '-C', staging, 'package']);
      return { status: 0, stdout: '[]', stderr: '' };
    };
    const run = await runMain(['.', '--yes', '--kit', v2], { cwd: dir, npm, upgrade: { cacheDir: tempDir('cms-cache-') } });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(calls.some((c) => c[0] === 'pack' && c[1] === 'acme-kit@1.0.0')).toBe(true);
    const merged = read(dir, 'Dockerfile');
    expect(merged).toContain(EDITED_COMMENT);
    expect(merged).toContain('com.acme.team="two"');
    expect(merged).not.toContain('com.acme.team="one"');
    expect(readStamp(merged)?.kit).toEqual({ name: 'acme-kit', version: '2.0.0' });
  });
});
