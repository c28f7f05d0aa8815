// The go-workspace stack through the whole CLI, in-process: at a go.work root
// with --yes every app gets development/builder/production targets whose
// builder copies only the app and its closure; --apps picks apps and rejects
// unknown ones; a replace outside the repository is an error naming the line
// that writes nothing; run inside a module folder, only that app is
// generated, with the root as build context and the files beside it.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/create.js';
import { toProjectName } from '../../../src/validate.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, readFixture, readText, snapshotTree } from '../../helpers/tree.js';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';

async function runJson(argv: string[], cwd: string): Promise<RunReport> {
  const result = await runMain([...argv, '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return result.json<RunReport>();
}

function expectClean(dockerfile: string, dockerignore: string, apps: string[]): void {
  const violations = checkDockerfile(dockerfile, { dockerignore, productionTargets: apps.map((app) => `production-${app}`) });
  expect(violations, formatViolations(violations)).toEqual([]);
}

/** The COPY lines of one stage, in order. */
function copyLinesOf(dockerfile: string, stage: string): string[] {
  const start = dockerfile.indexOf(` AS ${stage}\n`);
  expect(start, `stage ${stage}`).toBeGreaterThan(0);
  const rest = dockerfile.slice(start).split('\nFROM ')[0]!;
  return rest.split('\n').filter((line) => line.startsWith('COPY '));
}

const fixture = (): Record<string, string> => ({ ...readFixture('workspaces/go-work'), '.git/HEAD': 'ref: refs/heads/main\n' });

describe('go-workspace at the go.work root', () => {
  it('--yes: one Dockerfile with a target trio per app, closure-only builders, per-app scripts and compose services; a re-run is identical', async () => {
    const root = makeTree(fixture(), 'cms-gows-');
    const report = await runJson(['--yes'], root);
    expect(report.stack).toBe('go-workspace');
    const dockerfile = readText(root, 'Dockerfile');
    expectClean(dockerfile, readText(root, '.dockerignore'), ['api', 'web']);
    for (const stage of ['base', 'dependencies', 'development-api', 'builder-api', 'production-api', 'development-web', 'builder-web', 'production-web']) {
      expect(dockerfile).toContain(` AS ${stage}\n`);
    }
    // Manifests only before the one download: every module's go.mod, no source.
    expect(copyLinesOf(dockerfile, 'dependencies')).toEqual([
      'COPY go.work ./',
      'COPY libs/shared/go.mod ./libs/shared/',
      'COPY services/api/go.mod ./services/api/',
      'COPY services/web/go.mod ./services/web/',
    ]);
    expect(dockerfile.match(/go mod download\n/g)).toHaveLength(3); // dependencies once, each development stage's offline copy
    // The api builder never sees services/web, and the other way round.
    expect(copyLinesOf(dockerfile, 'builder-api')).toEqual(['COPY services/api ./services/api', 'COPY libs/shared ./libs/shared']);
    expect(copyLinesOf(dockerfile, 'builder-web')).toEqual(['COPY services/web ./services/web', 'COPY libs/shared ./libs/shared']);
    // Servers with a -healthcheck flag: ports from their code, the self-probe, uid 65532.
    expect(dockerfile).toContain('EXPOSE 8081\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n    CMD ["/app/api","-healthcheck"]');
    expect(dockerfile).toContain('ENV PORT=8082\nUSER 65532:65532\nEXPOSE 8082');

    const pkg = JSON.parse(readText(root, 'package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['docker:build:api']).toBe(`docker build --target production-api -t ${report.answers['name']}-api .`);
    expect(pkg.scripts['docker:dev:web']).toBe('docker compose up --build dev-web');
    expect(Object.keys(pkg.scripts).sort()).toEqual(['docker:build:api', 'docker:build:web', 'docker:dev:api', 'docker:dev:web', 'docker:start:api', 'docker:start:web']);
    const compose = readText(root, 'compose.yaml');
    expect(compose).toContain('  dev-api:\n    build:\n      context: .\n      target: development-api');
    expect(compose).toContain('  web:\n    build:\n      context: .\n      target: production-web');
    expect(readText(root, 'README.Docker.md')).toContain('| api | `services/api` | `development-api`, `builder-api`, `production-api` | 8081 |');

    const again = await runJson(['--yes'], root);
    expect(
      again.files.every((file) => file.action === 'identical'),
      JSON.stringify(again.files),
    ).toBe(true);
  });

  it('--apps web builds only web; an unknown app is a usage error naming the apps there are, and writes nothing', async () => {
    const root = makeTree(fixture(), 'cms-gows-apps-');
    await runJson(['--yes', '--apps', 'services/web'], root);
    const dockerfile = readText(root, 'Dockerfile');
    expect(dockerfile).toContain(' AS production-web\n');
    expect(dockerfile).not.toContain('production-api');

    const clean = makeTree(fixture(), 'cms-gows-bad-');
    const before = snapshotTree(clean);
    const result = await runMain(['--yes', '--apps', 'worker'], { cwd: clean });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('"worker", which is not an app of this workspace; the apps are api (services/api), web (services/web)');
    expect(snapshotTree(clean)).toEqual(before);
  });

  it('a replace inside the repository is part of the closure; one outside is an error naming the line, writing nothing', async () => {
    const inside = makeTree(
      {
        ...fixture(),
        'go.work': 'go 1.24\n\nuse (\n\t./services/api\n\t./services/web\n)\n\nreplace example.com/shared => ./libs/shared\n',
        'services/api/go.mod': 'module example.com/api\n\ngo 1.24\n\nrequire example.com/shared v0.0.0\n',
      },
      'cms-gows-replace-',
    );
    await runJson(['--yes'], inside);
    const dockerfile = readText(inside, 'Dockerfile');
    expect(copyLinesOf(dockerfile, 'dependencies')).toContain('COPY libs/shared/go.mod ./libs/shared/');
    expect(copyLinesOf(dockerfile, 'builder-api')).toEqual(['COPY services/api ./services/api', 'COPY libs/shared ./libs/shared']);

    const outside = makeTree({ ...fixture(), 'go.work': 'go 1.24\n\nuse (\n\t./services/api\n\t./services/web\n)\n\nreplace example.com/shared => ../elsewhere/shared\n' }, 'cms-gows-out-');
    const before = snapshotTree(outside);
    const result = await runMain(['--yes'], { cwd: outside });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/go\.work:8: replace example\.com\/shared => .*\.\.\/elsewhere\/shared/);
    expect(snapshotTree(outside)).toEqual(before);
  });
});

describe('go-workspace run inside a module folder', () => {
  it('generates for that app only, root as context, Dockerfile.dockerignore beside the Dockerfile, nothing written outside the folder', async () => {
    const root = makeTree(fixture(), 'cms-gows-inside-');
    const outsideBefore = snapshotTree(root);
    const dir = path.join(root, 'services/api');
    const report = await runJson(['--yes'], dir);
    expect(report.stack).toBe('go-workspace');
    expect(report.files.map((file) => file.path).sort()).toEqual(['Dockerfile', 'Dockerfile.dockerignore', 'README.Docker.md', 'compose.yaml', 'package.json']);
    const after = snapshotTree(root);
    const changed = Object.keys(after).filter((rel) => JSON.stringify(after[rel]) !== JSON.stringify(outsideBefore[rel]));
    expect(
      changed.every((rel) => rel.startsWith('services/api/')),
      changed.join(', '),
    ).toBe(true);

    const dockerfile = readText(dir, 'Dockerfile');
    expectClean(dockerfile, readText(dir, 'Dockerfile.dockerignore'), ['api']);
    expect(dockerfile).toContain(' AS production-api\n');
    expect(dockerfile).not.toContain('production-web');
    expect(dockerfile).not.toContain('COPY services/web ./');
    const pkg = JSON.parse(readText(dir, 'package.json')) as { scripts: Record<string, string> };
    // Named after the workspace's folder, as at the root (not api-api).
    expect(report.answers['name']).toBe(toProjectName(path.basename(root)));
    expect(pkg.scripts['docker:build:api']).toBe(`docker build -f Dockerfile --target production-api -t ${report.answers['name']}-api ../..`);
    expect(readText(dir, 'compose.yaml')).toContain('      context: ../..\n      dockerfile: services/api/Dockerfile\n      target: production-api');
  });
});

describe('go-workspace and --ci', () => {
  it('refuses --ci (its bake file names single-app stages) and writes nothing', async () => {
    const root = makeTree(fixture(), 'cms-gows-ci-');
    const before = snapshotTree(root);
    const result = await runMain(['--yes', '--ci', 'github'], { cwd: root });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--ci is not supported for go.work workspaces yet');
    expect(snapshotTree(root)).toEqual(before);
  });
});
