/**
 * An organisation kit on a real engine. The acme kit (test/fixtures/kits/acme)
 * points every base image at registry.example.internal (tagged locally from
 * the stand-ins, since no registry is reachable), installs an extra Debian
 * package and the ACME test root CA in `base`, and labels the production
 * images. A new Next.js project and a new project of a second stack (Go when
 * this build registers it) build every target; the production images carry
 * the labels, trust the CA (the bundle holds the kit's certificate, and
 * Node.js loads it through NODE_EXTRA_CA_CERTS), run as non-root and answer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDockerfile } from '../../src/kit/dockerfile.js';
import { STACKS } from '../../src/stacks/index.js';
import { REPO_ROOT, build, cleanup, containerLogs, ensureImages, freePort, inspectImage, removeContainer, requireDocker, runCli, runDetached, runId, waitForHttp } from '../helpers/docker.js';

const KIT = path.join(REPO_ROOT, 'test', 'fixtures', 'kits', 'acme');
const KIT_CA = fs.readFileSync(path.join(KIT, 'ca', 'acme-root-ca.pem'), 'utf8');
const MIRROR = 'registry.example.internal/';
const LABELS = { 'org.opencontainers.image.vendor': 'ACME Corp', 'com.acme.team': 'platform', 'com.acme.cost-center': 'cc-1234' };

/** The certificate's base64 body, so CRLF/LF or a bundle's layout cannot hide a match. */
const certBody = (pem: string): string => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

interface Project {
  dir: string;
  stack: string;
  flags: string[];
  /** The port the production image serves and the path that answers 200. */
  port: number;
  probe: string;
  /** Node.js runtimes also load the bundle through NODE_EXTRA_CA_CERTS. */
  node: boolean;
}

// Two different stacks: Next.js, and Go when this build registers it (else the
// Next.js pnpm fixture as a second, existing project).
const hasGo = STACKS.some((s) => s.id === 'go');
const PROJECTS: Project[] = [
  { dir: 'cms-kit-web', stack: 'nextjs', flags: ['--stack', 'nextjs', '--pm', 'npm'], port: 3000, probe: '/', node: true },
  hasGo
    ? { dir: 'cms-kit-api', stack: 'go', flags: ['--stack', 'go'], port: 8080, probe: '/healthz', node: false }
    : { dir: 'cms-kit-pnpm', stack: 'nextjs', flags: ['--name', 'cms-kit-pnpm'], port: 3000, probe: '/', node: true },
];

const hasDocker = requireDocker();
let workRoot = '';
/** Mirror tags this suite created (removed afterwards; tags that existed before are left alone). */
const createdTags: string[] = [];
const containers: string[] = [];

function imageExists(ref: string): boolean {
  return spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' }).status === 0;
}

/** `registry.example.internal/library/node:26-trixie-slim` → `node:26-trixie-slim`; distroless → gcr.io/distroless/... */
function upstreamOf(mirrored: string): string {
  const rest = mirrored.slice(MIRROR.length);
  if (rest.startsWith('library/')) return rest.slice('library/'.length);
  if (rest.startsWith('distroless/')) return `gcr.io/${rest}`;
  return rest;
}

/** Copies one file out of an image without running it (distroless has no shell). */
function fileFromImage(image: string, file: string): string {
  const name = `${runId}-kitcp-${Math.random().toString(16).slice(2, 8)}`;
  execFileSync('docker', ['create', '--name', name, image, '/nonexistent'], { stdio: 'ignore' });
  containers.push(name);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-kit-cp-'));
  try {
    execFileSync('docker', ['cp', `${name}:${file}`, path.join(out, 'file')], { stdio: 'ignore' });
    return fs.readFileSync(path.join(out, 'file'), 'utf8');
  } finally {
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function envOf(image: string): Record<string, string> {
  const raw = JSON.parse(execFileSync('docker', ['image', 'inspect', image], { encoding: 'utf8' }))[0];
  return Object.fromEntries((raw.Config.Env as string[]).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe.skipIf(!hasDocker)('an organisation kit on a real engine', () => {
  beforeAll(async () => {
    // The CLI runs from dist/: make sure it is this tree's code.
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
    workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-kit-e2e-'));
    for (const project of PROJECTS) {
      const dir = path.join(workRoot, project.dir);
      if (project.dir === 'cms-kit-pnpm') fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'nextjs', 'pnpm-app'), dir, { recursive: true });
      runCli([project.dir, '--yes', '--skip-install', '--kit', KIT, ...project.flags], workRoot);
      // A new Next.js project needs the lockfile its Dockerfile copies; no node_modules on the host.
      if (project.stack === 'nextjs' && !fs.existsSync(path.join(dir, 'pnpm-lock.yaml'))) {
        execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
      }
    }
    // Every image the Dockerfiles name is a mirror reference: tag the stand-ins under those names.
    const described = await Promise.all(PROJECTS.map((p) => describeDockerfile(fs.readFileSync(path.join(workRoot, p.dir, 'Dockerfile'), 'utf8'))));
    const mirrored = new Set(described.flatMap((d) => d.images));
    ensureImages([...mirrored].map(upstreamOf));
    for (const ref of mirrored) {
      if (imageExists(ref)) continue;
      execFileSync('docker', ['tag', upstreamOf(ref), ref]);
      createdTags.push(ref);
    }
  });

  afterAll(() => {
    cleanup();
    for (const name of containers) spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    // `docker rmi <tag>` of an image with other tags only removes the tag.
    if (createdTags.length) spawnSync('docker', ['rmi', ...createdTags], { stdio: 'ignore' });
    if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
  });

  it('uses two different stacks when the build has them', () => {
    expect(new Set(PROJECTS.map((p) => p.stack)).size).toBe(hasGo ? 2 : 1);
  });

  describe.each(PROJECTS.map((p) => [p.dir, p] as const))('%s', (_name, project) => {
    const dir = (): string => path.join(workRoot, project.dir);
    const images: Record<string, string> = {};

    it('the Dockerfile names only mirror images, and the CA and kit files are in the project', async () => {
      const { images: refs } = await describeDockerfile(fs.readFileSync(path.join(dir(), 'Dockerfile'), 'utf8'));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref.startsWith(MIRROR), ref).toBe(true);
      expect(fs.readFileSync(path.join(dir(), '.multistage/ca/acme-root-ca.crt'), 'utf8')).toBe(KIT_CA);
      expect(fs.existsSync(path.join(dir(), '.github/workflows/docker.yml'))).toBe(true);
    });

    it('builds every target from the mirror names', async () => {
      const { stages } = await describeDockerfile(fs.readFileSync(path.join(dir(), 'Dockerfile'), 'utf8'));
      for (const target of stages) images[target] = build(dir(), target).image;
      expect(Object.keys(images)).toEqual(expect.arrayContaining(['base', 'dependencies', 'development', 'builder', 'production']));
    });

    it('base trusts the CA through the system store', () => {
      const bundle = fileFromImage(images['base']!, '/etc/ssl/certs/ca-certificates.crt');
      expect(certBody(bundle)).toContain(certBody(KIT_CA));
      expect(fileFromImage(images['base']!, '/usr/local/share/ca-certificates/multistage/acme-root-ca.crt')).toBe(KIT_CA);
    });

    it('the production image: the kit labels, the CA in its trust store, non-root, and it answers', async () => {
      const image = images['production']!;
      const info = inspectImage(image);
      expect(info.labels).toMatchObject(LABELS);
      expect(info.labels['org.opencontainers.image.title']).toBe(project.dir);
      expect(info.user).not.toMatch(/^(root|0)?(:|$)/);

      const bundle = fileFromImage(image, '/etc/ssl/certs/ca-certificates.crt');
      expect(certBody(bundle)).toContain(certBody(KIT_CA));
      const env = envOf(image);
      expect(env['SSL_CERT_FILE']).toBe('/etc/ssl/certs/ca-certificates.crt');
      expect(env['NODE_EXTRA_CA_CERTS']).toBe('/etc/ssl/certs/ca-certificates.crt');

      if (project.node) {
        // Node.js itself reports what NODE_EXTRA_CA_CERTS loaded (tls.getCACertificates, Node >= 22.15).
        const run = spawnSync('docker', ['run', '--rm', image, 'node', '-e', "process.stdout.write(require('tls').getCACertificates('extra').join('\\n'))"], { encoding: 'utf8' });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).not.toContain('Ignoring extra certs');
        expect(certBody(run.stdout)).toContain(certBody(KIT_CA));
      }

      const hostPort = await freePort();
      const container = runDetached(image, { containerPort: project.port, hostPort });
      try {
        const response = await waitForHttp(`http://127.0.0.1:${hostPort}${project.probe}`, 90_000);
        expect(response.status, containerLogs(container)).toBe(200);
      } finally {
        removeContainer(container);
      }
    });
  });
});
