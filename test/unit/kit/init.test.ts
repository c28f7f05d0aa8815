// `kit init` writes a documented skeleton that passes `kit check`; `kit check`
// validates a kit and renders every stack with it, writing nothing, exit 0/1.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/errors.js';
import { MANIFEST_FILE } from '../../../src/kit/manifest.js';
import { schemaUrl } from '../../../src/kit/init.js';
import { KIT_STACKS as STACKS } from '../../../src/stacks/index.js';
import { VERSION } from '../../../src/index.js';
import type { RunReport } from '../../../src/create.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, snapshotTree } from '../../helpers/tree.js';
import { ACME_KIT, makeKit, manifest } from '../../helpers/kit.js';

describe('kit init', () => {
  it('writes the documented skeleton, which passes kit check', async () => {
    const cwd = makeTree();
    const init = await runMain(['kit', 'init', 'acme-kit'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    const dir = path.join(cwd, 'acme-kit');
    expect(
      Object.keys(snapshotTree(dir))
        .filter((p) => snapshotTree(dir)[p]!.type === 'file')
        .sort(),
    ).toEqual(['README.md', 'ca/README.md', 'files/docker-workflow.yml.hbs', MANIFEST_FILE, 'package.json', 'partials/oci-labels.hbs']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Record<string, unknown>;
    expect(json['$schema']).toBe(schemaUrl(VERSION));
    expect(json['name']).toBe('acme-kit');
    // A placeholder README for certificates, never a fake certificate.
    expect((json['stacks'] as Record<string, { caCertificates?: unknown[] }>)['*']!.caCertificates).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'ca/README.md'), 'utf8')).toContain('-----BEGIN CERTIFICATE-----` blocks each');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).not.toHaveProperty('scripts');

    const before = snapshotTree(cwd);
    const check = await runMain(['kit', 'check', 'acme-kit'], { cwd });
    expect(check.code, `${check.stdout}${check.stderr}`).toBe(0);
    expect(check.stdout).toContain('Kit acme-kit 0.1.0 (directory acme-kit)');
    for (const stack of STACKS.filter((s) => !s.existingOnly)) {
      expect(check.stdout).toMatch(new RegExp(`✓ ${stack.id} new\\s`));
      expect(check.stdout).toMatch(new RegExp(`✓ ${stack.id} existing\\s`));
    }
    expect(check.stdout).toContain(`Kit check passed: ${STACKS.filter((s) => !s.existingOnly).length * 2} renders, nothing written.`);
    expect(snapshotTree(cwd), 'kit check writes nothing').toEqual(before);
  });

  it('the skeleton works as a kit: the workflow, labels and partial reach the project', async () => {
    const cwd = makeTree();
    expect((await runMain(['kit', 'init', 'kit'], { cwd })).code).toBe(0);
    const run = await runMain(['app', '--stack', 'go', '--yes', '--kit', './kit'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const dockerfile = fs.readFileSync(path.join(cwd, 'app', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG GO_IMAGE=registry.example.com/mirror/golang:');
    expect(dockerfile).toContain('org.opencontainers.image.documentation="https://docs.example.com/images/app"');
    expect(dockerfile).toContain('org.opencontainers.image.vendor="Example Corp"');
    expect(fs.readFileSync(path.join(cwd, 'app', '.github/workflows/docker.yml'), 'utf8')).toContain('-t app:${{ github.sha }} .');
  });

  it('refuses to overwrite anything and writes nothing then', async () => {
    const cwd = makeTree({ 'kit/multistage-kit.json': '{"mine": true}\n', afile: 'x' });
    const before = snapshotTree(cwd);
    const existing = await runMain(['kit', 'init', 'kit'], { cwd });
    expect(existing.code).toBe(EXIT.usage);
    expect(existing.stderr).toContain('kit init does not overwrite: multistage-kit.json already exists in kit');
    const file = await runMain(['kit', 'init', 'afile'], { cwd });
    expect(file.code).toBe(EXIT.usage);
    expect(file.stderr).toContain('afile exists and is not a directory');
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it('takes exactly one directory', async () => {
    const cwd = makeTree();
    for (const argv of [
      ['kit', 'init'],
      ['kit', 'init', 'a', 'b'],
      ['kit', 'check'],
      ['kit', 'check', '--json'],
    ]) {
      const result = await runMain(argv, { cwd });
      expect(result.code, argv.join(' ')).toBe(EXIT.usage);
      expect(result.stderr).toContain('Usage: create-multistage kit init <dir> | create-multistage kit check');
    }
    expect(snapshotTree(cwd)).toEqual({});
  });
});

describe('kit check', () => {
  it('passes the acme kit and the python kit (with its own stack), from a directory and a .tgz', async () => {
    const cwd = makeTree();
    execFileSync('tar', ['-czf', path.join(cwd, 'acme.tgz'), '-C', ACME_KIT, '.']);
    const acme = await runMain(['kit', 'check', 'acme.tgz'], { cwd });
    expect(acme.code, acme.stdout + acme.stderr).toBe(0);
    expect(acme.stdout).toContain('images: registry.example.internal/library/node:26-trixie-slim');
    expect(acme.stdout).toContain('kit answers: --runtime slim (locked)');
    const python = await runMain(['kit', 'check', path.join(path.dirname(ACME_KIT), 'python')], { cwd });
    expect(python.code, python.stdout + python.stderr).toBe(0);
    expect(python.stdout).toContain('adds the stack python (Python): --name --port --python-version --server --debug-tools');
    expect(python.stdout).toMatch(/✓ python new\s+.*app\/__main__\.py/);
    expect(python.stdout).toMatch(/✓ python existing\s/);
    expect(Object.hasOwn(snapshotTree(cwd), 'acme.tgz')).toBe(true);
    expect(Object.keys(snapshotTree(cwd))).toEqual(['acme.tgz']);
  });

  it('an invalid kit is exit 1 with the reason', async () => {
    const kit = makeKit(manifest({ stacks: { nextjs: { locked: { port: 'http' } } } }));
    const result = await runMain(['kit', 'check', kit], { cwd: makeTree() });
    expect(result.code).toBe(EXIT.failed);
    expect(result.stderr).toContain('✗ Kit');
    expect(result.stderr).toContain('stacks.nextjs.locked.port must be a whole number from 1 to 65535');
  });

  it('a kit that breaks a render is exit 1, naming each stack and mode that failed', async () => {
    const kit = makeKit(manifest({ stacks: { nextjs: { templates: { 'README.Docker.md': 'readme.hbs' } } } }), { 'readme.hbs': '# {{name}} {{nosuchkey}}\n' });
    const result = await runMain(['kit', 'check', kit], { cwd: makeTree() });
    expect(result.code).toBe(EXIT.failed);
    expect(result.stdout).toMatch(/✗ nextjs new\s+Rendering readme.hbs failed: "nosuchkey" not defined/);
    expect(result.stdout).toMatch(/- nextjs existing\s+skipped: the new project did not render, so there is no existing sample/);
    expect(result.stdout).toMatch(/✓ go new\s/);
    expect(result.stderr).toContain(`Kit check failed: 1 of ${STACKS.filter((s) => !s.existingOnly).length * 2} renders failed. Nothing was written.`);
  });

  it('a Dockerfile override with an untagged image, or without a production stage, fails the check', async () => {
    const kit = makeKit(manifest({ stacks: { go: { templates: { Dockerfile: 'go.hbs' } }, nextjs: { templates: { Dockerfile: 'next.hbs' } } } }), {
      'go.hbs': '# syntax=docker/dockerfile:1\nFROM golang AS base\nFROM scratch AS production\n',
      'next.hbs': '# syntax=docker/dockerfile:1\nFROM node:26-trixie-slim AS base\n',
    });
    const result = await runMain(['kit', 'check', kit], { cwd: makeTree() });
    expect(result.code).toBe(EXIT.failed);
    expect(result.stdout).toMatch(/✗ go new\s+the Dockerfile uses the image golang, which must have an explicit tag or digest/);
    expect(result.stdout).toMatch(/✗ nextjs new\s+the Dockerfile has no production stage \(stages: base\)/);
  });
});

describe('the command line', () => {
  it('--help lists --kit and the kit commands', async () => {
    const help = (await runMain(['--help'], { cwd: makeTree() })).stdout;
    expect(help).toMatch(/--kit <spec>\s+organisation starter kit/);
    expect(help).toMatch(/kit init <dir>\s+write a documented starter kit skeleton/);
    expect(help).toMatch(/kit check <spec>\s+validate a kit and render every stack with it; writes nothing/);
  });

  it('"kit" alone is still a directory name', async () => {
    const result = await runMain(['kit', '--stack', 'nextjs', '--yes', '--skip-install', '--dry-run', '--json'], { cwd: makeTree() });
    expect(result.code, result.stderr).toBe(0);
    expect(path.basename(result.json<RunReport>().directory)).toBe('kit');
  });

  it('--kit needs a value', async () => {
    for (const argv of [['--kit'], ['--kit', '--yes'], ['--kit=']]) {
      const result = await runMain(argv, { cwd: makeTree() });
      expect(result.code, argv.join(' ')).toBe(EXIT.usage);
      expect(result.stderr).toMatch(/--kit (needs a value|must not be empty)/);
    }
  });
});
