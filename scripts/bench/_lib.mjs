// Shared helpers for bench sections.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}bin/create-multistage.js`;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Decimal units, as npm (package size) and docker (image size) print them. */
export function formatBytes(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1000 * 1000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1000 / 1000).toFixed(1)} MB`;
}

export function dockerAvailable() {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/** Times a docker build (extra: more `docker build` arguments such as --no-cache); returns seconds and the build output. */
export function timedBuild(context, target, tag, extra = []) {
  const started = process.hrtime.bigint();
  const result = spawnSync('docker', ['build', '--progress=plain', ...extra, '--target', target, '-t', tag, context], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`docker build --target ${target} failed in ${context}:\n${`${result.stdout}${result.stderr}`.slice(-3000)}`);
  return { seconds, output: `${result.stdout}${result.stderr}` };
}

export function imageSize(tag) {
  const result = spawnSync('docker', ['image', 'inspect', '-f', '{{.Size}}', tag], { encoding: 'utf8' });
  return Number(result.stdout.trim());
}

export function removeImages(tags) {
  spawnSync('docker', ['rmi', '-f', ...tags], { stdio: 'ignore' });
}
