// --ci github|gitlab|none across the stacks: docker-bake.hcl and the workflow
// are written only when asked, every rendered Dockerfile still passes the
// rules, every bake file agrees with its Dockerfile (a target per production
// stage in the default group, development, test where the Dockerfile has one;
// registry cache, SBOM, provenance mode=min), and every workflow passes a
// linter: GitHub's with @action-validator/core, GitLab's against GitLab's CI
// JSON schema (vendored in test/fixtures/schemas, no network).

import fs from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { CI_WORKFLOW_FILES } from '../../src/ci.js';
import { checkDockerfile, formatViolations } from '../helpers/dockerfile-rules.js';
import { runMain } from '../helpers/run-main.js';
import { filesIn, makeTree, readFixture, snapshotTree, type TreeEntry } from '../helpers/tree.js';
import { ACME_KIT } from '../helpers/kit.js';

const GITLAB_SCHEMA = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'schemas', 'gitlab-ci.schema.json'), 'utf8')) as object;
const validateGitlab = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false }).compile(GITLAB_SCHEMA);

function githubErrors(text: string): string[] {
  return validateWorkflow(text).errors.map((e) => `${'path' in e ? e.path : ''} ${e.title}: ${e.detail ?? ''}`);
}

function gitlabErrors(text: string): string[] {
  return validateGitlab(YAML.parse(text)) ? [] : (validateGitlab.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

async function generate(tree: Record<string, TreeEntry>, argv: string[], target = '.'): Promise<{ files: Record<string, string>; dir: string }> {
  const cwd = makeTree(tree);
  const result = await runMain([target, '--yes', ...argv], { cwd });
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const dir = path.join(cwd, target);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(dir))) if (!rel.startsWith('node_modules/')) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  return { files, dir };
}

/** Stage names of a Dockerfile, in order. */
function stageNames(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]!);
}

interface BakeTarget {
  name: string;
  body: string;
  attr: (key: string) => string | undefined;
}

/** The target blocks of a docker-bake.hcl (the generator writes one attribute per line, blocks end at a `}` in column 0). */
function bakeTargets(hcl: string): Map<string, BakeTarget> {
  const targets = new Map<string, BakeTarget>();
  for (const match of hcl.matchAll(/^target "([^"]+)" \{\n([\s\S]*?)^\}/gm)) {
    const body = match[2]!;
    targets.set(match[1]!, { name: match[1]!, body, attr: (key) => new RegExp(`^\\s*${key}\\s*=\\s*(.+)$`, 'm').exec(body)?.[1] });
  }
  return targets;
}

/**
 * The bake rules: the default group is exactly the Dockerfile's production
 * stages; every target builds an existing stage; production targets push with
 * SBOM + provenance (mode=min by default) and a registry cache exported with
 * mode=max; development and test (where the Dockerfile has one) are targets too.
 */
function bakeViolations(hcl: string, dockerfile: string): string[] {
  const problems: string[] = [];
  const stages = stageNames(dockerfile);
  const production = stages.filter((s) => /^production(-|$)/.test(s));
  const group = /^group "default" \{\n\s*targets = \[([^\]]*)\]/m.exec(hcl)?.[1];
  const defaults = [...(group ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  if (JSON.stringify(defaults) !== JSON.stringify(production)) problems.push(`default group ${JSON.stringify(defaults)} is not the production stages ${JSON.stringify(production)}`);
  const targets = bakeTargets(hcl);
  for (const [name, target] of targets) {
    if (name.startsWith('_')) continue;
    const stage = /^"([^"]+)"$/.exec(target.attr('target') ?? '')?.[1];
    if (!stage || !stages.includes(stage)) problems.push(`target ${name} builds "${stage}", which is not a stage`);
    if (target.attr('inherits') !== '["_common"]') problems.push(`target ${name} does not inherit _common (context, Dockerfile, labels)`);
  }
  for (const stage of production) {
    const target = targets.get(stage);
    if (!target) {
      problems.push(`no bake target for production stage ${stage}`);
      continue;
    }
    if (target.attr('attest') !== '["type=provenance,mode=${PROVENANCE}", "type=sbom"]') problems.push(`${stage}: attestations are not provenance + SBOM`);
    if (!/^cache\("/.test(target.attr('cache-from') ?? '') || !/^cache_export\("/.test(target.attr('cache-to') ?? '')) problems.push(`${stage}: no registry cache import/export`);
    if (!/platforms\s*=\s*split\(",", PLATFORMS\)/.test(target.body)) problems.push(`${stage}: platforms are not the PLATFORMS variable`);
  }
  if (!targets.has('development')) problems.push('no development target');
  if (stages.includes('test') !== targets.has('test')) problems.push(`test target ${targets.has('test') ? 'without' : 'missing for'} a test stage`);
  if (!/variable "PROVENANCE" \{[^}]*default = "min"/.test(hcl)) problems.push('provenance is not mode=min by default');
  if (!/ref=\$\{REGISTRY\}\/\$\{name\}:buildcache,mode=max/.test(hcl)) problems.push('the cache export is not mode=max');
  for (const variable of ['REGISTRY', 'TAG', 'PLATFORMS']) if (!hcl.includes(`variable "${variable}"`)) problems.push(`no ${variable} variable`);
  return problems;
}

interface Case {
  id: string;
  tree: Record<string, TreeEntry>;
  argv: string[];
  target?: string;
  /** The default platforms of the production targets. */
  platforms: string;
}

const CASES: Case[] = [
  { id: 'Go new project', tree: {}, argv: ['--stack', 'go'], target: 'svc', platforms: 'linux/amd64,linux/arm64' },
  { id: 'Go new project on scratch', tree: {}, argv: ['--stack', 'go', '--runtime', 'scratch'], target: 'svc', platforms: 'linux/amd64,linux/arm64' },
  { id: 'Go two binaries', tree: readFixture('go/two-binaries'), argv: [], platforms: 'linux/amd64,linux/arm64' },
  { id: 'Go with cgo (no cross-compile)', tree: readFixture('go/cgo'), argv: [], platforms: 'linux/amd64' },
  { id: 'Go vendored', tree: readFixture('go/vendored'), argv: [], platforms: 'linux/amd64,linux/arm64' },
  { id: 'Next.js new project (npm)', tree: {}, argv: ['--stack', 'nextjs', '--pm', 'npm'], target: 'web', platforms: 'linux/amd64' },
  { id: 'Next.js new project (pnpm, distroless)', tree: {}, argv: ['--stack', 'nextjs', '--pm', 'pnpm', '--runtime', 'distroless'], target: 'web', platforms: 'linux/amd64' },
  { id: 'Next.js pnpm app', tree: readFixture('nextjs/pnpm-app'), argv: [], platforms: 'linux/amd64' },
  { id: 'C++ new project', tree: {}, argv: ['--stack', 'cpp'], target: 'svc', platforms: 'linux/amd64,linux/arm64' },
  { id: 'C++ new project, static on scratch', tree: {}, argv: ['--stack', 'cpp', '--runtime', 'scratch'], target: 'svc', platforms: 'linux/amd64,linux/arm64' },
  { id: 'C++ CMake with GTest', tree: readFixture('cpp/cmake-shop'), argv: [], platforms: 'linux/amd64' },
  { id: 'C++ CMake linking zlib', tree: readFixture('cpp/zlib-app'), argv: [], platforms: 'linux/amd64' },
  { id: 'C++ Makefile', tree: readFixture('cpp/makefile-app'), argv: ['--targets', 'hello,hello-cli'], platforms: 'linux/amd64' },
];

describe.each(CASES)('$id', (c) => {
  it.each(['github', 'gitlab'] as const)('--ci %s: the Dockerfile passes the rules, the bake file agrees with it, the workflow passes the linter', async (provider) => {
    const { files } = await generate(c.tree, [...c.argv, '--ci', provider], c.target);
    const dockerfile = files['Dockerfile']!;
    const violations = checkDockerfile(dockerfile, { dockerignore: files['.dockerignore']! });
    expect(violations, `${formatViolations(violations)}\n\n${dockerfile}`).toEqual([]);

    const hcl = files['docker-bake.hcl']!;
    expect(hcl, 'docker-bake.hcl').toBeDefined();
    expect(bakeViolations(hcl, dockerfile), hcl).toEqual([]);
    expect(hcl).toContain(`default = "${c.platforms}"`);

    const workflowPath = CI_WORKFLOW_FILES[provider];
    const workflow = files[workflowPath]!;
    expect(workflow, workflowPath).toBeDefined();
    expect(provider === 'github' ? githubErrors(workflow) : gitlabErrors(workflow)).toEqual([]);
    // The other provider's file is not written.
    expect(files[CI_WORKFLOW_FILES[provider === 'github' ? 'gitlab' : 'github']]).toBeUndefined();
    // The test stage gates the build; the build pushes only on the default branch and tags.
    const hasTest = stageNames(dockerfile).includes('test');
    if (provider === 'github') {
      const parsed = YAML.parse(workflow) as { jobs: Record<string, { needs?: string; env?: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown> }[] }> };
      expect(Object.keys(parsed.jobs)).toEqual(hasTest ? ['test', 'build'] : ['build']);
      if (hasTest) expect(parsed.jobs['build']!.needs).toBe('test');
      expect(parsed.jobs['build']!.env!['PUSH']).toMatch(/default_branch[\s\S]*refs\/tags\//);
      const bake = parsed.jobs['build']!.steps.find((s) => s.uses?.startsWith('docker/bake-action'));
      expect(bake?.with?.['push']).toBe("${{ env.PUSH == 'true' }}");
    } else {
      const parsed = YAML.parse(workflow) as { stages: string[]; build: { rules: { if?: string; variables?: Record<string, string> }[] } };
      expect(parsed.stages).toEqual(hasTest ? ['test', 'build'] : ['build']);
      const pushing = parsed.build.rules.filter((r) => r.variables?.['PUSH_FLAG'] === '--push').map((r) => r.if);
      expect(pushing).toEqual(['$CI_COMMIT_TAG', '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH']);
    }
    // Editing CI files does not invalidate the image build.
    expect(files['.dockerignore']).toMatch(/^docker-bake\.hcl$/m);
    for (const [rel, text] of Object.entries(files)) expect(text, `${rel} has an unrendered template tag`).not.toMatch(/(?<!\$)\{\{(?!version\}\})/);
  });
});

describe('--ci none and no --ci', () => {
  it.each([[['--ci', 'none']], [[]]])('%j writes neither docker-bake.hcl nor a workflow', async (flags) => {
    for (const stack of ['go', 'cpp', 'nextjs']) {
      const { files } = await generate({}, ['--stack', stack, ...flags], 'app');
      expect(
        Object.keys(files).filter((f) => f === 'docker-bake.hcl' || f.startsWith('.github/') || f === '.gitlab-ci.yml'),
        stack,
      ).toEqual([]);
    }
  });

  it('an unknown provider is refused (exit 2) before anything is written', async () => {
    const cwd = makeTree({});
    const result = await runMain(['app', '--yes', '--stack', 'go', '--ci', 'jenkins'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ci must be one of github, gitlab, none (got "jenkins")');
    expect(fs.existsSync(path.join(cwd, 'app'))).toBe(false);
  });

  it('a re-run keeps the --ci of the header and changes nothing', async () => {
    const { dir } = await generate({}, ['--stack', 'go', '--ci', 'gitlab'], 'app');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toMatch(/^# create-multistage: .* --ci gitlab$/m);
    const again = await runMain(['.', '--yes', '--json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { files: { path: string; action: string }[] };
    expect(report.files.filter((f) => f.action !== 'identical')).toEqual([]);
    expect(report.files.map((f) => f.path)).toEqual(expect.arrayContaining(['docker-bake.hcl', '.gitlab-ci.yml']));
  });
});

describe('the linters catch a planted fault', () => {
  it('a misspelt key in a GitHub workflow', async () => {
    const { files } = await generate({}, ['--stack', 'go', '--ci', 'github'], 'app');
    const workflow = files['.github/workflows/docker.yml']!;
    expect(githubErrors(workflow)).toEqual([]);
    expect(githubErrors(workflow.replace('runs-on:', 'run-on:'))).not.toEqual([]);
  });

  it('a misspelt key in a GitLab pipeline', async () => {
    const { files } = await generate({}, ['--stack', 'go', '--ci', 'gitlab'], 'app');
    const pipeline = files['.gitlab-ci.yml']!;
    expect(gitlabErrors(pipeline)).toEqual([]);
    expect(gitlabErrors(pipeline.replace('  script:\n', '  scripts:\n'))).not.toEqual([]);
  });

  it('a bake file whose default group misses a production target, or exports the cache with mode=min', async () => {
    const { files } = await generate(readFixture('go/two-binaries'), ['--ci', 'github']);
    const hcl = files['docker-bake.hcl']!;
    const dockerfile = files['Dockerfile']!;
    expect(bakeViolations(hcl, dockerfile)).toEqual([]);
    expect(bakeViolations(hcl.replace(/targets = \["production", /, 'targets = ['), dockerfile).join('\n')).toContain('default group');
    expect(bakeViolations(hcl.replace(':buildcache,mode=max', ':buildcache,mode=min'), dockerfile).join('\n')).toContain('mode=max');
  });
});

describe('kits and CI files', () => {
  it("a kit's extra file at the workflow's path replaces the generated workflow; the bake file stays", async () => {
    const { files } = await generate({}, ['--stack', 'go', '--ci', 'github', '--kit', ACME_KIT], 'app');
    expect(files['.github/workflows/docker.yml']).toMatch(/^# ACME CI: builds every target of app/m);
    expect(files['docker-bake.hcl']).toContain('group "default"');
  });
});

describe('the Next.js test stage runs the checks the project has', () => {
  const app = (scripts: Record<string, string>, extra: Record<string, TreeEntry> = {}): Record<string, TreeEntry> => ({
    'package.json': JSON.stringify({ name: 'web', private: true, scripts: { build: 'next build', ...scripts }, dependencies: { next: '16.0.0' } }),
    'package-lock.json': '{}',
    ...extra,
  });

  it('lint, typecheck and test, in that order; docker:test builds the stage', async () => {
    const { files } = await generate(app({ test: 'vitest run', lint: 'eslint .', typecheck: 'tsc --noEmit' }), []);
    expect(files['Dockerfile']).toMatch(/FROM base AS test\n[\s\S]*RUN npm run lint \\\n {4}&& npm run typecheck \\\n {4}&& npm run test\n/);
    expect(JSON.parse(files['package.json']!).scripts['docker:test']).toBe('docker build --target test .');
  });

  it('`next lint` only with an ESLint config (without one it would ask how to set it up)', async () => {
    const without = await generate(app({ lint: 'next lint', test: 'node --test' }), []);
    expect(without.files['Dockerfile']).toMatch(/RUN npm run test\n/);
    expect(without.files['Dockerfile']).not.toContain('npm run lint');
    const withConfig = await generate(app({ lint: 'next lint', test: 'node --test' }, { 'eslint.config.mjs': 'export default [];\n' }), []);
    expect(withConfig.files['Dockerfile']).toContain('npm run lint');
  });

  it('no checks: no test stage, no docker:test, no test job', async () => {
    const { files } = await generate(app({}), ['--ci', 'github']);
    expect(stageNames(files['Dockerfile']!)).not.toContain('test');
    expect(JSON.parse(files['package.json']!).scripts['docker:test']).toBeUndefined();
    expect(Object.keys((YAML.parse(files['.github/workflows/docker.yml']!) as { jobs: object }).jobs)).toEqual(['build']);
    expect(files['docker-bake.hcl']).not.toContain('target "test"');
  });
});
