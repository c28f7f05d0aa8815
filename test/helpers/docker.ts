/**
 * Helpers for the real-build suite: build targets, run containers, probe them.
 * Every container and image a test creates is named with the run's prefix and
 * removed by cleanup(). Loopback only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(REPO_ROOT, 'bin', 'create-multistage.js');

export function dockerAvailable(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/**
 * In CI the suite must run: a missing engine is a failure, not a skip.
 * Locally it skips with a clear message.
 */
export function requireDocker(): boolean {
  if (dockerAvailable()) return true;
  if (process.env['CI']) throw new Error('No Docker engine: start it with ../shared/docker-e2e/engine.sh start (CI must not skip the e2e suite).');
  console.warn('e2e: skipped, no Docker engine (run ../shared/docker-e2e/engine.sh start).');
  return false;
}

/** Makes sure the base images exist locally (stand-ins for the public images). */
export function ensureImages(refs: string[]): void {
  execFileSync('bash', [path.join(REPO_ROOT, 'test/e2e/standins.sh'), ...refs], { stdio: 'inherit' });
}

export const runId = `cms-e2e-${randomBytes(3).toString('hex')}`;
const createdImages = new Set<string>();
const createdContainers = new Set<string>();

export interface BuildResult {
  image: string;
  output: string;
  seconds: number;
}

/** docker build --target <target>; the plain progress output is returned (cache hits show as CACHED). */
export function build(context: string, target: string, options: { tag?: string; buildArgs?: Record<string, string>; args?: string[] } = {}): BuildResult {
  const image = options.tag ?? `${runId}-${path.basename(context)}-${target}`.toLowerCase();
  const args = ['build', '--progress=plain', '--target', target, '-t', image, ...(options.args ?? [])];
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  args.push(context);
  const started = Date.now();
  const result = spawnSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' }, maxBuffer: 256 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`docker build --target ${target} failed in ${context}:\n${output.slice(-6000)}`);
  createdImages.add(image);
  return { image, output, seconds: (Date.now() - started) / 1000 };
}

export function inspectImage(image: string): { user: string; labels: Record<string, string>; size: number; entrypoint: string[] | null; cmd: string[] | null } {
  const raw = JSON.parse(execFileSync('docker', ['image', 'inspect', image], { encoding: 'utf8' }))[0];
  return { user: raw.Config.User ?? '', labels: raw.Config.Labels ?? {}, size: raw.Size, entrypoint: raw.Config.Entrypoint, cmd: raw.Config.Cmd };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** docker run -d, publishing containerPort on 127.0.0.1:hostPort. */
export function runDetached(image: string, options: { containerPort: number; hostPort: number; args?: string[]; env?: Record<string, string> }): string {
  const name = `${runId}-${randomBytes(3).toString('hex')}`;
  const args = ['run', '-d', '--name', name, '-p', `127.0.0.1:${options.hostPort}:${options.containerPort}`];
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('-e', `${key}=${value}`);
  args.push(image, ...(options.args ?? []));
  execFileSync('docker', args, { encoding: 'utf8' });
  createdContainers.add(name);
  return name;
}

/** Runs a container to completion and returns its output. */
export function runOnce(image: string, args: string[] = [], extra: string[] = []): { status: number; output: string } {
  const result = spawnSync('docker', ['run', '--rm', ...extra, image, ...args], { encoding: 'utf8' });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** `id -u` is not available in distroless: read the uid of the running main process from /proc via docker top. */
export function containerUid(container: string): string {
  const rows = execFileSync('docker', ['top', container, '-o', 'pid,uid'], { encoding: 'utf8' }).trim().split('\n').slice(1);
  return rows[0]?.trim().split(/\s+/)[1] ?? '';
}

export function containerLogs(container: string): string {
  const result = spawnSync('docker', ['logs', container], { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/** Polls until GET url answers (any status) or the time runs out. */
export async function waitForHttp(url: string, timeoutMs = 90_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export function removeContainer(name: string): void {
  spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  createdContainers.delete(name);
}

export function cleanup(): void {
  for (const name of createdContainers) spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  createdContainers.clear();
  if (createdImages.size) spawnSync('docker', ['rmi', '-f', ...createdImages], { stdio: 'ignore' });
  createdImages.clear();
}

/** Runs the built CLI non-interactively; throws on a non-zero exit. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`create-multistage ${args.join(' ')} exited ${result.status}:\n${output}`);
  return output;
}

/** Step lines the build output marks as cache hits, e.g. "#9 CACHED". */
export function cachedSteps(output: string): string[] {
  const names = new Map<string, string>();
  for (const match of output.matchAll(/^#(\d+) \[([^\]]+)\] (.*)$/gm)) names.set(match[1]!, `[${match[2]}] ${match[3]}`);
  return [...output.matchAll(/^#(\d+) CACHED$/gm)].map((m) => names.get(m[1]!) ?? `#${m[1]}`);
}
