import fs from 'node:fs';
import path from 'node:path';
import { FailedError } from './errors.js';
import { writePathProblem } from './safe-fs.js';

/** The file-system calls the writer makes; tests swap in a version that fails on the Nth call. */
export interface WriteOps {
  mkdir(dir: string): void;
  writeFile(file: string, content: string | Uint8Array, mode?: number): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
  rmdir(dir: string): void;
  exists(file: string): boolean;
  mode(file: string): number | undefined;
}

export const nodeOps: WriteOps = {
  mkdir: (dir) => fs.mkdirSync(dir),
  writeFile: (file, content, mode) => {
    fs.writeFileSync(file, content, { flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    // The mode given to open() is masked by the umask; an overwritten file must keep its exact mode (0664 stays 0664).
    if (mode !== undefined) fs.chmodSync(file, mode);
  },
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (file) => fs.unlinkSync(file),
  rmdir: (dir) => fs.rmdirSync(dir),
  exists: (file) => {
    try {
      fs.lstatSync(file);
      return true;
    } catch {
      return false;
    }
  },
  mode: (file) => {
    try {
      const stat = fs.lstatSync(file);
      return stat.isFile() ? stat.mode & 0o7777 : undefined;
    } catch {
      return undefined;
    }
  },
};

export interface FileWrite {
  /** Path relative to the root, POSIX separators. */
  path: string;
  /** Text (written as UTF-8) or exact bytes. */
  content: string | Uint8Array;
}

/**
 * The safety battery widens the commit window with this variable so that a
 * SIGTERM sent by the test reliably lands in the middle of a commit. It only
 * slows the commit down; it changes nothing else.
 */
const STEP_DELAY_MS = Number(process.env['CREATE_MULTISTAGE_WRITE_STEP_DELAY_MS'] ?? 0);
function pauseForTests(): void {
  if (STEP_DELAY_MS > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STEP_DELAY_MS);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Writes every file or none. Each file is first written to a temporary file
 * beside its target; then, one by one, an existing target is moved to a backup
 * and the temporary file renamed into place. Any failure undoes every step, so
 * the directory is left exactly as it was. Renames are atomic per file and the
 * whole commit runs synchronously; SIGINT/SIGTERM/SIGHUP are held meanwhile.
 * The backups are kept until `settled`: a signal that arrived during the
 * commit is seen then, and it rolls the commit back (the directory is restored
 * exactly, the message says so, exit 130/143/129) — a signal means "stop", and
 * a stopped run writes nothing, as the README promises.
 */
export interface WriteResult {
  /** Filled by the time `settled` resolves. */
  warnings: string[];
  /**
   * Resolves once a signal that arrived during the commit has had its chance to
   * stop the run (and roll the commit back); await it before doing anything
   * else (such as an install). The backups are removed just before it resolves.
   */
  settled: Promise<void>;
}

/**
 * Commits in progress (or settling) in this process. One listener per signal
 * serves them all, so many runs in one process (a test-suite, a kit init
 * beside a run) never pile up listeners past Node's MaxListeners warning.
 */
const signalHolds = new Set<(signal: NodeJS.Signals) => void>();
const dispatchSignal = (signal: NodeJS.Signals): void => {
  for (const hold of [...signalHolds]) hold(signal);
};
function holdSignals(hold: (signal: NodeJS.Signals) => void): void {
  if (signalHolds.size === 0) for (const signal of SIGNALS) process.on(signal, dispatchSignal);
  signalHolds.add(hold);
}
function releaseSignals(hold: (signal: NodeJS.Signals) => void): void {
  signalHolds.delete(hold);
  if (signalHolds.size === 0) for (const signal of SIGNALS) process.off(signal, dispatchSignal);
}

/**
 * Calls `then` after the event loop has polled for I/O at least once. A signal
 * that arrived during the synchronous commit is dispatched only at a poll; one
 * setImmediate may run before it (when we are inside a poll callback), but an
 * immediate scheduled from the check phase runs in the next loop iteration,
 * after that iteration's poll. No timer: a fixed delay would cost every run
 * the delay (and more on a loaded machine) for nothing.
 */
function afterNextPoll(then: () => void): void {
  setImmediate(() => setImmediate(then));
}

export function writeAll(root: string, files: FileWrite[], ops: WriteOps = nodeOps): WriteResult {
  const warnings: string[] = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  // Unique enough beside the pid: every temp and backup is created with 'wx', so a
  // name that exists fails the write instead of following it. (Not node:crypto:
  // importing it costs a plain run 10-20 ms, issue 12.)
  const tag = `${process.pid}-${Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0')}`;
  const createdDirs: string[] = [];
  const temps: string[] = [];
  const committed: { target: string; backup?: string }[] = [];
  let pendingSignal: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals): void => {
    // During the commit (and until the backups are dropped) a signal waits; then it rolls the commit back.
    pendingSignal ??= signal;
  };
  holdSignals(hold);

  const rollback = (): string[] => {
    const problems: string[] = [];
    const attempt = (what: string, fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message}`);
      }
    };
    for (const step of committed.reverse()) {
      if (step.backup) attempt(`restore ${step.target}`, () => ops.rename(step.backup!, step.target));
      else attempt(`remove ${step.target}`, () => ops.unlink(step.target));
    }
    for (const temp of temps) if (ops.exists(temp)) attempt(`remove ${temp}`, () => ops.unlink(temp));
    for (const dir of createdDirs.reverse()) attempt(`remove ${dir}`, () => ops.rmdir(dir));
    return problems;
  };

  try {
    // Belt and braces behind the plan: never write through a linked folder.
    for (const file of files) {
      const problem = writePathProblem(root, file.path);
      if (problem) throw new Error(problem);
    }
    const ensureDir = (dir: string): void => {
      if (ops.exists(dir)) return;
      ensureDir(path.dirname(dir));
      ops.mkdir(dir);
      createdDirs.push(dir);
    };
    const staged = files.map((file, index) => {
      const target = path.join(root, ...file.path.split('/'));
      const dir = path.dirname(target);
      ensureDir(dir);
      const temp = path.join(dir, `.${path.basename(target)}.${tag}-${index}.tmp`);
      temps.push(temp);
      ops.writeFile(temp, file.content, ops.mode(target));
      return { target, temp, dir, index };
    });
    for (const { target, temp, dir, index } of staged) {
      pauseForTests();
      const existed = ops.exists(target);
      if (existed) {
        const backup = path.join(dir, `.${path.basename(target)}.${tag}-${index}.bak`);
        ops.rename(target, backup);
        // The original now lives at the backup: from here a failure must move it back.
        committed.push({ target, backup });
      }
      ops.rename(temp, target);
      // A new target exists only once the rename succeeded; before that there is nothing to remove.
      if (!existed) committed.push({ target });
      temps.splice(temps.indexOf(temp), 1);
    }
  } catch (error) {
    const problems = rollback();
    releaseSignals(hold);
    settle();
    const detail = problems.length ? ` Rolling back also hit: ${problems.join('; ')}.` : ' Nothing was changed.';
    throw new FailedError(`Writing failed: ${(error as Error).message}.${detail}`);
  }
  // A signal that arrived during the synchronous commit is dispatched only when the
  // event loop next polls: keep listening until then, with every backup still in place.
  afterNextPoll(() => {
    releaseSignals(hold);
    if (pendingSignal) {
      const problems = rollback();
      process.stderr.write(
        problems.length
          ? `\nStopped by ${pendingSignal} during the write. Restoring the directory hit: ${problems.join('; ')}.\n`
          : `\nStopped by ${pendingSignal} during the write: the directory was restored exactly as it was; nothing was written.\n`,
      );
      process.exit(SIGNAL_CODES[pendingSignal] ?? 1);
    }
    // Past this point every new file is in place: dropping backups cannot lose data.
    for (const step of committed) {
      if (step.backup) {
        try {
          ops.unlink(step.backup);
        } catch (error) {
          // The write succeeded; the old file's copy stays behind rather than failing the run.
          warnings.push(`could not remove the backup ${path.relative(root, step.backup)} (${(error as Error).message}); it holds the previous ${path.relative(root, step.target)} and can be deleted`);
        }
      }
    }
    settle();
  });
  return { warnings, settled };
}
