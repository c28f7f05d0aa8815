// Runs one golden case through the built CLI and compares (or stores) what it
// wrote. The cases are in cases.ts; the test is golden.test.ts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { DIST, runBuiltCli } from '../helpers/cli.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/tree.js';
import type { GoldenCase } from './cases.js';

export const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden');
export const UPDATE_COMMAND = 'npm run golden:update';

/** A file of a tree: its bytes and whether it is executable (git keeps that bit, nothing else of the mode). */
export interface TreeFile {
  bytes: Buffer;
  executable: boolean;
}

/** POSIX relative path → file. */
export type FileTree = Map<string, TreeFile>;

export function caseDir(c: GoldenCase): string {
  return path.join(GOLDEN_DIR, c.group, c.name);
}

export function caseLabel(c: GoldenCase): string {
  return `${c.group}/${c.name}`;
}

/**
 * The runs read their templates from templates/ but their code from dist/:
 * a bundle older than a source file would compare yesterday's code.
 */
export function requireFreshBuild(): void {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first (\`npm test\` builds before running vitest).`);
  const built = fs.statSync(DIST).mtimeMs;
  const src = path.join(REPO_ROOT, 'src');
  for (const entry of fs.readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.statSync(file).mtimeMs > built) {
      throw new Error(`dist/ is older than ${path.relative(REPO_ROOT, file)}: run \`npm run build\` first (\`npm test\` and \`${UPDATE_COMMAND}\` do).`);
    }
  }
}

/**
 * The environment of every run, built from nothing so that the machine running
 * the test cannot change the output: no npm_* variables (npm_config_user_agent
 * picks the package manager and Yarn's major for a new project; a case that
 * wants one sets it in `env`), no colour, and a HOME and cache of its own (no
 * user ~/.npmrc, no cached older templates). PATH stays so `node` runs; the
 * Windows variables stay because Node needs them to start there.
 */
export function goldenEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    USERPROFILE: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    NO_COLOR: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
  };
  for (const key of ['SystemRoot', 'SYSTEMROOT', 'ComSpec', 'PATHEXT', 'TMPDIR', 'TEMP', 'TMP']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Every regular file under `root` (a missing root is an empty tree). Anything else is an error: goldens hold files only. */
export function readTree(root: string): FileTree {
  const tree: FileTree = new Map();
  if (!fs.existsSync(root)) return tree;
  const visit = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, childRel);
      const stat = fs.lstatSync(abs);
      if (stat.isDirectory()) visit(childRel);
      else if (stat.isFile()) tree.set(childRel, { bytes: fs.readFileSync(abs), executable: (stat.mode & 0o100) !== 0 });
      else throw new Error(`${abs}: not a regular file or folder; golden trees hold files only`);
    }
  };
  visit('');
  return tree;
}

function sameFile(a: TreeFile, b: TreeFile): boolean {
  return a.executable === b.executable && a.bytes.equals(b.bytes);
}

export interface CaseRun {
  /** The files the run created or changed, relative to the project folder. */
  files: FileTree;
  stdout: string;
  stderr: string;
}

/** Runs the case in a fresh temp folder and returns what it wrote; the folder is removed afterwards. */
export function runCase(c: GoldenCase): CaseRun {
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cms-golden-')));
  try {
    const home = path.join(work, 'home');
    const parent = path.join(work, 'run');
    fs.mkdirSync(home);
    fs.mkdirSync(parent);
    // A fixed folder name, never the temp folder's: the name can become the
    // project name (a Makefile project, a new project).
    const dirName = c.dir ?? (c.fixture ? path.basename(c.fixture) : 'my-app');
    const project = path.join(parent, dirName);
    if (c.fixture) fs.cpSync(path.join(FIXTURES_DIR, c.fixture), project, { recursive: true });
    const kitArgs = c.kit ? ['--kit', path.join(FIXTURES_DIR, 'kits', c.kit)] : [];
    const newProjectArgs = c.fixture ? [] : ['--skip-install'];
    const env = goldenEnv(home, c.env);

    const run = (args: string[], what: string) => {
      const result = runBuiltCli([dirName, ...args], { cwd: parent, env, timeoutMs: 60_000 });
      if (result.timedOut || result.code !== 0) {
        throw new Error(
          `${caseLabel(c)}: the ${what} run (${args.join(' ')}) ${result.timedOut ? 'timed out' : `exited ${result.code ?? result.signal}`}\n` +
            `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
        );
      }
      return result;
    };

    let baseline = readTree(project);
    if (c.before) {
      run([...c.before, ...kitArgs, ...newProjectArgs], 'first');
      baseline = readTree(project);
    }
    const result = run([...c.args, ...kitArgs, ...(c.before ? [] : newProjectArgs)], c.before ? 'second' : 'golden');

    const stray = fs.readdirSync(parent).filter((name) => name !== dirName);
    if (stray.length > 0) throw new Error(`${caseLabel(c)}: the run wrote outside the project folder: ${stray.join(', ')}`);
    const after = readTree(project);
    const deleted = [...baseline.keys()].filter((rel) => !after.has(rel));
    if (deleted.length > 0) throw new Error(`${caseLabel(c)}: the run deleted ${deleted.join(', ')}`);
    const files: FileTree = new Map();
    for (const [rel, file] of after) {
      const before = baseline.get(rel);
      if (before === undefined || !sameFile(before, file)) files.set(rel, file);
    }
    return { files, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Replaces the stored tree of a case with `files`. */
export function writeGolden(c: GoldenCase, files: FileTree): void {
  const dir = caseDir(c);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, file] of files) {
    const abs = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, file.bytes);
    fs.chmodSync(abs, file.executable ? 0o755 : 0o644);
  }
}

const MAX_DIFFS = 3;
const MAX_DIFF_LINES = 120;

function asText(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

/** A readable account of how two versions of one file differ: a unified diff when both are text. */
function describeDifference(rel: string, stored: TreeFile | undefined, generated: TreeFile | undefined): string {
  const oldText = stored ? asText(stored.bytes) : '';
  const newText = generated ? asText(generated.bytes) : '';
  const lines: string[] = [];
  if (stored && generated && stored.executable !== generated.executable) {
    lines.push(`${rel}: executable bit stored ${stored.executable}, generated ${generated.executable}`);
  }
  if (stored && generated && stored.bytes.equals(generated.bytes)) return lines.join('\n');
  if (oldText === undefined || newText === undefined) {
    let at = 0;
    const a = stored?.bytes ?? Buffer.alloc(0);
    const b = generated?.bytes ?? Buffer.alloc(0);
    while (at < a.length && at < b.length && a[at] === b[at]) at++;
    lines.push(`${rel}: binary content differs (stored ${a.length} bytes, generated ${b.length}; first difference at byte ${at})`);
    return lines.join('\n');
  }
  if (oldText.replace(/\r\n/g, '\n') === newText.replace(/\r\n/g, '\n') && oldText !== newText) {
    lines.push(`${rel}: only the line endings differ (CRLF vs LF)`);
    return lines.join('\n');
  }
  const patch = createTwoFilesPatch(stored ? `stored/${rel}` : '/dev/null', generated ? `generated/${rel}` : '/dev/null', oldText, newText, undefined, undefined, { context: 3 });
  const patchLines = patch.split('\n').filter((line) => !line.startsWith('====='));
  if (patchLines.length > MAX_DIFF_LINES) {
    patchLines.splice(MAX_DIFF_LINES, Infinity, `… ${patchLines.length - MAX_DIFF_LINES} more lines of this diff`);
  }
  lines.push(patchLines.join('\n'));
  return lines.join('\n');
}

/** undefined when the trees are the same file list with the same bytes; otherwise the report. */
export function compareTrees(c: GoldenCase, stored: FileTree, generated: FileTree): string | undefined {
  const missing = [...stored.keys()].filter((rel) => !generated.has(rel)).sort();
  const extra = [...generated.keys()].filter((rel) => !stored.has(rel)).sort();
  const changed = [...generated.keys()].filter((rel) => stored.has(rel) && !sameFile(stored.get(rel)!, generated.get(rel)!)).sort();
  if (missing.length === 0 && extra.length === 0 && changed.length === 0) return undefined;

  const where = path.relative(REPO_ROOT, caseDir(c)).split(path.sep).join('/');
  const report: string[] = [`Golden case ${caseLabel(c)} differs from ${where}/:`];
  if (missing.length) report.push(`  no longer written: ${missing.join(', ')}`);
  if (extra.length) report.push(`  written but not stored: ${extra.join(', ')}`);
  if (changed.length) report.push(`  different content: ${changed.join(', ')}`);
  const shown = [...changed, ...extra, ...missing].slice(0, MAX_DIFFS);
  for (const rel of shown) report.push('', describeDifference(rel, stored.get(rel), generated.get(rel)));
  const more = missing.length + extra.length + changed.length - shown.length;
  if (more > 0) report.push('', `(${more} more file(s) differ; the refresh shows them all in git diff)`);
  report.push('', `If the change is intended, refresh the stored trees with \`${UPDATE_COMMAND}\` and explain the golden change in the commit message.`);
  return report.join('\n');
}

/** The case folders stored under test/golden/<group>/, as `group/name`. */
export function storedCaseLabels(): string[] {
  const labels: string[] = [];
  for (const group of fs.readdirSync(GOLDEN_DIR, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const name of fs.readdirSync(path.join(GOLDEN_DIR, group.name), { withFileTypes: true })) {
      labels.push(`${group.name}/${name.name}`);
    }
  }
  return labels.sort();
}
