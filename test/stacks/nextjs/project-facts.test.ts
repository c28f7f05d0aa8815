// Next.js facts that shape the generated files (issue 9): Yarn's linker and the
// Yarn files an install reads, registry credentials in each config file, env
// files, NEXT_PUBLIC_* names the code reads, output 'export' and basePath, and
// the next.config edit behind --standalone (every supported form, and refusals).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../../../src/project.js';
import { addStandaloneOutput, readNextConfig } from '../../../src/stacks/next-config.js';
import { nextjs, publicEnvNames } from '../../../src/stacks/nextjs.js';
import { credentialFiles, yarnNodeLinker, type PackageManagerFacts } from '../../../src/stacks/node-package-managers.js';
import type { Detection } from '../../../src/stacks/types.js';
import type { NextFacts } from '../../../src/stacks/nextjs.js';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, readFixture, type TreeEntry } from '../../helpers/tree.js';

async function detectIn(files: Record<string, TreeEntry>): Promise<Detection<NextFacts>> {
  return nextjs.detect(new Project(makeTree(files)));
}
const pmOf = (d: Detection<NextFacts>) => d.facts['packageManager'] as PackageManagerFacts;
const berry = (extra: Record<string, TreeEntry> = {}) => ({ ...readFixture('nextjs-detect/yarn-berry'), ...extra });

/** Runs the CLI on a tree and returns the files it wrote. */
async function render(tree: Record<string, TreeEntry>, argv: string[] = []): Promise<{ cwd: string; stdout: string; code: number; read: (f: string) => string }> {
  const cwd = makeTree(tree);
  const result = await runMain(['.', '--yes', '--skip-install', ...argv], { cwd });
  return { cwd, stdout: result.stdout + result.stderr, code: result.code, read: (f) => fs.readFileSync(path.join(cwd, f), 'utf8') };
}

describe("Yarn Berry's linker", () => {
  it.each([
    [undefined, 'pnp'],
    ['enableTelemetry: false\n', 'pnp'],
    ['nodeLinker: pnp\n', 'pnp'],
    ['nodeLinker: node-modules\n', 'node-modules'],
    ['nodeLinker: "pnpm"\n', 'pnpm'],
    ['# nodeLinker: node-modules\n', 'pnp'],
  ] as const)('.yarnrc.yml %j → %s', (yarnrc, linker) => {
    expect(yarnNodeLinker(yarnrc)).toBe(linker);
  });

  it('a PnP project installs node_modules in the image (ENV override) and says so', async () => {
    const detection = await detectIn(berry({ '.yarnrc.yml': 'enableTelemetry: false\n' }));
    expect(pmOf(detection).nodeLinker).toBe('pnp');
    expect(detection.notes.join('\n')).toMatch(/Plug'n'Play: the image installs with nodeLinker node-modules/);
    const { read } = await render(berry({ '.yarnrc.yml': 'enableTelemetry: false\n' }));
    expect(read('Dockerfile')).toMatch(/^ENV YARN_NODE_LINKER=node-modules$/m);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['.pnp.*', '.yarn/cache']));
  });

  it('a node-modules project gets no override', async () => {
    const { read } = await render(berry({ '.yarnrc.yml': 'nodeLinker: node-modules\n' }));
    expect(read('Dockerfile')).not.toContain('YARN_NODE_LINKER');
  });
});

describe('the Yarn files an install reads', () => {
  it('.yarnrc.yml, .yarn/releases, .yarn/plugins and .yarn/patches are copied before the install; .yarn/cache is not', async () => {
    const tree = berry({
      '.yarnrc.yml': 'nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.0.cjs\nplugins:\n  - path: .yarn/plugins/hello.cjs\n',
      '.yarn/releases/yarn-4.5.0.cjs': '// yarn\n',
      '.yarn/plugins/hello.cjs': 'module.exports = {};\n',
      '.yarn/patches/left-pad.patch': 'diff\n',
      '.yarn/cache/left-pad.zip': 'zip',
    });
    expect(pmOf(await detectIn(tree)).yarnDirs).toEqual(['.yarn/releases', '.yarn/plugins', '.yarn/patches']);
    const { read } = await render(tree);
    const dockerfile = read('Dockerfile');
    const install = dockerfile.indexOf('yarn install --immutable');
    for (const dir of ['.yarn/releases', '.yarn/plugins', '.yarn/patches']) {
      const copy = dockerfile.indexOf(`COPY ${dir} ./${dir}`);
      expect(copy, dir).toBeGreaterThan(0);
      expect(copy, `${dir} before the install`).toBeLessThan(install);
    }
    expect(dockerfile).toMatch(/^COPY package\.json yarn\.lock \.yarnrc\.yml \.\/$/m);
    expect(dockerfile).not.toContain('.yarn/cache ');
  });
});

describe('registry credentials', () => {
  const read = (files: Record<string, string>) => (f: string) => files[f];
  it.each([
    [{ '.npmrc': '//registry.example.com/:_authToken=abc\n' }, ['.npmrc']],
    [{ '.npmrc': 'legacy-peer-deps=true\n' }, ['.npmrc']],
    [{ '.yarnrc.yml': 'npmRegistryServer: "https://r.example.com"\nnpmAuthToken: abc\n' }, ['.yarnrc.yml']],
    [{ '.yarnrc.yml': 'npmScopes:\n  acme:\n    npmAuthIdent: "user:pass"\n' }, ['.yarnrc.yml']],
    [{ '.yarnrc.yml': 'nodeLinker: node-modules\n' }, []],
    [{ 'bunfig.toml': '[install.scopes]\nacme = { token = "abc", url = "https://r.example.com/" }\n' }, []],
    [{ 'bunfig.toml': '[install.registry]\nurl = "https://r.example.com/"\ntoken = "abc"\n' }, ['bunfig.toml']],
    [{ 'bunfig.toml': '[install]\nregistry = "https://user:pass@r.example.com/"\n' }, ['bunfig.toml']],
    [{ 'bunfig.toml': '[install]\nexact = true\n' }, []],
  ] as const)('%j → %j', (files, expected) => {
    expect(credentialFiles(read(files as Record<string, string>))).toEqual(expected);
  });

  it('a .npmrc is mounted as a secret for the install, never copied, kept out of the context, and passed by the scripts and compose', async () => {
    const { read } = await render({ ...readFixture('nextjs-detect/npm'), '.npmrc': '//registry.example.com/:_authToken=abc\n' });
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/--mount=type=secret,id=npmrc,target=\/app\/\.npmrc \\\n\s+npm ci/);
    expect(dockerfile).not.toMatch(/^COPY [^\n]*\.npmrc/m);
    expect(read('.dockerignore').split('\n')).toContain('.npmrc');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts['docker:build']).toBe('docker build --secret id=npmrc,src=.npmrc --target production -t fixture-npm .');
    expect(read('compose.yaml')).toMatch(/secrets:\n {2}npmrc:\n {4}file: \.\/\.npmrc/);
    expect(read('README.Docker.md')).toContain('--secret id=npmrc,src=.npmrc');
  });

  it('a .yarnrc.yml with npmAuthToken is a secret in the install and the build, and not copied', async () => {
    const { read } = await render(berry({ '.yarnrc.yml': 'nodeLinker: node-modules\nnpmAuthToken: abc\n' }));
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^COPY package\.json yarn\.lock \.\/$/m);
    // The install, the build (every Yarn run reads its settings) and the prune.
    expect(dockerfile.match(/--mount=type=secret,id=yarnrc,target=\/app\/\.yarnrc\.yml/g)).toHaveLength(3);
    expect(read('.dockerignore').split('\n')).toContain('.yarnrc.yml');
  });

  it('a bunfig.toml with a token is a secret', async () => {
    const { read } = await render({ ...readFixture('nextjs-detect/bun'), 'bunfig.toml': '[install.registry]\nurl = "https://r.example.com/"\ntoken = "abc"\n' });
    expect(read('Dockerfile')).toContain('--mount=type=secret,id=bunfig,target=/app/bunfig.toml');
    expect(read('Dockerfile')).toContain('bun install --production --frozen-lockfile');
  });
});

describe('env files and NEXT_PUBLIC_* names', () => {
  it('.env and .env.production stay in the context; .env*.local files do not', async () => {
    const { read } = await render({ ...readFixture('nextjs-detect/npm'), '.env': 'A=1\n', '.env.production': 'B=2\n', '.env.local': 'C=3\n' });
    const ignore = read('.dockerignore').split('\n');
    expect(ignore).toContain('.env*.local');
    expect(ignore.filter((l) => /^\.env/.test(l))).toEqual(['.env*.local']);
  });

  it('names read as process.env.X or process.env["X"] in the source, not in comments or node_modules', () => {
    const project = new Project(
      makeTree({
        'app/page.tsx': "export default () => <p>{process.env.NEXT_PUBLIC_GREETING}{process.env['NEXT_PUBLIC_API_URL']}</p>;\n// process.env.NEXT_PUBLIC_IN_COMMENT\n",
        'src/lib/x.ts': 'export const s = process.env.NEXT_PUBLIC_SITE + process.env.SERVER_ONLY;\n',
        'node_modules/pkg/index.js': 'process.env.NEXT_PUBLIC_FROM_DEPENDENCY\n',
      }),
    );
    expect(publicEnvNames(project)).toEqual(['NEXT_PUBLIC_API_URL', 'NEXT_PUBLIC_GREETING', 'NEXT_PUBLIC_SITE']);
  });

  it('become builder ARGs (names that look like credentials excepted), and the Dockerfile passes every rule', async () => {
    const { read } = await render({
      ...readFixture('nextjs-detect/npm'),
      'app/page.tsx': 'export default () => <p>{process.env.NEXT_PUBLIC_GREETING}{process.env.NEXT_PUBLIC_MAPS_KEY}</p>;\n',
    });
    const dockerfile = read('Dockerfile');
    const builder = dockerfile.slice(dockerfile.indexOf('AS builder'), dockerfile.indexOf('AS production'));
    expect(builder).toMatch(/^ARG NEXT_PUBLIC_GREETING$/m);
    expect(dockerfile).not.toContain('NEXT_PUBLIC_MAPS_KEY');
    expect(checkDockerfile(dockerfile, { dockerignore: read('.dockerignore') }), formatViolations(checkDockerfile(dockerfile, { dockerignore: read('.dockerignore') }))).toEqual([]);
  });
});

describe("output: 'export' and basePath", () => {
  it('reads output and basePath as written, ignoring comments', () => {
    expect(readNextConfig("export default { output: 'export', basePath: '/docs/' }")).toEqual({ output: 'export', basePath: '/docs' });
    expect(readNextConfig('// output: \'export\'\nmodule.exports = { basePath: "/shop" }')).toEqual({ output: '', basePath: '/shop' });
  });

  it('an export app serves out/ from a static server, not next start', async () => {
    const { read, stdout } = await render({ ...readFixture('nextjs-detect/npm'), 'next.config.mjs': "export default { output: 'export' };\n" });
    const dockerfile = read('Dockerfile');
    expect(stdout).toMatch(/sets output: 'export'/);
    expect(dockerfile).toContain('FROM base AS static-server');
    expect(dockerfile).toContain('COPY --from=builder --chown=1000:1000 /app/out ./out');
    expect(dockerfile).not.toMatch(/"start"|pruned-dependencies|standalone/);
    expect(checkDockerfile(dockerfile, { dockerignore: read('.dockerignore') }), formatViolations(checkDockerfile(dockerfile, { dockerignore: read('.dockerignore') }))).toEqual([]);
  });

  it('a basePath app probes the basePath', async () => {
    const { read } = await render({ ...readFixture('nextjs-detect/npm'), 'next.config.js': "module.exports = { output: 'standalone', basePath: '/docs' };\n" });
    expect(read('Dockerfile')).toContain("fetch('http://127.0.0.1:3000/docs')");
  });
});

describe('next.config forms for --standalone', () => {
  const FORMS: [string, string, string][] = [
    [
      'const nextConfig: NextConfig = {...}',
      "import type { NextConfig } from 'next';\n\nconst nextConfig: NextConfig = {\n  reactStrictMode: true,\n};\n\nexport default nextConfig;\n",
      "const nextConfig: NextConfig = {\n  output: 'standalone',\n  reactStrictMode: true,\n};",
    ],
    [
      'module.exports = {...}',
      "/** @type {import('next').NextConfig} */\nmodule.exports = {\n  reactStrictMode: true,\n};\n",
      "module.exports = {\n  output: 'standalone',\n  reactStrictMode: true,\n};",
    ],
    ['export default {...}', 'export default {\n    basePath: "/docs",\n};\n', 'export default {\n    output: \'standalone\',\n    basePath: "/docs",\n};'],
    ['an empty config object', 'const nextConfig = {};\nexport default nextConfig;\n', "const nextConfig = {\n  output: 'standalone',\n};"],
    ['a wrapped config', 'const nextConfig = { reactStrictMode: true };\nexport default withMDX(nextConfig);\n', "const nextConfig = { output: 'standalone', reactStrictMode: true };"],
    [
      'a function config returning an object',
      "module.exports = (phase, { defaultConfig }) => {\n  if (phase === 'x') console.log(phase);\n  return {\n    reactStrictMode: true,\n  };\n};\n",
      "  return {\n    output: 'standalone',\n    reactStrictMode: true,\n  };",
    ],
    ['an arrow config', 'export default (phase) => ({\n  reactStrictMode: true,\n});\n', "export default (phase) => ({\n  output: 'standalone',\n  reactStrictMode: true,\n});"],
  ];
  it.each(FORMS)('%s', (_form, source, expected) => {
    const edit = addStandaloneOutput(source);
    expect(edit.ok, JSON.stringify(edit)).toBe(true);
    if (edit.ok) {
      expect(edit.content).toContain(expected);
      expect(readNextConfig(edit.content).output).toBe('standalone');
      // Nothing else changes: removing the added line gives back the original.
      expect(edit.content.replace(/\n[ \t]*output: 'standalone',| output: 'standalone',/, '').replace(/\{\n\s*\}/, '{}')).toBe(source);
    }
  });

  it.each([
    ['a config built by a helper', "import { makeConfig } from '../../shared.mjs';\nexport default makeConfig({ app: 'web' });\n", /no exported config object/],
    ['an output already set', 'module.exports = { output: process.env.OUTPUT };\n', /already sets output/],
    ['two candidate objects', 'const a = {};\nconst b = {};\nmodule.exports = process.env.X ? a : b;\n', /more than one/],
    ['a function with two returns', 'module.exports = function (phase) {\n  if (phase) return { a: 1 };\n  return { b: 2 };\n};\n', /several `return \{`/],
  ])('refuses %s', (_name, source, reason) => {
    const edit = addStandaloneOutput(source);
    expect(edit.ok).toBe(false);
    if (!edit.ok) expect(edit.reason).toMatch(reason);
  });

  const APP = readFixture('nextjs-detect/npm');
  const CONFIG = 'const nextConfig = {\n  reactStrictMode: true,\n};\n\nexport default nextConfig;\n';

  it('--standalone: the edit is a merge entry shown as a diff, written with the rest; production uses standalone', async () => {
    const { read, stdout, code } = await render({ ...APP, 'next.config.mjs': CONFIG }, ['--standalone']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/merge\s+next\.config\.mjs/);
    expect(stdout).toContain("+  output: 'standalone',");
    expect(read('next.config.mjs')).toBe("const nextConfig = {\n  output: 'standalone',\n  reactStrictMode: true,\n};\n\nexport default nextConfig;\n");
    expect(read('Dockerfile')).toContain('/app/.next/standalone');
  });

  it('--dry-run --standalone shows the diff and writes nothing', async () => {
    const { read, stdout } = await render({ ...APP, 'next.config.mjs': CONFIG }, ['--standalone', '--dry-run']);
    expect(stdout).toContain("+  output: 'standalone',");
    expect(read('next.config.mjs')).toBe(CONFIG);
  });

  it('--yes alone and --no-standalone leave next.config alone (next start fallback)', async () => {
    for (const argv of [[], ['--no-standalone']]) {
      const { read, stdout } = await render({ ...APP, 'next.config.mjs': CONFIG }, argv);
      expect(read('next.config.mjs')).toBe(CONFIG);
      expect(read('Dockerfile')).not.toContain('/app/.next/standalone');
      expect(stdout).toMatch(/pass --standalone/);
    }
  });

  it('a config it cannot edit: no question, a note that says what to add, and --standalone is refused', async () => {
    const tree = { ...APP, 'next.config.mjs': "import { makeConfig } from '../../shared.mjs';\nexport default makeConfig({});\n" };
    const plain = await render(tree);
    expect(plain.stdout).toMatch(/cannot be edited safely \(no exported config object literal was found\): add output: 'standalone'/);
    const flagged = await render(tree, ['--standalone']);
    expect(flagged.code).toBe(2);
    expect(flagged.read('next.config.mjs')).toBe(tree['next.config.mjs']);
  });
});
