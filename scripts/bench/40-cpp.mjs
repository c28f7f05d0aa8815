// The C++ stack on a real engine, for a new project (a server and a CLI tool
// sharing one library): production vs development image size per executable
// (and the static scratch variant), a cold build (--no-cache), a second
// executable from the already-built shared builder, and the rebuild after a
// source edit. Layer caches are bypassed with --no-cache only; the shared
// build cache is never pruned.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const NAME = 'cms-bench-cpp';

function generate(cwd, dir, flags) {
  const result = spawnSync(process.execPath, [CLI, dir, '--stack', 'cpp', '--yes', '--name', NAME, ...flags], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage failed:\n${result.stdout}${result.stderr}`);
  return path.join(cwd, dir);
}

const secondsText = (s) => `${s.toFixed(1)} s`;

export default async function cppSection() {
  const sizesTitle = 'C++: image size per executable (new project)';
  const timesTitle = 'C++: build times (new project, 2 executables)';
  if (!dockerAvailable()) {
    const note = 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).';
    return [
      { title: sizesTitle, columns: ['executable', 'production', 'development'], rows: [], note },
      { title: timesTitle, columns: ['build', 'time'], rows: [], note },
    ];
  }
  const ensure = spawnSync('bash', [path.join(ROOT, 'test/e2e/standins.sh'), 'debian:trixie-slim'], { stdio: 'inherit' });
  if (ensure.status !== 0) throw new Error('could not provide the debian:trixie-slim base image');

  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-cpp-'));
  const tag = (target) => `${NAME}-bench:${target}`;
  const tags = [];
  try {
    const dir = generate(work, 'app', []);
    const staticDir = generate(work, 'app-static', ['--static']);

    // Cold: every layer rebuilt (the apt cache mount may still hold downloaded packages).
    const cold = timedBuild(dir, 'production', tag('production'), ['--no-cache']).seconds;
    tags.push(tag('production'));
    // The second executable re-uses base, dependencies and the configured builder.
    const second = timedBuild(dir, 'production-cli', tag('production-cli')).seconds;
    tags.push(tag('production-cli'));
    const development = timedBuild(dir, 'development', tag('development')).seconds;
    tags.push(tag('development'));
    const staticCold = timedBuild(staticDir, 'production', tag('production-static'), ['--no-cache']).seconds;
    tags.push(tag('production-static'));

    // A source-only edit: the apt layers stay cached; configure and compile run again.
    const file = path.join(dir, 'src', 'common', 'http.cpp');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Hello from "', `"Hello (bench ${Date.now()}) from "`));
    const rebuild = timedBuild(dir, 'production', tag('production-edited')).seconds;
    tags.push(tag('production-edited'));

    const devSize = imageSize(tag('development'));
    const row = (label, image) => {
      const size = imageSize(image);
      return [label, formatBytes(size), formatBytes(devSize), `${((size / devSize) * 100).toFixed(1)} %`];
    };
    return [
      {
        title: sizesTitle,
        columns: ['executable', 'production', 'development', 'production / development'],
        rows: [row('server (slim)', tag('production')), row('cli (slim)', tag('production-cli')), row('server (--static, scratch)', tag('production-static'))],
        note: 'The development image (debug build, gdb, g++, CMake and the source) is shared by both executables.',
      },
      {
        title: timesTitle,
        columns: ['build', 'time'],
        rows: [
          ['cold: production (--no-cache)', secondsText(cold)],
          ['cold: production, --static on scratch (--no-cache)', secondsText(staticCold)],
          ['production-cli after production (shared builder cached)', secondsText(second)],
          ['development after production', secondsText(development)],
          ['production after a source edit', secondsText(rebuild)],
        ],
      },
    ];
  } finally {
    removeImages(tags);
    rmSync(work, { recursive: true, force: true });
  }
}
