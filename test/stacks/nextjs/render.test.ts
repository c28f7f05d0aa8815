// Every Next.js option combination renders a Dockerfile that passes the
// DOCKERFILE-RULES checker with zero violations, plus targeted checks of what
// the contract promises in the Dockerfile, compose.yaml, README.Docker.md and
// the npm scripts.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { filesIn, makeTree, readFixture, snapshotTree, type TreeEntry } from '../../helpers/tree.js';

const EXPECTED_STAGES = ['base', 'dependencies', 'development', 'builder', 'production'];

interface Generated {
  dir: string;
  /** Every file the run wrote or left, by relative path. */
  files: Record<string, string>;
  stdout: string;
}

async function generate(tree: Record<string, TreeEntry>, argv: string[], target = '.'): Promise<Generated> {
  const cwd = makeTree(tree);
  const result = await runMain([target, '--yes', '--skip-install', ...argv], { cwd });
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const dir = path.join(cwd, target);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(dir))) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  return { dir, files, stdout: result.stdout };
}

/** Instructions of each stage, continuation lines joined, comments dropped. */
function stages(dockerfile: string): Map<string, string[]> {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const instruction of instructions) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(instruction);
    if (from) {
      current = [];
      result.set(from[1]!, current);
    } else if (current) {
      current.push(instruction.replace(/\s+/g, ' '));
    }
  }
  return result;
}

function stage(dockerfile: string, name: string): string[] {
  const found = stages(dockerfile).get(name);
  if (!found) throw new Error(`no stage ${name} in:\n${dockerfile}`);
  return found;
}

function execForm(instruction: string, keyword: 'CMD' | 'HEALTHCHECK'): string[] {
  const json = keyword === 'CMD' ? instruction.replace(/^CMD /, '') : instruction.replace(/^HEALTHCHECK .*?CMD /, '');
  const parsed: unknown = JSON.parse(json);
  expect(Array.isArray(parsed) && parsed.every((p) => typeof p === 'string'), `${keyword} in exec form: ${instruction}`).toBe(true);
  return parsed as string[];
}

const PMS = [
  { fixture: 'npm', pm: 'npm', lockfile: 'package-lock.json', install: 'npm ci', cacheTarget: '/root/.npm' },
  { fixture: 'pnpm', pm: 'pnpm', lockfile: 'pnpm-lock.yaml', install: 'pnpm install --frozen-lockfile', cacheTarget: '/pnpm/store' },
  { fixture: 'yarn-classic', pm: 'yarn', lockfile: 'yarn.lock', install: 'yarn install --frozen-lockfile', cacheTarget: '/usr/local/share/.cache/yarn' },
  { fixture: 'yarn-berry', pm: 'yarn', lockfile: 'yarn.lock', install: 'yarn install --immutable', cacheTarget: '/root/.yarn/berry/cache' },
  { fixture: 'bun', pm: 'bun', lockfile: 'bun.lock', install: 'bun install --frozen-lockfile', cacheTarget: '/root/.bun/install/cache' },
] as const;
const RUNTIMES = ['slim', 'distroless'] as const;

const STANDALONE_CONFIG = "const nextConfig = {\n  output: 'standalone',\n};\n\nexport default nextConfig;\n";
const PLAIN_CONFIG = 'const nextConfig = {\n  reactStrictMode: true,\n};\n\nexport default nextConfig;\n';

const combinations = PMS.flatMap((pm) => RUNTIMES.flatMap((runtime) => [true, false].flatMap((standalone) => [true, false].map((hasPublic) => ({ pm, runtime, standalone, hasPublic })))));

describe('every pm × runtime × standalone × public/ combination (existing projects)', () => {
  it.each(combinations.map((c) => [`${c.pm.fixture} ${c.runtime} standalone=${c.standalone} public=${c.hasPublic}`, c] as const))('%s', async (_title, c) => {
    const tree: Record<string, TreeEntry> = {
      ...readFixture(`nextjs-detect/${c.pm.fixture}`),
      'next.config.mjs': c.standalone ? STANDALONE_CONFIG : PLAIN_CONFIG,
      'app/page.tsx': 'export default function Page() { return <h1>hi</h1>; }\n',
      ...(c.hasPublic ? { 'public/robots.txt': 'User-agent: *\n' } : {}),
    };
    const { files } = await generate(tree, ['--runtime', c.runtime]);
    const dockerfile = files['Dockerfile']!;
    const dockerignore = files['.dockerignore']!;
    expect(dockerfile).toBeDefined();
    expect(dockerignore).toBeDefined();

    const violations = checkDockerfile(dockerfile, { dockerignore, expectedStages: EXPECTED_STAGES });
    expect(violations, `${formatViolations(violations)}\n\n${dockerfile}`).toEqual([]);

    const name = `fixture-${c.pm.fixture}`;
    const dependencies = stage(dockerfile, 'dependencies');
    const builder = stage(dockerfile, 'builder');
    const production = stage(dockerfile, 'production');

    // Manifests (package.json + the lockfile) before the install; the source never enters this stage.
    const manifestCopy = dependencies.find((i) => i.startsWith('COPY '));
    expect(manifestCopy).toBeDefined();
    expect(manifestCopy!.split(' ')).toEqual(expect.arrayContaining(['package.json', c.pm.lockfile]));
    expect(dependencies.some((i) => /^COPY (--\S+ )*\. /.test(i))).toBe(false);
    const install = dependencies.find((i) => i.startsWith('RUN '))!;
    expect(dependencies.indexOf(manifestCopy!)).toBeLessThan(dependencies.indexOf(install));
    expect(install).toContain(c.pm.install);
    // A cache mount on the package manager's store, with an id of this project.
    expect(install).toContain(`--mount=type=cache,id=${name}-${c.pm.pm},target=${c.pm.cacheTarget}`);

    // The builder gets node_modules from dependencies before the source arrives.
    const modules = builder.findIndex((i) => i.startsWith('COPY --from=dependencies') && i.includes('/app/node_modules'));
    const source = builder.findIndex((i) => i === 'COPY . .');
    expect(modules).toBeGreaterThanOrEqual(0);
    expect(source).toBeGreaterThan(modules);
    expect(builder.some((i) => i.startsWith('RUN ') && i.includes('--mount=type=cache') && i.includes('/app/.next/cache'))).toBe(true);

    // Production: listens on every interface, non-root numeric user, exec-form healthcheck, OCI title.
    expect(production.some((i) => i.startsWith('ENV ') && /\bHOSTNAME=0\.0\.0\.0\b/.test(i))).toBe(true);
    const users = production.filter((i) => i.startsWith('USER '));
    expect(users).toHaveLength(1);
    expect(users[0]).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(users[0]).toBe(c.runtime === 'distroless' ? 'USER 65532:65532' : 'USER 1000:1000');
    const healthcheck = production.find((i) => i.startsWith('HEALTHCHECK '));
    expect(healthcheck).toBeDefined();
    const probe = execForm(healthcheck!, 'HEALTHCHECK');
    expect(probe[0]).toBe(c.runtime === 'distroless' ? '/nodejs/bin/node' : 'node');
    expect(probe.join(' ')).not.toMatch(/curl|wget/);
    expect(production.some((i) => i.startsWith('LABEL ') && i.includes(`org.opencontainers.image.title="${name}"`))).toBe(true);
    expect(production.some((i) => i.includes('org.opencontainers.image.version="1.2.3"'))).toBe(true);

    const cmd = execForm(
      production.find((i) => i.startsWith('CMD '))!,
      'CMD',
    );
    // distroless runs node as its entrypoint; slim needs node in CMD.
    expect(cmd[0] === 'node').toBe(c.runtime === 'slim');
    const copies = production.filter((i) => i.startsWith('COPY '));
    if (c.standalone) {
      expect(cmd[cmd.length - 1]).toBe('server.js');
      expect(copies.some((i) => i.includes('/app/.next/standalone ./'))).toBe(true);
      expect(copies.some((i) => i.includes('/app/.next/static ./.next/static'))).toBe(true);
      expect(copies.some((i) => i.includes('node_modules'))).toBe(false);
    } else {
      // The fallback: production node_modules, the build, and `next start`.
      expect(cmd).toEqual(expect.arrayContaining(['start']));
      expect(cmd.some((part) => part.includes('next'))).toBe(true);
      expect(cmd.join(' ')).toContain('--hostname 0.0.0.0');
      expect(copies.some((i) => i.includes('/app/.next ./.next'))).toBe(true);
      expect(copies.some((i) => i.includes('/app/next.config.mjs ./next.config.mjs'))).toBe(true);
      // node_modules comes from a stage that dropped the dev dependencies.
      const modulesCopy = copies.find((i) => i.includes('/app/node_modules ./node_modules'));
      expect(modulesCopy).toBeDefined();
      const fromStage = /--from=(\S+)/.exec(modulesCopy!)![1]!;
      expect(stage(dockerfile, fromStage).some((i) => i.startsWith('RUN ') && /prune|--production/.test(i))).toBe(true);
    }
    expect(copies.some((i) => i.includes('/app/public ./public'))).toBe(c.hasPublic);
    // Only build outputs: every production COPY comes from an earlier stage, never the context.
    expect(copies.every((i) => i.startsWith('COPY --from='))).toBe(true);

    for (const [rel, text] of Object.entries(files)) {
      expect(text, `${rel} has an HTML-escaped character`).not.toMatch(/&#x[0-9A-F]+;|&quot;|&amp;|&lt;|&gt;/);
      expect(text, `${rel} has an unrendered template tag`).not.toContain('{{');
    }
  });
});

describe('new projects: every pm × runtime', () => {
  it.each(['npm', 'pnpm', 'yarn', 'bun'].flatMap((pm) => RUNTIMES.map((runtime) => [pm, runtime] as const)))('--pm %s --runtime %s', async (pm, runtime) => {
    const { files } = await generate({}, ['--stack', 'nextjs', '--pm', pm, '--runtime', runtime], 'my-app');
    const dockerfile = files['Dockerfile']!;
    const violations = checkDockerfile(dockerfile, { dockerignore: files['.dockerignore']!, expectedStages: EXPECTED_STAGES });
    expect(violations, `${formatViolations(violations)}\n\n${dockerfile}`).toEqual([]);
    // A new app is standalone with a public/ dir.
    const production = stage(dockerfile, 'production');
    expect(production.some((i) => i.includes('/app/.next/standalone'))).toBe(true);
    expect(production.some((i) => i.includes('/app/public ./public'))).toBe(true);
    expect(files['next.config.ts']).toContain("output: 'standalone'");
    expect(files['public/robots.txt']).toBeDefined();
    expect(dockerfile.split('\n')[1]).toBe(`# create-multistage: --stack nextjs --name my-app --port 3000 --node-version 26 --pm ${pm} --runtime ${runtime}`);
    for (const [rel, text] of Object.entries(files)) expect(text, rel).not.toContain('&#x3D;');
  });

  it('a yarn project is yarn berry, with its config copied with the manifests', async () => {
    const { files } = await generate({}, ['--stack', 'nextjs', '--pm', 'yarn'], 'my-app');
    expect(files['.yarnrc.yml']).toBeDefined();
    const manifests = stage(files['Dockerfile']!, 'dependencies').find((i) => i.startsWith('COPY '))!;
    expect(manifests.split(' ')).toEqual(expect.arrayContaining(['package.json', 'yarn.lock', '.yarnrc.yml']));
    expect(files['.dockerignore']).toContain('.yarn/cache');
  });
});

describe('an existing project without next.config', () => {
  it('falls back to next start and copies no config file', async () => {
    const { files, stdout } = await generate(readFixture('nextjs-detect/npm'), []);
    const dockerfile = files['Dockerfile']!;
    expect(checkDockerfile(dockerfile, { dockerignore: files['.dockerignore']!, expectedStages: EXPECTED_STAGES })).toEqual([]);
    expect(dockerfile).not.toMatch(/next\.config/);
    // The summary tells the user how to get the smaller standalone image.
    expect(stdout).toContain("output: 'standalone'");
    expect(files['README.Docker.md']).toContain("output: 'standalone'");
  });
});

/** service name → its block of lines, from a compose file written in the generator's layout. */
function composeServices(yaml: string): Record<string, string> {
  const services: Record<string, string> = {};
  const lines = yaml.split('\n');
  const start = lines.indexOf('services:');
  expect(start).toBeGreaterThanOrEqual(0);
  let current: string | undefined;
  for (const line of lines.slice(start + 1)) {
    const header = /^ {2}([a-z][\w-]*):\s*$/.exec(line);
    if (header) {
      current = header[1]!;
      services[current] = '';
    } else if (/^\S/.test(line)) {
      break;
    } else if (current) {
      services[current] += `${line}\n`;
    }
  }
  return services;
}

describe('compose.yaml', () => {
  it('has a dev service on the development target synced by compose watch, and an app service on production', async () => {
    const { files } = await generate({}, ['--stack', 'nextjs', '--port', '4000'], 'my-app');
    const services = composeServices(files['compose.yaml']!);
    expect(Object.keys(services).sort()).toEqual(['app', 'dev']);
    expect(services['dev']).toMatch(/^ {6}target: development$/m);
    // develop.watch instead of bind mounts: no stale anonymous node_modules volume, no polling variable.
    expect(services['dev']).toMatch(/^ {8}- action: sync\n {10}path: \.\n {10}target: \/app$/m);
    expect(services['dev']).toMatch(/^ {8}- action: rebuild\n {10}path: package\.json$/m);
    expect(services['dev']).toMatch(/^ {8}- action: rebuild\n {10}path: package-lock\.json$/m);
    expect(services['dev']).not.toMatch(/volumes:|WATCHPACK_POLLING/);
    expect(services['dev']).toContain('"4000:4000"');
    expect(services['app']).toMatch(/^ {6}target: production$/m);
    expect(services['app']).toContain('"4000:4000"');
    expect(files['compose.yaml']).toMatch(/^name: my-app$/m);
    expect(files['compose.yaml']).not.toMatch(/\t/);
  });

  it('--no-compose writes no compose.yaml, and docker:dev runs the image with docker run', async () => {
    const { files } = await generate({}, ['--stack', 'nextjs', '--no-compose'], 'my-app');
    expect(files['compose.yaml']).toBeUndefined();
    const scripts = (JSON.parse(files['package.json']!) as { scripts: Record<string, string> }).scripts;
    expect(scripts['docker:dev']).toMatch(/^docker build --target development -t my-app:dev \. && docker run /);
    expect(scripts['docker:dev']).toContain('-p 3000:3000');
    expect(files['README.Docker.md']).not.toContain('docker compose');
  });

  it('an existing docker-compose.yml that differs is a conflict on that path, not a second file', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), 'docker-compose.yml': 'services: {}\n' });
    const result = await runMain(['--yes', '--dry-run', '--json'], { cwd });
    const report = result.json<{ files: { path: string; action: string }[] }>();
    expect(report.files.filter((f) => /compose/.test(f.path))).toEqual([expect.objectContaining({ path: 'docker-compose.yml', action: 'conflict' })]);
  });
});

describe('README.Docker.md', () => {
  it('describes every target and draws the stage graph in a mermaid block', async () => {
    const { files } = await generate({}, ['--stack', 'nextjs'], 'my-app');
    const readme = files['README.Docker.md']!;
    for (const target of EXPECTED_STAGES) expect(readme).toMatch(new RegExp(`^\\| \`${target}\` \\|`, 'm'));
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(readme);
    expect(mermaid).not.toBeNull();
    for (const edge of ['base --> dependencies', 'base --> development', 'base --> builder']) expect(mermaid![1]).toContain(edge);
    expect(mermaid![1]).toMatch(/builder .*-> production/);
    for (const script of ['docker:dev', 'docker:build', 'docker:build:dev', 'docker:start']) expect(readme).toContain(`npm run ${script}`);
  });
});

describe('npm scripts', () => {
  it.each([
    ['npm', []],
    ['pnpm', []],
    ['yarn', []],
    ['bun', ['--no-compose']],
    ['npm', ['--no-compose', '--port', '8080']],
  ] as const)('%s %j: plain commands that run from any package manager and shell', async (pm, extra) => {
    const { files } = await generate({}, ['--stack', 'nextjs', '--pm', pm, ...extra], 'my-app');
    const scripts = (JSON.parse(files['package.json']!) as { scripts: Record<string, string> }).scripts;
    const docker = Object.entries(scripts).filter(([name]) => name.startsWith('docker:'));
    expect(docker.map(([name]) => name).sort()).toEqual(['docker:build', 'docker:build:dev', 'docker:dev', 'docker:start', 'docker:test']);
    for (const [name, command] of docker) {
      expect(command, name).not.toMatch(/\$\(pwd\)|\$\{?PWD\}?|%cd%|`/i);
      // No `VAR=value cmd` anywhere (not at the start, not after &&).
      expect(command, name).not.toMatch(/(^|&&|;|\|)\s*[A-Za-z_][A-Za-z0-9_]*=\S*\s/);
      expect(command, name).not.toMatch(/['";]/);
    }
    expect(scripts['docker:build']).toBe('docker build --target production -t my-app .');
    // The app's own scripts are still there.
    expect(scripts).toMatchObject({ dev: expect.stringContaining('next dev') as unknown, build: 'next build' });
  });
});

describe('the Dockerfile header describes the file it sits in', () => {
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
  it.each([
    ['standalone', "const nextConfig = { output: 'standalone' };\nexport default nextConfig;\n", 'standalone server'],
    ['not standalone', 'const nextConfig = {};\nexport default nextConfig;\n', '`next start`'],
  ])('%s: the stage count and what production runs', async (_title, config, runs) => {
    const { files } = await generate({ ...readFixture('nextjs-detect/npm'), 'next.config.mjs': config }, ['--stack', 'nextjs', '--runtime', 'slim']);
    const dockerfile = files['Dockerfile']!;
    const count = stages(dockerfile).size;
    const header = dockerfile.slice(0, dockerfile.indexOf('\nARG '));
    expect(header).toContain(`One Dockerfile, ${words[count]} stages`);
    expect(header).toMatch(new RegExp(`production +\\(${runs.replace(/[`]/g, '`')}`));
    for (const name of stages(dockerfile).keys()) expect(header, `the header names ${name}`).toContain(name);
  });
});
