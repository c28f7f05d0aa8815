/**
 * After a three-way merge the Dockerfile still works: a new Go project (the
 * cheapest stack to build) whose user added a RUN line to the production stage
 * and edited a comment is re-run with --port 4000; the merged Dockerfile keeps
 * both edits, every one of its targets builds, and the production image runs
 * as uid 65532, answers /healthz on the new port and holds what the user's
 * RUN line made. `check` on the merged project reports the edit and passes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, build, cleanup, containerLogs, containerUid, ensureImages, freePort, requireDocker, runCli, runDetached, runOnce, waitForHttp } from '../helpers/docker.js';

const hasDocker = requireDocker();
const USER_RUN = 'RUN mkdir -p /app/data && chown 65532:65532 /app/data';
const EDITED_COMMENT = '# base: the Go toolchain, edited by our team.';
let workRoot = '';

describe.skipIf(!hasDocker)('an edited Go project after a merge: real builds', () => {
  let dir = '';
  beforeAll(() => {
    ensureImages(['golang:1.27-trixie', 'debian:trixie-slim', 'gcr.io/distroless/static-debian13:nonroot']);
    workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-upgrade-e2e-'));
    runCli(['cms-upgrade-go', '--stack', 'go', '--runtime', 'slim', '--yes', '--skip-install'], workRoot);
    dir = path.join(workRoot, 'cms-upgrade-go');
    const file = path.join(dir, 'Dockerfile');
    const edited = fs
      .readFileSync(file, 'utf8')
      .replace(/^(FROM \$\{RUNTIME_IMAGE\} AS production\nLABEL .*\n)/m, `$1${USER_RUN}\n`)
      .replace(/^# base: .*$/m, EDITED_COMMENT);
    fs.writeFileSync(file, edited);
    runCli(['.', '--port', '4000', '--yes'], dir);
  });

  afterAll(() => {
    cleanup();
    if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
  });

  it('the merged Dockerfile keeps both edits and has the new port', () => {
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(text).toContain(USER_RUN);
    expect(text).toContain(EDITED_COMMENT);
    expect(text).toMatch(/^EXPOSE 4000$/m);
    expect(text).not.toContain('8080');
  });

  it('every target builds; production runs as 65532, answers on 4000 and holds what the user RUN made', async () => {
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    const targets = [...text.matchAll(/^FROM (?:--\S+ )*\S+ AS (\S+)$/gm)].map((m) => m[1]!);
    expect(targets).toEqual(['base', 'dependencies', 'development', 'builder', 'binaries', 'test', 'production']);
    const images: Record<string, string> = {};
    for (const target of targets) images[target] = build(dir, target).image;

    const production = images['production']!;
    const data = runOnce(production, ['-c', '%u:%g', '/app/data'], ['--entrypoint', 'stat']);
    expect(data.output.trim()).toBe('65532:65532');
    const hostPort = await freePort();
    const container = runDetached(production, { containerPort: 4000, hostPort });
    const response = await waitForHttp(`http://127.0.0.1:${hostPort}/healthz`, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${containerLogs(container)}`);
    });
    expect(response.status).toBe(200);
    expect(containerUid(container)).toBe('65532');
  });

  it('check reports the Dockerfile as edited and every rule as holding (exit 0)', () => {
    const result = spawnSync(process.execPath, [CLI, 'check', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { path: string; state: string }[]; ok: boolean };
    expect(report.ok).toBe(true);
    expect(report.files.find((f) => f.path === 'Dockerfile')?.state).toBe('edited');
  });
});
