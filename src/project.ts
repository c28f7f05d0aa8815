import fs from 'node:fs';
import path from 'node:path';
import { readProjectFile, realRoot } from './safe-fs.js';
import { compareNames } from './compare-names.js';

/**
 * Directories detection never enters: dependencies, VCS data and build outputs
 * can hold hundreds of thousands of files and never decide the stack.
 */
export const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  '.next',
  'dist',
  'build',
  'out',
  'target',
  '.cache',
  '.turbo',
  'coverage',
  '.yarn',
  '.pnpm-store',
  '.venv',
  '__pycache__',
]);

/** Files that do not make a directory "a project" (a fresh `git init`, editor litter). */
const IGNORABLE_IN_EMPTY_DIR = new Set(['.git', '.DS_Store', 'Thumbs.db', '.idea', '.vscode']);

/**
 * A read-only view of the target directory. Detection reads through it only:
 * it never writes, never follows a symlink out of the project and skips what it
 * cannot read (with a note) instead of failing.
 */
export class Project {
  readonly dir: string;
  readonly notes: string[] = [];
  private readonly textCache = new Map<string, string | undefined>();

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  exists(): boolean {
    return this.stat('.')?.isDirectory() ?? false;
  }

  /** Top-level entry names, sorted; empty when the directory does not exist. */
  entries(): string[] {
    return this.listDir('.');
  }

  /** True when there is nothing in the directory worth keeping apart (or it does not exist). */
  isEmpty(): boolean {
    return this.meaningfulEntries().length === 0;
  }

  /** Top-level entries apart from a fresh `.git` and editor litter. */
  meaningfulEntries(): string[] {
    return this.entries().filter((name) => !IGNORABLE_IN_EMPTY_DIR.has(name));
  }

  abs(rel: string): string {
    return path.join(this.dir, rel);
  }

  isFile(rel: string): boolean {
    return this.stat(rel)?.isFile() ?? false;
  }

  isDir(rel: string): boolean {
    return this.stat(rel)?.isDirectory() ?? false;
  }

  listDir(rel: string): string[] {
    try {
      // A folder reached through a link out of the project is not the project's.
      const real = fs.realpathSync(this.abs(rel));
      const root = realRoot(this.dir);
      if (real !== root && !real.startsWith(root + path.sep)) return [];
      return fs.readdirSync(this.abs(rel)).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.notes.push(`skipped ${rel}: ${code ?? 'unreadable'}`);
      return [];
    }
  }

  /**
   * A file inside the project as text, or undefined (missing, a directory, not
   * a regular file, too big, unreadable or a link out of the project). Every
   * read goes through the guard in safe-fs.ts. Bytes that are not UTF-8 are
   * decoded leniently for detection only; the plan refuses to rewrite them.
   */
  readText(rel: string): string | undefined {
    if (this.textCache.has(rel)) return this.textCache.get(rel);
    let text: string | undefined;
    const read = readProjectFile(this.dir, rel);
    if (read.kind === 'file') text = read.bytes.toString('utf8');
    else if (read.kind === 'refused' && /not a regular file|larger than|cannot be read/.test(read.reason)) this.notes.push(`skipped ${read.reason}`);
    this.textCache.set(rel, text);
    return text;
  }

  /** Parsed JSON object, or undefined when the file is missing or not a JSON object. */
  readJson(rel: string): Record<string, unknown> | undefined {
    const text = this.readText(rel);
    if (text === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Relative paths of files below `rel` (POSIX separators) up to `maxDepth`
   * directory levels, skipping SKIPPED_DIRS, hidden directories and symlinks.
   * Bounded by `limit` so a huge tree cannot stall detection.
   */
  walk(options: { rel?: string; maxDepth: number; accept: (file: string) => boolean; limit?: number }): string[] {
    const found: string[] = [];
    const limit = options.limit ?? 10_000;
    const visit = (relDir: string, depth: number): void => {
      let dirents: fs.Dirent[];
      try {
        dirents = fs.readdirSync(this.abs(relDir), { withFileTypes: true });
      } catch (error) {
        this.notes.push(`skipped ${relDir}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
        return;
      }
      dirents.sort((a, b) => compareNames(a.name, b.name));
      for (const entry of dirents) {
        if (found.length >= limit) return;
        const relPath = relDir === '.' ? entry.name : `${relDir}/${entry.name}`;
        if (entry.isDirectory()) {
          if (depth < options.maxDepth && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) visit(relPath, depth + 1);
        } else if (entry.isFile() && options.accept(relPath)) {
          found.push(relPath);
        }
      }
    };
    visit(options.rel ?? '.', 0);
    return found;
  }

  private stat(rel: string): fs.Stats | undefined {
    try {
      return fs.statSync(this.abs(rel));
    } catch {
      return undefined;
    }
  }
}
