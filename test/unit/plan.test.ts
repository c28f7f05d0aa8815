// The plan: each rendered file is create / identical / conflict / blocked, and
// package.json is create / identical / merge / conflict with a "keep" that
// still adds the missing scripts. Aliases (docker-compose.yml) and symlinks
// are classified on the path that is actually there.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentToWrite, planFile, planPackageJson, resolveConflict, sortPlan, type PlanEntry } from '../../src/plan.js';
import { Project } from '../../src/project.js';
import type { RenderedFile } from '../../src/render.js';
import { runMain } from '../helpers/run-main.js';
import { makeTree, readFixture, snapshotTree } from '../helpers/tree.js';

const DOCKERFILE: RenderedFile = { path: 'Dockerfile', content: 'FROM node:24-trixie-slim AS base\n', kind: 'docker' };
const COMPOSE: RenderedFile = {
  path: 'compose.yaml',
  content: 'services:\n  dev: {}\n',
  kind: 'docker',
  aliases: ['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'],
};
const SCRIPTS = { 'docker:build': 'docker build --target production -t shop .', 'docker:dev': 'docker compose up --build dev' };
const NO_FALLBACK = { content: '{}\n', kind: 'docker' as const };

function plan(files: Parameters<typeof makeTree>[0], file: RenderedFile): PlanEntry {
  return planFile(new Project(makeTree(files)), file);
}

describe('rendered files', () => {
  it('create when absent', () => {
    const entry = plan({}, DOCKERFILE);
    expect(entry).toMatchObject({ path: 'Dockerfile', action: 'create', content: DOCKERFILE.content });
    expect(entry.existing).toBeUndefined();
    expect(contentToWrite(entry)).toBe(DOCKERFILE.content);
  });

  it('identical when the bytes match, and nothing is written', () => {
    const entry = plan({ Dockerfile: DOCKERFILE.content }, DOCKERFILE);
    expect(entry.action).toBe('identical');
    expect(contentToWrite(entry)).toBeUndefined();
  });

  it('line endings alone are no difference (a Git autocrlf checkout): identical, nothing written', () => {
    for (const existing of [DOCKERFILE.content.replace('\n', '\r\n'), DOCKERFILE.content.replace(/\n/g, '\r\n')]) {
      const entry = plan({ Dockerfile: existing }, DOCKERFILE);
      expect(entry).toMatchObject({ action: 'identical', existing });
      expect(contentToWrite(entry)).toBeUndefined();
    }
  });

  it('a one-byte difference (final newline) is a conflict with the existing text kept for the diff', () => {
    for (const existing of [DOCKERFILE.content.trimEnd()]) {
      const entry = plan({ Dockerfile: existing }, DOCKERFILE);
      expect(entry).toMatchObject({ action: 'conflict', existing, reason: 'Dockerfile exists and differs' });
      expect(contentToWrite(entry)).toBeUndefined();
    }
  });

  it('a conflict resolved "keep" writes nothing; "overwrite" writes the new content', () => {
    const entry = plan({ Dockerfile: 'FROM scratch\n' }, DOCKERFILE);
    expect(contentToWrite(resolveConflict(entry, 'keep'))).toBeUndefined();
    expect(contentToWrite(resolveConflict(entry, 'overwrite'))).toBe(DOCKERFILE.content);
  });

  it('blocked when a directory (or anything but a file) is in the way', () => {
    const entry = plan({ 'Dockerfile/inner': 'x' }, DOCKERFILE);
    expect(entry).toMatchObject({ action: 'blocked', reason: 'Dockerfile exists and is not a regular file' });
    expect(contentToWrite(entry)).toBeUndefined();
  });
});

describe('compose.yaml and its aliases', () => {
  it('an existing docker-compose.yml that differs is a conflict on that path', () => {
    const entry = plan({ 'docker-compose.yml': 'services:\n  web: {}\n' }, COMPOSE);
    expect(entry).toMatchObject({ path: 'docker-compose.yml', action: 'conflict' });
    expect(entry.reason).toBe('docker-compose.yml exists and differs (it stands for compose.yaml)');
    // Overwriting replaces the user's file where it is; no second compose file appears.
    expect(contentToWrite(resolveConflict(entry, 'overwrite'))).toBe(COMPOSE.content);
  });

  it('an identical docker-compose.yml is identical', () => {
    expect(plan({ 'docker-compose.yml': COMPOSE.content }, COMPOSE)).toMatchObject({ path: 'docker-compose.yml', action: 'identical' });
  });

  it('compose.yml and docker-compose.yaml count too; compose.yaml itself comes first', () => {
    expect(plan({ 'compose.yml': 'x: 1\n' }, COMPOSE)).toMatchObject({ path: 'compose.yml', action: 'conflict' });
    expect(plan({ 'docker-compose.yaml': COMPOSE.content }, COMPOSE)).toMatchObject({ path: 'docker-compose.yaml', action: 'identical' });
    expect(plan({ 'compose.yaml': COMPOSE.content, 'docker-compose.yml': 'other\n' }, COMPOSE)).toMatchObject({ path: 'compose.yaml', action: 'identical' });
  });

  it('through the CLI, a differing docker-compose.yml stops a non-interactive run and stays as it was', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), 'docker-compose.yml': 'services:\n  web: {}\n' });
    const before = snapshotTree(cwd);
    const result = await runMain(['--yes'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('docker-compose.yml exists and differs');
    expect(snapshotTree(cwd)).toEqual(before);
  });
});

describe('a symlinked Dockerfile', () => {
  it('pointing inside the project: a conflict whose reason says overwriting replaces the link', () => {
    const entry = plan({ 'docker/Dockerfile.prod': DOCKERFILE.content, Dockerfile: { symlink: 'docker/Dockerfile.prod' } }, DOCKERFILE);
    // Even with identical content behind it: writing would replace the link with a file.
    expect(entry.action).toBe('conflict');
    expect(entry.existing).toBe(DOCKERFILE.content);
    expect(entry.reason).toBe('Dockerfile is a symbolic link; overwriting replaces the link, not what it points to');
  });

  it('pointing outside the project: a conflict that never reads the target', () => {
    const outside = makeTree({ 'Dockerfile.shared': 'FROM secret\n' });
    const entry = plan({ Dockerfile: { symlink: path.join(outside, 'Dockerfile.shared') } }, DOCKERFILE);
    expect(entry.action).toBe('conflict');
    expect(entry.existing).toBeUndefined();
    expect(entry.reason).toBe('Dockerfile is a symbolic link pointing outside the project; overwriting replaces the link, not what it points to');
  });

  it('dangling: a conflict too, never a silent create through the link', () => {
    const entry = plan({ Dockerfile: { symlink: 'missing/Dockerfile' } }, DOCKERFILE);
    expect(entry.action).toBe('conflict');
    expect(entry.reason).toContain('symbolic link');
  });

  it('--force replaces the link itself and leaves the outside file untouched', async () => {
    const outside = makeTree({ 'Dockerfile.shared': 'FROM secret\n' });
    const outsideBefore = snapshotTree(outside);
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), Dockerfile: { symlink: path.join(outside, 'Dockerfile.shared') } });
    const result = await runMain(['--yes', '--force'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(fs.lstatSync(path.join(cwd, 'Dockerfile')).isFile()).toBe(true);
    expect(snapshotTree(outside)).toEqual(outsideBefore);
  });
});

describe('package.json', () => {
  const existing = '{\n    "name": "shop",\n    "scripts": {\n        "dev": "next dev"\n    }\n}\n';

  it('merge: adds the scripts, keeps the indentation and every existing script', () => {
    const entry = planPackageJson(new Project(makeTree({ 'package.json': existing })), SCRIPTS, NO_FALLBACK);
    expect(entry.action).toBe('merge');
    expect(entry.scriptsAdded).toEqual(['docker:build', 'docker:dev']);
    expect(entry.content).toBe(
      '{\n    "name": "shop",\n    "scripts": {\n        "dev": "next dev",\n        "docker:build": "docker build --target production -t shop .",\n        "docker:dev": "docker compose up --build dev"\n    }\n}\n',
    );
  });

  it('identical: every script already there with the same command', () => {
    const merged = planPackageJson(new Project(makeTree({ 'package.json': existing })), SCRIPTS, NO_FALLBACK).content;
    const entry = planPackageJson(new Project(makeTree({ 'package.json': merged })), SCRIPTS, NO_FALLBACK);
    expect(entry.action).toBe('identical');
    expect(contentToWrite(entry)).toBeUndefined();
  });

  it('create: no package.json yet, the fallback gets the scripts', () => {
    const entry = planPackageJson(new Project(makeTree()), SCRIPTS, { content: '{\n  "name": "api",\n  "private": true\n}\n', kind: 'docker' });
    expect(entry.action).toBe('create');
    expect(JSON.parse(entry.content)).toEqual({ name: 'api', private: true, scripts: SCRIPTS });
  });

  it('a script of the same name with another command is a conflict: keep adds the others, overwrite replaces it', () => {
    const text = '{\n  "name": "shop",\n  "scripts": {\n    "docker:build": "docker build -t mine ."\n  }\n}\n';
    const entry = planPackageJson(new Project(makeTree({ 'package.json': text })), SCRIPTS, NO_FALLBACK);
    expect(entry.action).toBe('conflict');
    expect(entry.reason).toBe('package.json already has script "docker:build" with a different command');
    expect(entry.existing).toBe(text);

    const kept = contentToWrite(resolveConflict(entry, 'keep'))!;
    expect(JSON.parse(kept)).toEqual({ name: 'shop', scripts: { 'docker:build': 'docker build -t mine .', 'docker:dev': SCRIPTS['docker:dev'] } });
    expect(kept.startsWith('{\n  "name": "shop",\n  "scripts": {\n    "docker:build": "docker build -t mine .",\n')).toBe(true);

    const overwritten = contentToWrite(resolveConflict(entry, 'overwrite'))!;
    expect(JSON.parse(overwritten)).toEqual({ name: 'shop', scripts: SCRIPTS });
    // Only the value changed: the key stays where it was.
    expect(overwritten.indexOf('"docker:build"')).toBe(text.indexOf('"docker:build"'));
  });

  it('keep with nothing else to add writes nothing', () => {
    const text = JSON.stringify({ scripts: { 'docker:build': 'mine', 'docker:dev': SCRIPTS['docker:dev'] } }, null, 2);
    const entry = planPackageJson(new Project(makeTree({ 'package.json': text })), SCRIPTS, NO_FALLBACK);
    expect(entry.action).toBe('conflict');
    expect(contentToWrite(resolveConflict(entry, 'keep'))).toBeUndefined();
  });

  it('a directory named package.json is blocked', () => {
    const entry = planPackageJson(new Project(makeTree({ 'package.json/x': '' })), SCRIPTS, NO_FALLBACK);
    expect(entry.action).toBe('blocked');
  });

  it('a package.json linked from outside the project is blocked, not read', () => {
    const outside = makeTree({ 'package.json': '{"name":"elsewhere"}' });
    const entry = planPackageJson(new Project(makeTree({ 'package.json': { symlink: path.join(outside, 'package.json') } })), SCRIPTS, NO_FALLBACK);
    expect(entry).toMatchObject({ action: 'blocked', reason: 'package.json is a symbolic link pointing outside the project' });
  });
});

describe('blocked entries through the CLI', () => {
  it('exit 1 naming the path, and nothing is written, even with --force', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), 'Dockerfile/keep.txt': 'a directory, not a file\n' });
    const before = snapshotTree(cwd);
    const result = await runMain(['--yes', '--force'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Dockerfile exists and is not a regular file');
    expect(snapshotTree(cwd)).toEqual(before);
  });
});

describe('plan order', () => {
  it('top-level files first, then deeper ones, alphabetically', () => {
    const entries = ['app/page.tsx', 'Dockerfile', '.dockerignore', 'public/robots.txt', 'compose.yaml'].map((p) => ({ path: p, action: 'create' as const, kind: 'docker' as const, content: '' }));
    expect(sortPlan(entries).map((e) => e.path)).toEqual(['.dockerignore', 'compose.yaml', 'Dockerfile', 'app/page.tsx', 'public/robots.txt']);
  });
});

describe('a dry run on a mixed tree', () => {
  it('reports create / identical / merge / conflict per file and writes nothing', async () => {
    const cwd = makeTree(readFixture('nextjs-detect/npm'));
    // First a real run, then change one file and remove another.
    expect((await runMain(['--yes'], { cwd })).code).toBe(0);
    fs.writeFileSync(path.join(cwd, 'Dockerfile'), 'FROM scratch\n');
    fs.rmSync(path.join(cwd, 'README.Docker.md'));
    const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    delete pkg.scripts['docker:start'];
    fs.writeFileSync(path.join(cwd, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const before = snapshotTree(cwd);

    const result = await runMain(['--yes', '--dry-run', '--json'], { cwd });
    expect(result.code).toBe(0);
    const report = result.json<{ written: boolean; files: { path: string; action: string }[] }>();
    expect(report.written).toBe(false);
    expect(Object.fromEntries(report.files.map((f) => [f.path, f.action]))).toEqual({
      '.dockerignore': 'identical',
      'compose.yaml': 'identical',
      Dockerfile: 'conflict',
      'package.json': 'merge',
      'README.Docker.md': 'create',
    });
    // The human plan with the diffs goes to stderr when stdout carries JSON.
    expect(result.stderr).toContain('--- a/Dockerfile');
    expect(result.stderr).toContain('+++ b/README.Docker.md');
    expect(snapshotTree(cwd)).toEqual(before);
  });
});
