/**
 * The nextjs-workspace stack end to end in memory: a workspace tree is laid
 * out, the CLI runs with --yes, and the written files are checked (per-app
 * stages, the pruned install of each package manager, scripts, compose, the
 * rule checker), at the root and inside an app folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { REPO_ROOT, filesIn, makeTree, readFixture, snapshotTree, type TreeEntry } from '../../helpers/tree.js';

const turboTree = readFixture('workspaces/pnpm-turbo');

/** The turbo fixture re-cast for another manager: its lockfile, its workspace list, no turbo.json. */
function treeFor(pm: 'npm' | 'yarn' | 'bun' | 'pnpm'): Record<string, TreeEntry> {
  const tree: Record<string, TreeEntry> = { ...turboTree };
  delete tree['turbo.json'];
  delete tree['pnpm-lock.yaml'];
  const root = JSON.parse(turboTree['package.json']!) as Record<string, unknown>;
  delete root['devDependencies'];
  delete root['packageManager'];
  if (pm === 'pnpm') return { ...tree, 'package.json': JSON.stringify(root), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" };
  delete tree['pnpm-workspace.yaml'];
  root['workspaces'] = ['apps/*', 'packages/*'];
  const lock: Record<string, Record<string, string>> = {
    npm: { 'package-lock.json': '{"lockfileVersion":3}\n' },
    yarn: { 'yarn.lock': '__metadata:\n  version: 8\n', '.yarnrc.yml': 'nodeLinker: node-modules\n' },
    bun: { 'bun.lock': '{"lockfileVersion":1}\n' },
  };
  if (pm === 'yarn') root['packageManager'] = 'yarn@4.18.1';
  for (const app of ['web', 'docs']) {
    const manifest = JSON.parse(turboTree[`apps/${app}/package.json`]!) as { dependencies: Record<string, string> };
    manifest.dependencies['@acme/ui'] = pm === 'npm' ? '*' : 'workspace:*';
    tree[`apps/${app}/package.json`] = JSON.stringify(manifest);
  }
  return { ...tree, 'package.json': JSON.stringify(root), ...lock[pm] };
}

async function generate(tree: Record<string, TreeEntry>, argv: string[], target = '.'): Promise<{ dir: string; files: Record<string, string>; stdout: string }> {
  const cwd = makeTree(tree);
  const result = await runMain([target, '--yes', ...argv], { cwd: path.join(cwd) });
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const dir = path.join(cwd, target);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(dir))) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  return { dir, files, stdout: result.stdout };
}

function stageNames(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]!);
}

function expectClean(dockerfile: string, dockerignore: string): void {
  const violations = checkDockerfile(dockerfile, { dockerignore });
  expect(violations, formatViolations(violations)).toEqual([]);
}

describe('nextjs-workspace at the root', () => {
  it('pnpm + turbo: shared base, prune, per-app stages, pruned install, scripts and compose', async () => {
    const { files } = await generate(turboTree, []);
    const dockerfile = files['Dockerfile']!;
    expect(stageNames(dockerfile)).toEqual([
      'base',
      'prune',
      'dependencies-docs',
      'development-docs',
      'builder-docs',
      'production-docs',
      'dependencies-web',
      'development-web',
      'builder-web',
      'production-web',
    ]);
    expect(dockerfile).toContain('RUN turbo prune web --docker --out-dir /pruned/web');
    expect(dockerfile).toContain('npm install -g turbo@2.11.13');
    expect(dockerfile).toContain('COPY --from=prune /pruned/web/json/ ./');
    // The builder of web copies web and ui, never docs.
    const builderWeb = dockerfile.slice(dockerfile.indexOf('AS builder-web'), dockerfile.indexOf('AS production-web'));
    expect(builderWeb).toContain('COPY packages/ui ./packages/ui');
    expect(builderWeb).toContain('COPY apps/web ./apps/web');
    expect(builderWeb).not.toContain('apps/docs');
    expect(dockerfile).toContain('CMD ["node","apps/web/server.js"]');
    expect(dockerfile).toContain('COPY --from=builder-docs --chown=1000:1000 /app/apps/docs/public ./apps/docs/public');
    expect(dockerfile).not.toContain('/app/apps/web/public');
    expect(dockerfile).toMatch(/AS production-docs[\s\S]*PORT=3001[\s\S]*USER 1000:1000/);
    expectClean(dockerfile, files['.dockerignore']!);
    const pkg = JSON.parse(files['package.json']!) as { scripts: Record<string, string> };
    expect(pkg.scripts['docker:build:web']).toBe('docker build --target production-web -t acme-web .');
    expect(pkg.scripts['docker:start:docs']).toBe('docker build --target production-docs -t acme-docs . && docker run --rm --init -p 3001:3001 acme-docs');
    expect(pkg.scripts['docker:dev:web']).toBe('docker compose up --build --watch dev-web');
    expect(files['compose.yaml']).toMatch(/dev-web:\n\s+build:\n\s+context: \.\n\s+dockerfile: Dockerfile\n\s+target: development-web/);
    expect(files['README.Docker.md']).toContain('`production-docs`');
    expect(files['.dockerignore']).toContain('**/node_modules');
  });

  it.each([
    ['npm', 'npm ci --workspace apps/web'],
    ['yarn', 'yarn workspaces focus web'],
    ['bun', 'bun install --frozen-lockfile --filter web'],
    ['pnpm', 'pnpm install --frozen-lockfile --store-dir /pnpm/store --filter web...'],
  ] as const)('%s without turbo: every manifest, the install filtered to the app', async (pm, install) => {
    const { files } = await generate(treeFor(pm), []);
    const dockerfile = files['Dockerfile']!;
    expect(stageNames(dockerfile)).not.toContain('prune');
    const depsWeb = dockerfile.slice(dockerfile.indexOf('AS dependencies-web'), dockerfile.indexOf('AS development-web'));
    expect(depsWeb).toContain(install);
    expect(depsWeb).toContain('COPY apps/docs/package.json ./apps/docs/package.json');
    expect(depsWeb).not.toMatch(/COPY (apps\/web|packages\/ui) /);
    expectClean(dockerfile, files['.dockerignore']!);
  });

  it('--apps picks apps by name or folder; unknown names are refused with the list', async () => {
    const { files } = await generate(turboTree, ['--apps', 'apps/web']);
    expect(stageNames(files['Dockerfile']!)).not.toContain('production-docs');
    expect(files['Dockerfile']).not.toContain('turbo prune docs');
    const cwd = makeTree(turboTree);
    const bad = await runMain(['.', '--yes', '--apps', 'admin'], { cwd });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--apps names "admin", which is not an app of this workspace; the apps are docs \(apps\/docs\), web \(apps\/web\)/);
    const twice = await runMain(['.', '--yes', '--apps', 'web,apps/web'], { cwd });
    expect(twice.stderr).toMatch(/twice/);
    expect(fs.existsSync(path.join(cwd, 'Dockerfile'))).toBe(false);
  });

  it('a kit applies as to a single app: mirrored base image, CA and packages in base, the CA bundle and labels in every production stage', async () => {
    const kit = path.join(REPO_ROOT, 'test/fixtures/kits/acme');
    const { files } = await generate(turboTree, ['--kit', kit]);
    const dockerfile = files['Dockerfile']!;
    expect(dockerfile).toContain('ARG NODE_IMAGE=registry.example.internal/library/node:26-trixie-slim\n');
    const stage = (name: string): string => dockerfile.split(/^FROM /m).find((text) => text.includes(` AS ${name}\n`))!;
    expect(stage('base')).toContain('COPY --chmod=0644 .multistage/ca/ /usr/local/share/ca-certificates/multistage/');
    expect(stage('base')).toMatch(/apt-get install -y --no-install-recommends ca-certificates jq/);
    for (const app of ['web', 'docs']) {
      expect(stage(`production-${app}`)).toContain('COPY --from=base /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
      expect(stage(`production-${app}`)).toContain('org.opencontainers.image.vendor="ACME Corp"');
    }
    expect(files['.multistage/ca/acme-root-ca.crt']).toBeDefined();
    expectClean(dockerfile, files['.dockerignore']!);
  });

  it('refuses --ci (the CI files name single-app stages) and writes nothing', async () => {
    const cwd = makeTree(turboTree);
    const before = snapshotTree(cwd);
    const result = await runMain(['.', '--yes', '--ci', 'github'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ci is not supported for Node workspaces yet');
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it('an app without standalone output is refused unless --standalone adds it', async () => {
    const tree = { ...turboTree, 'apps/docs/next.config.mjs': "const nextConfig = {\n  transpilePackages: ['@acme/ui'],\n};\n\nexport default nextConfig;\n" };
    const cwd = makeTree(tree);
    const refused = await runMain(['.', '--yes'], { cwd });
    expect(refused.stderr).toMatch(/apps\/docs\/next\.config\.mjs: output: 'standalone' is not set[\s\S]*--standalone/);
    const { files } = await generate(tree, ['--standalone']);
    expect(files['apps/docs/next.config.mjs']).toContain("output: 'standalone'");
  });
});

describe('nextjs-workspace inside an app folder', () => {
  it('generates for that app only, with the root as context and Dockerfile.dockerignore beside the Dockerfile', async () => {
    const { dir, files } = await generate(turboTree, [], 'apps/web');
    expect(stageNames(files['Dockerfile']!)).toEqual(['base', 'prune', 'dependencies-web', 'development-web', 'builder-web', 'production-web']);
    expect(files['Dockerfile.dockerignore']).toContain('**/node_modules');
    expect(files['.dockerignore']).toBeUndefined();
    const pkg = JSON.parse(files['package.json']!) as { scripts: Record<string, string> };
    expect(pkg.scripts['docker:build:web']).toBe('docker build -f Dockerfile --target production-web -t acme-web ../..');
    expect(files['compose.yaml']).toMatch(/context: \.\.\/\.\.\n\s+dockerfile: apps\/web\/Dockerfile/);
    expect(files['compose.yaml']).toMatch(/path: \.\n\s+target: \/app\/apps\/web/);
    expect(files['compose.yaml']).toMatch(/path: \.\.\/\.\.\/packages\/ui/);
    // Nothing was written above the folder the run started in.
    const root = path.resolve(dir, '../..');
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(false);
    expect(fs.existsSync(path.join(root, '.dockerignore'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts['docker:build:web']).toBeUndefined();
    expectClean(files['Dockerfile']!, files['Dockerfile.dockerignore']!);
  });

  it('--apps does not apply inside an app folder', async () => {
    const cwd = makeTree(turboTree);
    const result = await runMain(['apps/web', '--yes', '--apps', 'docs'], { cwd });
    expect(result.stderr).toMatch(/--apps does not apply/);
  });
});
