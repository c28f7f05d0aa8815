// A kit's mirror, CA certificates, packages and labels reach a built-in
// Dockerfile through the templates: the images record is mirrored and the
// kit-base, kit-ca-bundle and kit-labels partials render them, with no edit of
// the rendered text. The patcher (src/kit/dockerfile.ts) completes only
// Dockerfiles whose templates lack the partials: a kit's own template or stage
// partial, or templates of a version without them.

import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveAnswers } from '../../../src/answers.js';
import type { RunReport } from '../../../src/create.js';
import { IMAGES, mapImages } from '../../../src/defaults.js';
import { kitPlugin } from '../../../src/kit/plugin.js';
import { loadKitFromDir } from '../../../src/kit/load.js';
import { validateManifest } from '../../../src/kit/manifest.js';
import { mapImage } from '../../../src/kit/images.js';
import { render } from '../../../src/pipeline.js';
import { Project } from '../../../src/project.js';
import { TEMPLATES_DIR } from '../../../src/render.js';
import { STACKS, stackById } from '../../../src/stacks/index.js';
import { ACME_CA, ACME_KIT, makeKit, manifest } from '../../helpers/kit.js';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { filesIn, makeTree, readFixture, snapshotTree, tempDir, writeTree, type TreeEntry } from '../../helpers/tree.js';
import { withoutVersionLine } from '../../helpers/stamp.js';

// Counts the patcher's calls; everything else of the module is the real one.
const patcher = vi.hoisted(() => ({ apply: 0, rewrite: 0 }));
vi.mock('../../../src/kit/dockerfile.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/kit/dockerfile.js')>();
  return {
    ...actual,
    applyKitToDockerfile: (...args: Parameters<typeof actual.applyKitToDockerfile>) => {
      patcher.apply++;
      return actual.applyKitToDockerfile(...args);
    },
    rewriteImages: (...args: Parameters<typeof actual.rewriteImages>) => {
      patcher.rewrite++;
      return actual.rewriteImages(...args);
    },
  };
});

beforeEach(() => {
  patcher.apply = 0;
  patcher.rewrite = 0;
});

const BASE_BLOCK = [
  "# acme-platform kit: trust the organisation's CA certificates (system store, Node.js, Go, OpenSSL).",
  'COPY --chmod=0644 .multistage/ca/ /usr/local/share/ca-certificates/multistage/',
  '# acme-platform kit: extra Debian packages (and ca-certificates for the store).',
  'RUN apt-get update \\',
  '    && apt-get install -y --no-install-recommends ca-certificates jq \\',
  '    && rm -rf /var/lib/apt/lists/* \\',
  '    && update-ca-certificates',
  'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \\',
  '    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
].join('\n');
const CA_COPY = 'COPY --from=base /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt';
const LABELS = ['# acme-platform kit: organisation labels.', 'LABEL org.opencontainers.image.vendor="ACME Corp" \\', '      com.acme.team="platform" \\', '      com.acme.cost-center="cc-1234"'].join(
  '\n',
);

async function generate(tree: Record<string, TreeEntry>, argv: string[]): Promise<{ files: Record<string, string>; report: RunReport }> {
  const cwd = makeTree();
  const dir = path.join(cwd, 'app');
  if (Object.keys(tree).length > 0) writeTree(dir, tree);
  const json = await runMain(['app', '--yes', '--skip-install', '--dry-run', '--json', ...argv], { cwd });
  expect(json.code, `${argv.join(' ')}\n${json.stderr}`).toBe(0);
  const result = await runMain(['app', '--yes', '--skip-install', ...argv], { cwd });
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(dir))) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  return { files, report: json.json<RunReport>() };
}

/** Stage name → its text (from its FROM line to the next). */
function stageTexts(dockerfile: string): Map<string, string> {
  const result = new Map<string, string>();
  const parts = dockerfile.split(/^(?=FROM )/m).slice(1);
  for (const part of parts) result.set(/^FROM .* AS (\S+)/.exec(part)![1]!, part);
  return result;
}

const count = (text: string, piece: string): number => text.split(piece).length - 1;

describe('every built-in stack: the templates write what the acme kit adds', () => {
  const cases = [
    { title: 'nextjs', tree: {}, args: ['--stack', 'nextjs', '--pm', 'bun'] },
    { title: 'go scratch', tree: {}, args: ['--stack', 'go', '--runtime', 'scratch'] },
    { title: 'cpp', tree: {}, args: ['--stack', 'cpp'] },
    { title: 'nextjs-workspace', tree: readFixture('workspaces/pnpm-turbo'), args: [] },
    { title: 'go-workspace', tree: readFixture('workspaces/go-work'), args: [] },
  ];
  it.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const { files, report } = await generate(c.tree, [...c.args, '--force', '--kit', ACME_KIT]);
    expect(report.stack).toBe(c.title.split(' ')[0]);
    // Nothing edited the rendered text.
    expect(patcher).toEqual({ apply: 0, rewrite: 0 });
    const dockerfile = files['Dockerfile']!;
    expect(dockerfile).not.toContain('create-multistage kit part');
    expect(checkDockerfile(dockerfile, { dockerignore: files['.dockerignore']! }), formatViolations(checkDockerfile(dockerfile))).toEqual([]);

    // Every image the record produced is the mirror's (prefix rules included), and the summary says so.
    expect(dockerfile).not.toMatch(/(?:=|FROM )(?:node|golang|debian|oven\/bun|gcr\.io\/distroless\/[\w-]+):/);
    expect(report.kit!.images.length).toBeGreaterThan(0);
    for (const { from, to } of report.kit!.images) {
      expect(to, from).toMatch(/^registry\.example\.internal\//);
      expect(dockerfile).toContain(to);
    }

    const stages = stageTexts(dockerfile);
    expect(count(stages.get('base')!, BASE_BLOCK), 'base').toBe(1);
    const names = [...stages.keys()];
    for (const [name, text] of stages) {
      const from = /^FROM (?:--\S+ )?(\S+)/.exec(text)![1]!;
      // `binaries` is export-only: its files land in the user's dist/, no bundle there.
      const external = name !== 'binaries' && !names.slice(0, names.indexOf(name)).includes(from);
      expect(count(text, CA_COPY), `${name} (FROM ${from})`).toBe(external && name !== 'base' ? 1 : 0);
      expect(count(text, LABELS), name).toBe(name === 'production' || name.startsWith('production-') ? 1 : 0);
    }
    expect(files['.multistage/ca/acme-root-ca.crt']).toBe(ACME_CA);
  });
});

describe('the mirror is a map over the images record', () => {
  it('applies the rules, prefixes included, to each function’s result', () => {
    const rules = validateManifest(
      manifest({
        stacks: {
          '*': {
            images: { node: 'mirror.example/node', 'gcr.io/distroless/': 'mirror.example/distroless/', 'oven/bun': 'mirror.example/bun:1-pinned', 'docker/dockerfile': 'mirror.example/dockerfile' },
          },
        },
      }),
    ).stacks['*']!.images;
    const mirrored = mapImages(IMAGES, (image) => mapImage(image, rules) ?? image);
    expect(mirrored.node('26')).toBe('mirror.example/node:26-trixie-slim');
    expect(mirrored.distrolessNode('26')).toBe('mirror.example/distroless/nodejs26-debian13:nonroot');
    expect(mirrored.distrolessStatic()).toBe('mirror.example/distroless/static-debian13:nonroot');
    expect(mirrored.bun('1.4.5')).toBe('mirror.example/bun:1-pinned');
    expect(mirrored.frontend()).toBe('mirror.example/dockerfile:1');
    // No rule: the record's own value.
    expect(mirrored.golang('1.27')).toBe(IMAGES.golang('1.27'));
    expect(mirrored.debianSlim()).toBe(IMAGES.debianSlim());
  });

  it('reaches the # syntax= line and the comment keeps the public name as the example', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { images: { 'docker/dockerfile': 'mirror.example/dockerfile', golang: 'mirror.example/golang' } } } }));
    const { files, report } = await generate({}, ['--stack', 'go', '--kit', kit]);
    const dockerfile = files['Dockerfile']!;
    expect(dockerfile.split('\n')[0]).toBe('# syntax=mirror.example/dockerfile:1');
    expect(dockerfile).toContain('ARG GO_IMAGE=mirror.example/golang:1.27-trixie');
    expect(dockerfile).toContain('--build-arg GO_IMAGE=registry.example.com/golang:1.27-trixie');
    expect(files['README.Docker.md']).toContain('mirror.example/golang:1.27-trixie');
    expect(report.kit!.images).toEqual([
      { from: 'docker/dockerfile:1', to: 'mirror.example/dockerfile:1' },
      { from: 'golang:1.27-trixie', to: 'mirror.example/golang:1.27-trixie' },
    ]);
    expect(patcher.rewrite).toBe(0);
  });
});

describe('the patcher completes templates without the partials', () => {
  const kitWith = (stack: Record<string, unknown>, files: Record<string, TreeEntry>): string =>
    makeKit(
      manifest({
        stacks: {
          '*': {
            images: { node: 'mirror.example/node', 'gcr.io/distroless/': 'mirror.example/distroless/' },
            packages: ['jq'],
            labels: { 'com.acme.team': 'platform' },
            caCertificates: ['ca.pem'],
            ...stack,
          },
        },
      }),
      { 'ca.pem': ACME_CA, ...files },
    );

  it('an overriding Dockerfile template is mirrored and gets every part', async () => {
    const kit = kitWith(
      { templates: { Dockerfile: 'Dockerfile.hbs' } },
      {
        'Dockerfile.hbs': [
          '# syntax=docker/dockerfile:1',
          '{{header}}',
          'FROM node:24-trixie-slim AS base',
          'WORKDIR /app',
          'FROM base AS builder',
          'RUN echo build',
          'FROM gcr.io/distroless/nodejs24-debian13:nonroot AS production',
          'COPY --from=builder /app /app',
          'USER 65532:65532',
          '',
        ].join('\n'),
      },
    );
    const { files, report } = await generate({}, ['--stack', 'nextjs', '--kit', kit]);
    expect(patcher.apply).toBeGreaterThan(0);
    const stages = stageTexts(files['Dockerfile']!);
    expect(stages.get('base')).toMatch(/^FROM mirror\.example\/node:24-trixie-slim AS base\nWORKDIR \/app\n# test-kit kit: trust/);
    expect(count(stages.get('builder')!, CA_COPY)).toBe(0);
    expect(stages.get('production')).toMatch(/^FROM mirror\.example\/distroless\/nodejs24-debian13:nonroot AS production\n/);
    expect(count(stages.get('production')!, CA_COPY)).toBe(1);
    expect(stages.get('production')).toContain('LABEL com.acme.team="platform"');
    expect(report.kit!.images.map((i) => i.from)).toEqual(['node:24-trixie-slim', 'gcr.io/distroless/nodejs24-debian13:nonroot']);
  });

  it('a README of the kit that names a public image names the mirror the Dockerfile uses', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { images: { golang: 'mirror.example/golang' }, templates: { 'README.Docker.md': 'readme.hbs' } } } }), {
      'readme.hbs': 'Built on golang:1.27-trixie ({{goImage}}).\n',
    });
    const { files } = await generate({}, ['--stack', 'go', '--kit', kit]);
    expect(withoutVersionLine(files['README.Docker.md'])).toContain('Built on mirror.example/golang:1.27-trixie (mirror.example/golang:1.27-trixie).');
  });

  it('a stage partial of the kit without the kit partials gets them there only; the built-in stages are not touched twice', async () => {
    const kit = kitWith(
      { partials: { 'stage-production': 'production.hbs' } },
      {
        'production.hbs': [
          '# production: the acme way.',
          'FROM ${RUNTIME_IMAGE} AS production',
          'WORKDIR /app',
          '{{> oci-labels}}',
          'COPY --from=builder /app/.next/standalone ./',
          'USER {{user}}',
          'CMD ["node", "server.js"]',
          '',
        ].join('\n'),
      },
    );
    const { files } = await generate({}, ['--stack', 'nextjs', '--kit', kit]);
    const dockerfile = files['Dockerfile']!;
    expect(dockerfile).not.toContain('create-multistage kit part');
    const stages = stageTexts(dockerfile);
    expect(count(stages.get('base')!, 'kit: trust the organisation')).toBe(1);
    expect(count(stages.get('production')!, CA_COPY)).toBe(1);
    expect(count(stages.get('production')!, 'LABEL com.acme.team="platform"')).toBe(1);
    expect(count(dockerfile, 'kit: organisation labels.')).toBe(1);
  });

  it('a kit’s own kit-labels replaces the built-in part and is not added again', async () => {
    const kit = kitWith({ partials: { 'kit-labels': 'labels.hbs' } }, { 'labels.hbs': 'LABEL com.acme.app="{{@root.name}}"\n' });
    const { files } = await generate({}, ['--stack', 'go', '--name', 'svc', '--kit', kit]);
    const dockerfile = files['Dockerfile']!;
    expect(count(dockerfile, 'LABEL com.acme.app="svc"')).toBe(1);
    expect(dockerfile).not.toContain('com.acme.team');
    expect(dockerfile).not.toContain('create-multistage kit part');
  });

  it('templates of a version without the partials render with the kit as the current ones do', async () => {
    // The templates folder as an older release had it: no kit partials included anywhere.
    const older = tempDir('cms-older-templates-');
    fs.cpSync(TEMPLATES_DIR, older, { recursive: true });
    let stripped = 0;
    for (const entry of fs.readdirSync(older, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.hbs')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const text = fs.readFileSync(file, 'utf8');
      const without = text.replace(/^\{\{> kit-(?:base|ca-bundle|labels)\}\}\n/gm, '');
      if (without !== text) stripped++;
      fs.writeFileSync(file, without);
    }
    expect(stripped).toBeGreaterThan(5);
    const kit = loadKitFromDir(ACME_KIT, 'acme', STACKS);
    for (const id of ['nextjs', 'go', 'cpp']) {
      const stack = stackById(id);
      const project = new Project(tempDir());
      const plugin = kitPlugin(kit, STACKS).forStack(stack);
      const detection = await stack.detect(project);
      const { answers } = await resolveAnswers({ stackId: id, questions: stack.questions, flags: {}, detection, mode: 'new', yes: true, plugin: { name: kit.name, ...plugin.answers } });
      const input = { answers: { ...answers, compose: true }, detection, project, mode: 'new' as const };
      const current = await render(stack, input, plugin);
      patcher.apply = 0;
      const old = await render(stack, input, plugin, older);
      expect(patcher.apply, id).toBe(1);
      const dockerfile = (run: typeof current): string => withoutVersionLine(run.docker.find((f) => f.path === 'Dockerfile')!.content);
      expect(dockerfile(old), id).toBe(dockerfile(current));
      expect(old.pluginSummary, id).toEqual(current.pluginSummary);
    }
  });
});
