// What a kit does to the generated files. With the acme kit (mirror, Debian
// packages, labels, a CA certificate, an extra file), every stack's
// Dockerfile, new and existing, passes the DOCKERFILE-RULES checker with zero
// violations and keeps every line it had without the kit. Then the details:
// image rewriting, CA and label placement, .dockerignore, partial and
// template overrides, extra files, and a whole stack defined by a kit.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/create.js';
import { EXIT } from '../../../src/errors.js';
import { applyKitToDockerfile, describeDockerfile, rewriteImages } from '../../../src/kit/dockerfile.js';
import { mapImage } from '../../../src/kit/images.js';
import { isIgnored } from '../../../src/dockerignore.js';
import { keepInContext } from '../../../src/kit/dockerignore.js';
import { KitApplyError } from '../../../src/kit/errors.js';
import { loadKitFromDir } from '../../../src/kit/load.js';
import { validateManifest, type ImageRule } from '../../../src/kit/manifest.js';
import { KIT_STACKS as STACKS } from '../../../src/stacks/index.js';
import { withoutStamp, withoutVersionLine } from '../../helpers/stamp.js';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { FIXTURES_DIR, filesIn, makeTree, readFixture, snapshotTree, writeTree, type TreeEntry } from '../../helpers/tree.js';
import { ACME_CA, ACME_KIT, makeKit, manifest } from '../../helpers/kit.js';

const CORE_STAGES = ['base', 'dependencies', 'development', 'builder', 'production'];
const ACME_IMAGES = loadKitFromDir(ACME_KIT, 'acme', STACKS).configs['*']!.images;
const PYTHON_KIT = path.join(FIXTURES_DIR, 'kits', 'python');

/** Runs in <tmp>/app (a fixed name, so runs with and without a kit can be compared byte for byte). */
async function generate(tree: Record<string, TreeEntry>, argv: string[]): Promise<{ dir: string; files: Record<string, string>; report: RunReport }> {
  const cwd = makeTree();
  const dir = path.join(cwd, 'app');
  if (Object.keys(tree).length > 0) writeTree(dir, tree);
  const json = await runMain(['app', '--yes', '--skip-install', '--dry-run', '--json', ...argv], { cwd });
  expect(json.code, `${argv.join(' ')}\n${json.stderr}`).toBe(0);
  const result = await runMain(['app', '--yes', '--skip-install', ...argv], { cwd });
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(dir))) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  return { dir, files, report: json.json<RunReport>() };
}

/** Instructions per stage, continuation lines joined, comments dropped. */
function stages(dockerfile: string): Map<string, { from: string; body: string[] }> {
  const result = new Map<string, { from: string; body: string[] }>();
  let current: string[] | undefined;
  for (const line of dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM (?:--\S+ )?(\S+) AS (\S+)$/i.exec(line);
    if (from) {
      current = [];
      result.set(from[2]!, { from: from[1]!, body: current });
    } else {
      current?.push(line);
    }
  }
  return result;
}

/** True when `lines` appear in `text` in this order (other lines may sit between them). */
function isSubsequence(lines: string[], text: string): string | undefined {
  const haystack = text.split('\n');
  let at = 0;
  for (const line of lines) {
    const found = haystack.indexOf(line, at);
    if (found === -1) return line;
    at = found + 1;
  }
  return undefined;
}

// Every stack this build registers, new (each runtime) and from its fixtures.
const EXISTING_FIXTURES: Record<string, string[]> = {
  nextjs: ['nextjs-detect/npm', 'nextjs-detect/pnpm', 'nextjs-detect/yarn-berry', 'nextjs-detect/bun', 'nextjs/pnpm-app'],
  go: ['go/single', 'go/two-binaries', 'go/vendored', 'go/cgo'],
  cpp: ['cpp/cmake-shop', 'cpp/zlib-app'],
};

function runtimeChoices(stackId: string): string[] {
  const question = STACKS.find((s) => s.id === stackId)!.questions.find((q) => q.flag === 'runtime');
  if (!question?.choices) return [''];
  return question.choices({ mode: 'new', answers: {}, detection: { existing: false, values: {}, facts: {}, notes: [] } }).map((c) => c.value);
}

const CASES = STACKS.filter((s) => !s.existingOnly).flatMap((stack) => [
  ...runtimeChoices(stack.id).map((runtime) => ({
    title: `${stack.id} new${runtime ? ` --runtime ${runtime}` : ''}`,
    tree: {},
    args: ['--stack', stack.id, ...(runtime ? ['--runtime', runtime] : [])],
  })),
  ...(EXISTING_FIXTURES[stack.id] ?? []).map((fixture) => ({ title: `${stack.id} existing ${fixture}`, tree: readFixture(fixture), args: ['--stack', stack.id] })),
]);

describe('the acme kit on every stack: zero rule violations, nothing of the built-in lost', () => {
  it('covers every registered stack', () => {
    expect(STACKS.map((s) => s.id)).toContain('nextjs');
    for (const stack of STACKS.filter((s) => !s.existingOnly))
      expect(
        CASES.some((c) => c.title.startsWith(`${stack.id} `)),
        stack.id,
      ).toBe(true);
  });

  it.each(CASES.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    // --force: a case's own --runtime may contradict the kit's lock (the matrix covers every runtime).
    const kit = await generate(c.tree, [...c.args, '--force', '--kit', ACME_KIT]);
    // The same answers without the kit: what the kit answered becomes flags.
    const kitAnswered = Object.entries(kit.report.sources).filter(([, source]) => source === 'locked' || source === 'kit');
    const plain = await generate(c.tree, [
      ...c.args.filter((a, i, all) => !kitAnswered.some(([key]) => a === `--${key}` || all[i - 1] === `--${key}`)),
      ...kitAnswered.flatMap(([key]) => [`--${key}`, String(kit.report.answers[key])]),
    ]);
    const dockerfile = kit.files['Dockerfile']!;
    const dockerignore = kit.files['.dockerignore']!;

    const violations = checkDockerfile(dockerfile, { dockerignore, expectedStages: CORE_STAGES });
    expect(violations, `${formatViolations(violations)}\n\n${dockerfile}`).toEqual([]);

    // Every image is the mirror's; the tags are the ones the stack chose.
    const images = (await describeDockerfile(dockerfile)).images;
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image, dockerfile).toMatch(/^registry\.example\.internal\/(library|distroless|oven)\/[a-z0-9.-]+:[\w.-]+$/);
    const plainImages = (await describeDockerfile(plain.files['Dockerfile']!)).images;
    expect(images.map((i) => i.split(':').pop())).toEqual(plainImages.map((i) => i.split(':').pop()));

    // The kit only adds: every line of the plain Dockerfile is still there, in order (images mirrored).
    // (The image rewrite itself is tested on its own below.)
    const expected = withoutVersionLine((await rewriteImages(plain.files['Dockerfile']!, ACME_IMAGES)).text);
    const missing = isSubsequence(expected.split('\n'), withoutVersionLine(dockerfile));
    expect(missing, `line lost: ${missing}\n\n${dockerfile}`).toBeUndefined();

    const parsed = stages(dockerfile);
    const base = parsed.get('base')!;
    expect(base.body).toContain('COPY --chmod=0644 .multistage/ca/ /usr/local/share/ca-certificates/multistage/');
    expect(base.body.find((i) => i.startsWith('RUN apt-get update'))).toBe(
      'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates jq && rm -rf /var/lib/apt/lists/* && update-ca-certificates',
    );
    const stageNames = [...parsed.keys()];
    for (const [name, stage] of parsed) {
      // `binaries` is export-only: its files land in the user's dist/, no bundle there.
      const external = name !== 'binaries' && !stageNames.slice(0, stageNames.indexOf(name)).includes(stage.from);
      const copiesBundle = stage.body.includes('COPY --from=base /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
      expect(copiesBundle, `${name} (FROM ${stage.from})`).toBe(external && name !== 'base');
      if (external) expect(stage.body).toContain('ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt');
      if (name === 'production' || name.startsWith('production-')) {
        expect(stage.body, name).toContain('LABEL org.opencontainers.image.vendor="ACME Corp" com.acme.team="platform" com.acme.cost-center="cc-1234"');
      }
    }

    expect(kit.files['.multistage/ca/acme-root-ca.crt']).toBe(ACME_CA);
    expect(kit.files['.github/workflows/docker.yml']).toContain(`docker build --target production -t registry.example.internal/apps/${kit.report.answers['name']}:\${{ github.sha }} .`);
    expect(kit.files['README.Docker.md']).not.toMatch(/(?<![\w./-])(node|golang|debian):\d/);
    // Nothing else changes: the other files are byte for byte the same.
    for (const file of ['compose.yaml', 'package.json', '.gitignore']) expect(withoutVersionLine(kit.files[file]), file).toBe(withoutVersionLine(plain.files[file]));
  });

  it('a kit that configures nothing for a stack leaves its files byte for byte as without a kit', async () => {
    const goOnly = makeKit(manifest({ stacks: { go: { labels: { 'com.acme.team': 'go' } } } }));
    const plain = await generate({}, ['--stack', 'nextjs']);
    const kit = await generate({}, ['--stack', 'nextjs', '--kit', goOnly]);
    // Alike but for the stamp, which records the kit.
    const unversioned = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [k, withoutVersionLine(v)]));
    expect(unversioned(kit.files)).toEqual(unversioned(plain.files));
  });
});

// ---------------------------------------------------------------------------

function rules(images: Record<string, string>): ImageRule[] {
  return validateManifest(manifest({ stacks: { '*': { images } } })).stacks['*']!.images;
}

describe('image rewriting', () => {
  const mirror = rules({
    node: 'mirror.example/library/node',
    golang: 'mirror.example/golang:1.27-pinned',
    'gcr.io/distroless/': 'mirror.example/distroless/',
    'gcr.io/distroless/static-debian13': 'mirror.example/static',
    'docker/dockerfile': 'mirror.example/dockerfile',
    'library/debian': 'mirror.example/debian',
  });

  it('maps repositories: tag and digest kept, full references used as is, exact before prefix, longest prefix first', () => {
    expect(mapImage('node:26-trixie-slim', mirror)).toBe('mirror.example/library/node:26-trixie-slim');
    expect(mapImage('docker.io/library/node:26', mirror)).toBe('mirror.example/library/node:26');
    expect(mapImage(`node:26@sha256:${'a'.repeat(64)}`, mirror)).toBe(`mirror.example/library/node:26@sha256:${'a'.repeat(64)}`);
    expect(mapImage('golang:1.24', mirror)).toBe('mirror.example/golang:1.27-pinned');
    expect(mapImage('gcr.io/distroless/static-debian13:nonroot', mirror)).toBe('mirror.example/static:nonroot');
    expect(mapImage('gcr.io/distroless/nodejs26-debian13:nonroot', mirror)).toBe('mirror.example/distroless/nodejs26-debian13:nonroot');
    expect(mapImage('debian:trixie-slim', mirror)).toBe('mirror.example/debian:trixie-slim');
    for (const untouched of ['nodejs:1', 'acme/node:1', 'registry.example.com/node:1', 'scratch', '${NODE_IMAGE}']) expect(mapImage(untouched, mirror), untouched).toBeUndefined();
  });

  it('rewrites ARG defaults, FROM, COPY --from and RUN --mount from=, never stage names or other ARGs', async () => {
    const before = [
      '# syntax=docker/dockerfile:1',
      'ARG NODE_IMAGE=node:26-trixie-slim',
      'ARG QUOTED="golang:1.27-trixie" VERSION=1.2.3',
      'ARG NODE_VERSION=26',
      'FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS base',
      'FROM node:24-trixie-slim AS node',
      'FROM base AS builder',
      'COPY --from=node /usr/local/bin/node /usr/local/bin/node',
      'COPY --from=gcr.io/distroless/static-debian13:nonroot --chown=0:0 /etc/passwd /etc/passwd',
      'COPY --from=0 /x /x',
      'RUN --mount=type=bind,from=golang:1.27,source=/usr/local/go,target=/go \\',
      '    --mount=type=cache,id=x,target=/root/.cache \\',
      '    echo --from=node:1 is just text',
      'FROM gcr.io/distroless/nodejs26-debian13:nonroot AS production',
    ].join('\n');
    const { text, replaced } = await rewriteImages(before, mirror);
    expect(text.split('\n')).toEqual([
      '# syntax=mirror.example/dockerfile:1',
      'ARG NODE_IMAGE=mirror.example/library/node:26-trixie-slim',
      'ARG QUOTED="mirror.example/golang:1.27-pinned" VERSION=1.2.3',
      'ARG NODE_VERSION=26',
      'FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS base',
      'FROM mirror.example/library/node:24-trixie-slim AS node',
      'FROM base AS builder',
      'COPY --from=node /usr/local/bin/node /usr/local/bin/node',
      'COPY --from=mirror.example/static:nonroot --chown=0:0 /etc/passwd /etc/passwd',
      'COPY --from=0 /x /x',
      'RUN --mount=type=bind,from=mirror.example/golang:1.27-pinned,source=/usr/local/go,target=/go \\',
      '    --mount=type=cache,id=x,target=/root/.cache \\',
      '    echo --from=node:1 is just text',
      'FROM mirror.example/distroless/nodejs26-debian13:nonroot AS production',
    ]);
    expect(replaced.map((r) => r.from)).toEqual([
      'docker/dockerfile:1',
      'node:26-trixie-slim',
      'golang:1.27-trixie',
      'node:24-trixie-slim',
      'gcr.io/distroless/static-debian13:nonroot',
      'golang:1.27',
      'gcr.io/distroless/nodejs26-debian13:nonroot',
    ]);
  });

  it('rewrites two images on one line and a FROM split by a continuation, and leaves heredoc text alone', async () => {
    const before = ['ARG A=node:26 B="golang:1.27"', 'FROM \\', '    node:24 AS one', 'RUN <<EOF', 'FROM node:26', 'EOF', 'FROM one AS two'].join('\n');
    const { text, replaced } = await rewriteImages(before, mirror);
    expect(text.split('\n')).toEqual([
      'ARG A=mirror.example/library/node:26 B="mirror.example/golang:1.27-pinned"',
      'FROM \\',
      '    mirror.example/library/node:24 AS one',
      'RUN <<EOF',
      'FROM node:26',
      'EOF',
      'FROM one AS two',
    ]);
    expect(replaced.map((r) => r.from)).toEqual(['node:26', 'golang:1.27', 'node:24']);
  });
});

const BASE_OPTIONS = { kitName: 'acme', packages: [], labels: {}, caFiles: [] };

describe('CA certificates, packages and labels in a Dockerfile', () => {
  const dockerfile = [
    '# syntax=docker/dockerfile:1',
    'ARG RUNTIME=gcr.io/distroless/static-debian13:nonroot',
    'FROM debian:trixie-slim AS tools',
    'FROM golang:1.27-trixie AS base',
    'WORKDIR /src',
    'ENV CGO_ENABLED=0',
    'FROM base AS builder',
    'RUN go build -o /out/app .',
    'FROM scratch AS production',
    'LABEL org.opencontainers.image.title="app"',
    'COPY --from=tools /etc/ssl/certs/ca-certificates.crt \\',
    '     /etc/ssl/certs/',
    'COPY --from=builder /out/app /app',
    'USER 65532:65532',
    'FROM ${RUNTIME} AS production-worker',
    'COPY --from=builder /out/app /worker',
    'USER 65532:65532',
    '',
  ].join('\n');

  it('base gets the certificates and packages right after FROM/WORKDIR; every later external stage the bundle, after its own /etc/ssl/certs copies', async () => {
    const { text, caStages, labelledStages } = await applyKitToDockerfile(dockerfile, { ...BASE_OPTIONS, packages: ['curl'], caFiles: ['root.crt'], labels: { 'com.acme.team': 'x' } });
    expect(caStages).toEqual(['production', 'production-worker']);
    expect(labelledStages).toEqual(['production', 'production-worker']);
    const parsed = stages(text);
    expect(parsed.get('tools')!.body).toEqual([]); // before base: it cannot copy from a later stage
    expect(parsed.get('base')!.body.slice(0, 5)).toEqual([
      'WORKDIR /src',
      'COPY --chmod=0644 .multistage/ca/ /usr/local/share/ca-certificates/multistage/',
      'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* && update-ca-certificates',
      'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      'ENV CGO_ENABLED=0',
    ]);
    expect(parsed.get('builder')!.body).toEqual(['RUN go build -o /out/app .']);
    expect(parsed.get('production')!.body).toEqual([
      'LABEL org.opencontainers.image.title="app"',
      'LABEL com.acme.team="x"',
      'COPY --from=tools /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
      'COPY --from=base /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      'COPY --from=builder /out/app /app',
      'USER 65532:65532',
    ]);
    expect(parsed.get('production-worker')!.body).toEqual([
      'LABEL com.acme.team="x"',
      'COPY --from=base /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt',
      'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      'COPY --from=builder /out/app /worker',
      'USER 65532:65532',
    ]);
  });

  it('CA without packages installs ca-certificates only where update-ca-certificates is missing', async () => {
    const { text } = await applyKitToDockerfile(dockerfile, { ...BASE_OPTIONS, caFiles: ['root.crt'] });
    expect(stages(text).get('base')!.body[2]).toBe(
      'RUN if ! command -v update-ca-certificates >/dev/null 2>&1; then apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*; fi && update-ca-certificates',
    );
    const violations = checkDockerfile(text).filter((v) => ['DL3009', 'DL3014', 'DL3015', 'CIS-4.7', 'DL4006', 'dockerfile-utils'].includes(v.rule));
    expect(violations).toEqual([]);
  });

  it('an Alpine base uses apk for the certificates and refuses Debian packages', async () => {
    const alpine = 'ARG IMG=golang:1.27-alpine\nFROM ${IMG} AS base\nWORKDIR /src\nFROM scratch AS production\n';
    expect((await applyKitToDockerfile(alpine, { ...BASE_OPTIONS, caFiles: ['r.crt'] })).text).toContain('RUN apk add --no-cache ca-certificates \\\n    && update-ca-certificates');
    await expect(applyKitToDockerfile(alpine, { ...BASE_OPTIONS, packages: ['curl'] })).rejects.toThrow(KitApplyError);
    await expect(applyKitToDockerfile(alpine, { ...BASE_OPTIONS, packages: ['curl'] })).rejects.toThrow('the base image golang:1.27-alpine is Alpine');
  });

  it('refuses what it cannot place: no base stage, a changed escape character', async () => {
    await expect(applyKitToDockerfile('FROM debian:trixie AS build\n', { ...BASE_OPTIONS, caFiles: ['r.crt'] })).rejects.toThrow(
      'The acme kit adds CA certificates, which go into the "base" stage, but this Dockerfile has no stage named base.',
    );
    await expect(applyKitToDockerfile('# escape=`\nFROM debian:trixie AS base\n', { ...BASE_OPTIONS, packages: ['curl'] })).rejects.toThrow(KitApplyError);
    // Labels alone need no base stage.
    expect((await applyKitToDockerfile('FROM debian:trixie AS production\n', { ...BASE_OPTIONS, labels: { a: 'b' } })).text).toContain('LABEL a="b"');
  });
});

describe('.dockerignore keeps the certificates in the build context', () => {
  it('matches like BuildKit: anchored, parents exclude children, last match wins', () => {
    expect(isIgnored('.*\n', '.multistage/ca/a.crt')).toBe(true);
    expect(isIgnored('*.crt\n', '.multistage/ca/a.crt')).toBe(false);
    expect(isIgnored('**/*.crt\n', '.multistage/ca/a.crt')).toBe(true);
    expect(isIgnored('.multistage\n!.multistage/ca/\n', '.multistage/ca/a.crt')).toBe(false);
    expect(isIgnored('*\n!src\n', '.multistage/ca/a.crt')).toBe(true);
  });

  it('appends a re-include when a .dockerignore would drop them, and the checker agrees', async () => {
    expect(keepInContext('node_modules\n', ['.multistage/ca/a.crt'], 'acme')).toBe('node_modules\n');
    const kit = makeKit(manifest({ stacks: { '*': { caCertificates: ['ca.pem'], templates: { '.dockerignore': 'ignore.hbs' } } } }), {
      'ca.pem': ACME_CA,
      'ignore.hbs': '.*\n!.env.example\nnode_modules\n*.pem\n*.key\nDockerfile\n',
    });
    const { files } = await generate({}, ['--stack', 'nextjs', '--kit', kit]);
    expect(withoutStamp(files['.dockerignore'])).toBe(
      ".*\n!.env.example\nnode_modules\n*.pem\n*.key\nDockerfile\n\n# The test-kit kit's CA certificates are copied into the image.\n!.multistage/ca/\n",
    );
    const violations = checkDockerfile(files['Dockerfile']!, { dockerignore: files['.dockerignore']! }).filter((v) => v.rule === 'CopyIgnoredFile');
    expect(violations).toEqual([]);
  });

  it('no built-in stack excludes .multistage/', async () => {
    for (const stack of STACKS.filter((s) => !s.existingOnly)) {
      const { files } = await generate({}, ['--stack', stack.id]);
      expect(isIgnored(files['.dockerignore']!, '.multistage/ca/root.crt'), stack.id).toBe(false);
    }
  });
});

describe('overriding built-in templates and partials', () => {
  it('a stage-production partial replaces that stage only; the other stages are the built-in ones', async () => {
    const kit = makeKit(manifest({ stacks: { nextjs: { partials: { 'stage-production': 'production.hbs' } } } }), {
      'production.hbs': [
        '# production: the acme way.',
        'FROM ${RUNTIME_IMAGE} AS production',
        'WORKDIR /app',
        '{{> oci-labels}}',
        'COPY --from=builder --chown={{user}} /app/.next/standalone ./',
        'COPY --from=builder --chown={{user}} /app/.next/static ./.next/static',
        'USER {{user}}',
        'EXPOSE {{port}}',
        'HEALTHCHECK CMD {{json healthcheck}}',
        'CMD ["node", "server.js"]',
        '',
      ].join('\n'),
    });
    const plain = await generate({}, ['--stack', 'nextjs']);
    const { files } = await generate({}, ['--stack', 'nextjs', '--kit', kit]);
    const withKit = stages(files['Dockerfile']!);
    const without = stages(plain.files['Dockerfile']!);
    for (const name of ['base', 'dependencies', 'development', 'builder']) expect(withKit.get(name), name).toEqual(without.get(name));
    expect(files['Dockerfile']).toContain('# production: the acme way.');
    expect(withKit.get('production')!.body).not.toEqual(without.get('production')!.body);
    expect(checkDockerfile(files['Dockerfile']!, { dockerignore: files['.dockerignore']!, expectedStages: CORE_STAGES })).toEqual([]);
  });

  it('a shared partial (oci-labels) is replaced for every stack, with each stack’s context', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { partials: { 'oci-labels': 'labels.hbs' } } } }), {
      'labels.hbs': 'LABEL org.opencontainers.image.title="{{labels.title}}" \\\n      org.opencontainers.image.documentation="https://docs.acme.example/{{labels.title}}"\n',
    });
    for (const stack of STACKS.filter((s) => !s.existingOnly)) {
      const { files } = await generate({}, ['--stack', stack.id, '--name', 'svc', '--kit', kit]);
      expect(files['Dockerfile'], stack.id).toContain('org.opencontainers.image.documentation="https://docs.acme.example/svc"');
    }
  });

  it('a template override replaces one generated file by its output path', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { templates: { 'README.Docker.md': 'readme.hbs' } } } }), { 'readme.hbs': '# {{name}} at ACME\n\nAsk #platform.\n' });
    const { files } = await generate({}, ['--stack', 'nextjs', '--name', 'shop', '--kit', kit]);
    expect(withoutStamp(files['README.Docker.md'])).toBe('# shop at ACME\n\nAsk #platform.\n');
  });
});

describe('extra files', () => {
  it('are rendered with the stack context (.hbs), copied otherwise, and left out when they render to nothing', async () => {
    const kit = makeKit(
      manifest({
        stacks: {
          '*': {
            files: [
              { template: 'ci.yml.hbs', path: '.github/workflows/docker.yml' },
              { template: 'CODEOWNERS', path: '.github/CODEOWNERS' },
              { template: 'go-only.hbs', path: 'GO.md' },
            ],
          },
        },
      }),
      { 'ci.yml.hbs': 'image: {{name}}:$\\{{ github.sha }}\nport: {{port}}\n', CODEOWNERS: '* @acme/{{team}}\n', 'go-only.hbs': '{{#if (eq stack "go")}}Go!{{/if}}' },
    );
    const { files, report } = await generate({}, ['--stack', 'nextjs', '--name', 'shop', '--kit', kit]);
    expect(withoutStamp(files['.github/workflows/docker.yml'])).toBe('image: shop:${{ github.sha }}\nport: 3000\n');
    expect(files['.github/CODEOWNERS']).toBe('* @acme/{{team}}\n');
    expect(files['GO.md']).toBeUndefined();
    expect(report.kit!.files).toEqual(['.github/workflows/docker.yml', '.github/CODEOWNERS']);
  });

  it('a kit file that collides with a new project’s own file is refused', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { files: [{ template: 'g', path: '.gitignore' }] } } }), { g: 'node_modules\n' });
    const cwd = makeTree();
    const result = await runMain(['app', '--stack', 'nextjs', '--yes', '--skip-install', '--kit', kit], { cwd });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("The test-kit kit's file .gitignore (from g) is a file this run already generates");
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('kit files and certificates are planned like any file: an existing different one is a conflict', async () => {
    const cwd = makeTree({ ...readFixture('nextjs-detect/npm'), '.github/workflows/docker.yml': 'name: ours\n' });
    const before = snapshotTree(cwd);
    const result = await runMain(['.', '--yes', '--kit', ACME_KIT], { cwd });
    expect(result.code).toBe(EXIT.failed);
    expect(result.stderr).toContain('.github/workflows/docker.yml exists and differs');
    expect(snapshotTree(cwd)).toEqual(before);
    const again = await runMain(['.', '--yes', '--force', '--kit', ACME_KIT], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(fs.readFileSync(path.join(cwd, '.multistage/ca/acme-root-ca.crt'), 'utf8')).toBe(ACME_CA);
    // A re-run with the same kit changes nothing.
    const third = await runMain(['.', '--yes', '--dry-run', '--json', '--kit', ACME_KIT], { cwd });
    expect(
      third.json<RunReport>().files.every((f) => f.action === 'identical'),
      third.stdout,
    ).toBe(true);
  });
});

describe('a stack defined by a kit', () => {
  it('--stack python exists only with the kit', async () => {
    const cwd = makeTree();
    const without = await runMain(['app', '--stack', 'python', '--yes'], { cwd });
    expect(without.code).toBe(EXIT.usage);
    expect(without.stderr).toContain('--stack must be one of nextjs');
    expect(without.stderr).not.toContain('python,');
  });

  it('a new project: questions by kind, kit default port, templates from the kit; the Dockerfile passes the rules', async () => {
    const { files, report } = await generate({}, ['--stack', 'python', '--name', 'pyapp', '--server', 'waitress', '--debug-tools', '--kit', PYTHON_KIT]);
    expect(report.stack).toBe('python');
    expect(report.mode).toBe('new');
    expect(report.answers).toMatchObject({ name: 'pyapp', port: 8000, 'python-version': '3.13', server: 'waitress', 'debug-tools': true });
    expect(report.sources).toMatchObject({ port: 'kit', server: 'flag', 'python-version': 'default' });
    expect(Object.keys(files).sort()).toEqual(['.dockerignore', 'Dockerfile', 'README.Docker.md', 'app/__main__.py', 'package.json', 'requirements.txt']);
    const dockerfile = files['Dockerfile']!;
    expect(dockerfile.split('\n')[1]).toBe('# create-multistage: --stack python --name pyapp --port 8000 --python-version 3.13 --server waitress --debug-tools true');
    expect(dockerfile).toContain('pip install -r requirements.txt debugpy');
    expect(dockerfile).toContain('CMD ["waitress-serve", "--listen=0.0.0.0:8000", "app:application"]');
    expect(dockerfile).toContain('LABEL com.acme.runtime="python"');
    expect(checkDockerfile(dockerfile, { dockerignore: files['.dockerignore']!, expectedStages: CORE_STAGES })).toEqual([]);
    // No compose.yaml in the kit's templates: docker:dev runs the image directly.
    expect(JSON.parse(files['package.json']!).scripts['docker:dev']).toBe('docker build --target development -t pyapp:dev . && docker run --rm --init -p 8000:8000 pyapp:dev');
  });

  it('an existing project is detected by its marker file, and a re-run reads the header back', async () => {
    const { dir } = await generate({ 'requirements.txt': 'flask==3.1.0\n', 'app/__init__.py': '' }, ['--server', 'waitress', '--python-version', '3.12', '--kit', PYTHON_KIT]);
    const rerun = await runMain(['.', '--yes', '--dry-run', '--json', '--kit', PYTHON_KIT], { cwd: dir });
    const report = rerun.json<RunReport>();
    expect(report.stack).toBe('python');
    expect(report.mode).toBe('existing');
    expect(report.answers).toMatchObject({ server: 'waitress', 'python-version': '3.12' });
    expect(
      report.files.every((f) => f.action === 'identical'),
      rerun.stdout,
    ).toBe(true);
  });

  it('a kit stack’s flags are validated by kind', async () => {
    const cwd = makeTree();
    const bad = await runMain(['app', '--stack', 'python', '--yes', '--python-version', '3.13; rm -rf /', '--kit', PYTHON_KIT], { cwd });
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('--python-version must be a version such as 1.2.3');
    const choice = await runMain(['app', '--stack', 'python', '--yes', '--server', 'uwsgi', '--kit', PYTHON_KIT], { cwd });
    expect(choice.code).toBe(EXIT.usage);
    expect(choice.stderr).toContain('--server must be one of gunicorn, waitress');
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('a pinned kit’s stack switch before the directory still finds the directory', async () => {
    const cwd = makeTree({ 'repo/package.json': JSON.stringify({ name: 'repo', multistage: { kit: PYTHON_KIT } }), 'repo/requirements.txt': 'waitress\n' });
    const result = await runMain(['--stack', 'python', '--debug-tools', 'repo', '--yes', '--dry-run', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json<RunReport>()).toMatchObject({ stack: 'python', directory: path.join(cwd, 'repo'), answers: { 'debug-tools': true } });
  });
});
