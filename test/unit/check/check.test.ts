// `create-multistage check [dir]`: drift of the generated files and the
// Dockerfile rules on any Dockerfile, exit codes and the --json report.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../../src/check/command.js';
import { RULE_FIXES } from '../../../src/check/fixes.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, snapshotTree, tempDir } from '../../helpers/tree.js';

async function goProject(): Promise<string> {
  const root = tempDir('cms-check-');
  const result = await runMain(['app', '--stack', 'go', '--runtime', 'slim', '--yes', '--skip-install'], { cwd: root });
  expect(result.code, result.stderr).toBe(0);
  return path.join(root, 'app');
}

/** Runs as root, installs without a cache mount, copies the source before the manifests. */
const HAND_WRITTEN = ['# syntax=docker/dockerfile:1', 'FROM node:24-trixie-slim AS app', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'EXPOSE 3000', 'CMD ["node", "server.js"]', ''].join('\n');

/** The shape --json promises; every field checked, so a renamed or dropped one fails. */
function validateReport(value: unknown): asserts value is CheckReport {
  const report = value as Record<string, unknown>;
  expect(Object.keys(report).sort()).toEqual(expect.arrayContaining(['directory', 'dockerfiles', 'files', 'notes', 'ok']));
  expect(typeof report['directory']).toBe('string');
  expect(typeof report['ok']).toBe('boolean');
  expect(Array.isArray(report['notes'])).toBe(true);
  for (const file of report['files'] as unknown[]) {
    expect(Object.keys(file as object).sort()).toEqual(['path', 'state']);
    expect(['as-generated', 'edited', 'outdated', 'edited+outdated', 'missing', 'unknown']).toContain((file as { state: string }).state);
  }
  for (const dockerfile of report['dockerfiles'] as { path: unknown; findings: unknown[] }[]) {
    expect(typeof dockerfile.path).toBe('string');
    for (const finding of dockerfile.findings as Record<string, unknown>[]) {
      expect(typeof finding['rule']).toBe('string');
      expect(typeof finding['message']).toBe('string');
      expect(typeof finding['fix']).toBe('string');
      expect((finding['fix'] as string).includes('\n')).toBe(false);
      if (finding['line'] !== undefined) expect(Number.isInteger(finding['line'])).toBe(true);
    }
  }
  if (report['generated'] !== undefined) {
    const generated = report['generated'] as Record<string, unknown>;
    expect(typeof generated['stack']).toBe('string');
    expect(typeof generated['version']).toBe('string');
  }
}

describe('check', () => {
  it('an untouched generated project: every file as generated, every rule holds, exit 0, nothing written', async () => {
    const dir = await goProject();
    const before = snapshotTree(dir);
    const human = await runMain(['check', dir], { cwd: dir });
    expect(human.code, human.stdout).toBe(0);
    expect(human.stdout).toMatch(/as-generated\s+Dockerfile/);
    expect(human.stdout).toMatch(/Dockerfile: every rule holds/);
    const json = await runMain(['check', '--json'], { cwd: dir });
    expect(json.code).toBe(0);
    const report = json.json();
    validateReport(report);
    expect(report.ok).toBe(true);
    expect(report.generated).toMatchObject({ stack: 'go' });
    expect(report.files.map((f) => [f.path, f.state]).sort()).toEqual([
      ['.dockerignore', 'as-generated'],
      ['Dockerfile', 'as-generated'],
      ['README.Docker.md', 'as-generated'],
      ['compose.yaml', 'as-generated'],
    ]);
    expect(report.dockerfiles).toEqual([{ path: 'Dockerfile', findings: [] }]);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('an edited project: reports the edit and exits 0 while the rules hold; 1 once an edit breaks one', async () => {
    const dir = await goProject();
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^(FROM \$\{RUNTIME_IMAGE\} AS production\n)/m, '$1# our own note\n'));
    fs.rmSync(path.join(dir, 'README.Docker.md'));
    const json = await runMain(['check', '--json'], { cwd: dir });
    const report = json.json();
    validateReport(report);
    expect(json.code).toBe(0);
    expect(report.files.find((f) => f.path === 'Dockerfile')?.state).toBe('edited');
    expect(report.files.find((f) => f.path === 'README.Docker.md')?.state).toBe('missing');
    expect(report.files.find((f) => f.path === 'compose.yaml')?.state).toBe('as-generated');

    // An edit that runs production as root fails DL3002 at the line of the USER.
    const text = fs.readFileSync(file, 'utf8');
    const userLine = text.split('\n').findIndex((l) => l === 'USER 65532:65532') + 1;
    fs.writeFileSync(file, text.replace('USER 65532:65532', 'USER root'));
    const failing = await runMain(['check', '--json'], { cwd: dir });
    expect(failing.code).toBe(1);
    const failed = failing.json();
    validateReport(failed);
    expect(failed.dockerfiles[0]!.findings).toContainEqual(expect.objectContaining({ rule: 'DL3002', line: userLine }));
  });

  it('a hand-written Dockerfile: root, no cache mount on the install, source before manifests: exit 1, each with rule id, line and fix', async () => {
    const dir = makeTree({ Dockerfile: HAND_WRITTEN, 'services/api/Dockerfile': HAND_WRITTEN, 'node_modules/x/Dockerfile': 'FROM scratch\n' });
    const human = await runMain(['check'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Dockerfile:2 {2}DL3002 /);
    expect(human.stdout).toMatch(/fix: end the shipped stage with a non-root USER/);

    const json = await runMain(['check', '.', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    const report = json.json();
    validateReport(report);
    expect(report.ok).toBe(false);
    expect(report.generated).toBeUndefined();
    // node_modules is never searched; a nested service is.
    expect(report.dockerfiles.map((d) => d.path)).toEqual(['Dockerfile', 'services/api/Dockerfile']);
    const findings = report.dockerfiles[0]!.findings;
    expect(findings).toContainEqual({ rule: 'DL3002', line: 2, message: expect.stringMatching(/root/), fix: RULE_FIXES['DL3002'] });
    expect(findings).toContainEqual({ rule: 'InstallCacheMount', line: 5, message: expect.stringMatching(/npm ci/), fix: RULE_FIXES['InstallCacheMount'] });
    expect(findings).toContainEqual({ rule: 'ManifestsBeforeSource', line: 5, message: expect.stringMatching(/line 4/), fix: RULE_FIXES['ManifestsBeforeSource'] });
  });

  it('the install rule passes once the install has a cache mount (the planted fault is what it catches)', async () => {
    const fixed = HAND_WRITTEN.replace('RUN npm ci', 'RUN --mount=type=cache,id=app-npm,target=/root/.npm npm ci');
    const dir = makeTree({ Dockerfile: fixed });
    const report = (await runMain(['check', '--json'], { cwd: dir })).json();
    validateReport(report);
    expect(report.dockerfiles[0]!.findings.map((f) => f.rule)).not.toContain('InstallCacheMount');
  });

  it('usage errors exit 2: an unknown flag, a missing directory, two directories', async () => {
    const dir = makeTree();
    for (const args of [
      ['check', '--frobnicate'],
      ['check', 'nope'],
      ['check', 'a', 'b'],
    ]) {
      const result = await runMain(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/check/);
    }
    const help = await runMain(['check', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: create-multistage check [dir] [--json]');
  });
});
