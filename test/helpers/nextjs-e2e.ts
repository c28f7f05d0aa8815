/**
 * Probes shared by the Next.js e2e files: wait for a page, run a server for a
 * check, non-root and HEALTHCHECK assertions, CACHED-step assertions, and a
 * search of every layer of an image for a string.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { cachedSteps, containerLogs, containerUid, freePort, inspectImage, removeContainer, runDetached } from './docker.js';

/** The image's HEALTHCHECK test without its "CMD" marker, or undefined when it declares none. */
export function healthcheckOf(image: string): string[] | undefined {
  const raw = JSON.parse(execFileSync('docker', ['image', 'inspect', image], { encoding: 'utf8' }))[0];
  const test = raw.Config.Healthcheck?.Test as string[] | undefined;
  return test && test[0] === 'CMD' ? test.slice(1) : undefined;
}

export function isRunning(container: string): boolean {
  const result = spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', container], { encoding: 'utf8' });
  return result.stdout.trim() === 'true';
}

/**
 * Polls GET url until it answers 200 with `text` in the body. The request
 * timeout starts short and doubles after each timeout (2 s up to 30 s):
 * Node 20's fetch never settles when docker-proxy accepts the connection
 * before the server listens and then drops it, so only an abort gets the poll
 * going again; and `next dev` keeps compiling a route after an aborted
 * request, so a later, longer attempt picks up the finished compile. Stops
 * early when the container has exited; the error carries the last answer and
 * the container's logs.
 */
export async function waitForPage(url: string, text: string, container: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  let timedOut = 0;
  while (Date.now() < deadline) {
    const requestTimeout = Math.min(2_000 * 2 ** timedOut, 30_000, Math.max(1_000, deadline - Date.now()));
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(requestTimeout) });
      const body = await response.text();
      if (response.status === 200 && body.includes(text)) return body;
      last = `HTTP ${response.status}: ${body.slice(0, 300)}`;
    } catch (error) {
      last = String(error);
      if ((error as Error).name === 'TimeoutError') timedOut++;
    }
    if (!isRunning(container)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer 200 with "${text}" (last: ${last}).\nContainer logs:\n${containerLogs(container).slice(-4000)}`);
}

/** Runs a container from `image`, waits for the page at `urlPath`, and hands it to `check` before removing it. */
export async function withServer(
  image: string,
  containerPort: number,
  text: string,
  timeoutMs: number,
  check: (container: string, body: string, hostPort: number) => void | Promise<void>,
  options: { urlPath?: string; env?: Record<string, string> } = {},
): Promise<void> {
  const hostPort = await freePort();
  const container = runDetached(image, { containerPort, hostPort, ...(options.env ? { env: options.env } : {}) });
  try {
    const body = await waitForPage(`http://127.0.0.1:${hostPort}${options.urlPath ?? '/'}`, text, container, timeoutMs);
    await check(container, body, hostPort);
  } finally {
    removeContainer(container);
  }
}

/** Non-root twice over: the image's USER and the uid of the running server process. */
export function expectNonRoot(image: string, container: string, expected: { user: string; uid: string }): void {
  const { user } = inspectImage(image);
  expect(user).toBe(expected.user);
  expect(user.split(':')[0]).not.toMatch(/^(root|0|)$/);
  const uid = containerUid(container);
  expect(uid).toBe(expected.uid);
  expect(uid).not.toBe('0');
}

/** Runs the image's own HEALTHCHECK command inside the running container (no shell needed: exec form). */
export function expectHealthcheckPasses(image: string, container: string): void {
  const healthcheck = healthcheckOf(image);
  expect(healthcheck, 'the production image declares a HEALTHCHECK').toBeDefined();
  const probe = spawnSync('docker', ['exec', container, ...healthcheck!], { encoding: 'utf8' });
  expect(probe.status, `${healthcheck!.join(' ')}: ${probe.stdout}${probe.stderr}`).toBe(0);
}

export function replaceInFile(file: string, from: string, to: string): void {
  const source = fs.readFileSync(file, 'utf8');
  expect(source, file).toContain(from);
  fs.writeFileSync(file, source.replace(from, to));
}

/** Asserts a step whose command contains `command` was served from the layer cache. */
export function expectCached(output: string, command: string): void {
  const cached = cachedSteps(output);
  expect(
    cached.some((step) => step.includes(command)),
    `"${command}" is not among the CACHED steps:\n${cached.join('\n')}`,
  ).toBe(true);
}

export function expectRebuilt(output: string, command: string): void {
  expect(output, `"${command}" never ran`).toContain(command);
  expect(
    cachedSteps(output).some((step) => step.includes(command)),
    `"${command}" must run again after the edit`,
  ).toBe(false);
}

/** Does any layer (or the config) of `image` contain `needle`? `docker save`, every tar searched as bytes. */
export function imageContains(image: string, needle: string): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-save-'));
  try {
    const tar = path.join(dir, 'image.tar');
    execFileSync('docker', ['save', '-o', tar, image]);
    execFileSync('tar', ['-xf', tar, '-C', dir]);
    // Layers are tars themselves (uncompressed with `docker save`): grep every file as bytes.
    const found = spawnSync('grep', ['-r', '-l', '-a', '-F', needle, dir], { encoding: 'utf8' });
    return found.status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `docker history --no-trunc`: every instruction that made the image, build args included. */
export function imageHistory(image: string): string {
  return execFileSync('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', image], { encoding: 'utf8' });
}

/** The health status Docker reports for a running container (starting, healthy, unhealthy). */
export function healthStatus(container: string): string {
  return spawnSync('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', container], { encoding: 'utf8' }).stdout.trim();
}
