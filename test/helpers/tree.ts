// Temporary project trees and byte-for-byte snapshots of them.
//
// A snapshot records every entry under a directory (files, directories,
// symlinks) with its mode and exact bytes, so `expect(after).toEqual(before)`
// proves that a run left nothing behind: no changed byte, no changed mode, no
// stray temp or backup file, no leftover directory.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');

/** A file's content, or a file with an explicit mode, or a symbolic link. */
export type TreeEntry = string | Buffer | { content: string | Buffer; mode: number } | { symlink: string } | { dir: true };

const createdDirs: string[] = [];

// Every temp dir a test file makes is removed when that file's tests are done.
afterAll(() => {
  for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory (real path, so symlink checks see the same path the CLI does). */
export function tempDir(prefix = 'cms-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  createdDirs.push(dir);
  return dir;
}

/** Writes `files` (POSIX relative paths) into `root`, creating parent directories. */
export function writeTree(root: string, files: Record<string, TreeEntry>): void {
  for (const [rel, entry] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      fs.writeFileSync(abs, entry);
    } else if ('symlink' in entry) {
      fs.symlinkSync(entry.symlink, abs);
    } else if ('dir' in entry) {
      fs.mkdirSync(abs, { recursive: true });
    } else {
      fs.writeFileSync(abs, entry.content);
      // chmod after the write: a mode passed to writeFile is masked by the umask.
      fs.chmodSync(abs, entry.mode);
    }
  }
}

/** A temp directory holding `files`; returns its absolute path. */
export function makeTree(files: Record<string, TreeEntry> = {}, prefix?: string): string {
  const root = tempDir(prefix);
  writeTree(root, files);
  return root;
}

/** Every file of a fixture folder under test/fixtures, as a tree for makeTree. */
export function readFixture(name: string): Record<string, string> {
  const root = path.join(FIXTURES_DIR, name);
  if (!fs.existsSync(root)) throw new Error(`fixture ${name} does not exist (${root})`);
  const files: Record<string, string> = {};
  const visit = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(child);
      else files[child] = fs.readFileSync(path.join(root, child), 'utf8');
    }
  };
  visit('');
  return files;
}

export type SnapshotEntry = { type: 'file'; mode: number; sha256: string; size: number; text?: string } | { type: 'dir'; mode: number } | { type: 'symlink'; target: string } | { type: 'other' };

export type TreeSnapshot = Record<string, SnapshotEntry>;

/**
 * Path → entry for everything below `root` (never following symlinks). Small
 * UTF-8 files also carry their text so a failing comparison shows what changed.
 */
export function snapshotTree(root: string): TreeSnapshot {
  const snapshot: TreeSnapshot = {};
  const visit = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, childRel);
      const stat = fs.lstatSync(abs);
      if (stat.isSymbolicLink()) {
        snapshot[childRel] = { type: 'symlink', target: fs.readlinkSync(abs) };
      } else if (stat.isDirectory()) {
        snapshot[childRel] = { type: 'dir', mode: stat.mode & 0o7777 };
        visit(childRel);
      } else if (stat.isFile()) {
        const bytes = fs.readFileSync(abs);
        const entry: SnapshotEntry = {
          type: 'file',
          mode: stat.mode & 0o7777,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length,
        };
        const text = bytes.toString('utf8');
        if (bytes.length <= 64 * 1024 && Buffer.from(text, 'utf8').equals(bytes)) entry.text = text;
        snapshot[childRel] = entry;
      } else {
        snapshot[childRel] = { type: 'other' };
      }
    }
  };
  visit('');
  return snapshot;
}

/** Relative paths of the regular files in a snapshot. */
export function filesIn(snapshot: TreeSnapshot): string[] {
  return Object.keys(snapshot).filter((rel) => snapshot[rel]!.type === 'file');
}

export function readText(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, ...rel.split('/')), 'utf8');
}
