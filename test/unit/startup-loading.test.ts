// What a command loads (issue 12): `--version` nothing of dist/ (the launcher answers it), a plain
// run no kit code, no prompt library, no Handlebars compiler and no Dockerfile
// parser. The built CLI runs with a preload that logs every module file it
// loads; the build's module map (written by scripts/build.mjs) says which
// sources each dist/ file holds. No timing: what loads, not how fast.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv, requireBuiltCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/tree.js';

const HOOK = path.join(REPO_ROOT, 'test', 'fixtures', 'load-log', 'hook.mjs');
const META = path.join(REPO_ROOT, 'node_modules', '.cache', 'create-multistage-build', 'meta.json');
const KIT = path.join(REPO_ROOT, 'test', 'fixtures', 'kits', 'acme');

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** The dist/ files a run loaded (relative to dist/) and the sources they hold. */
function loaded(args: string[]): { files: string[]; sources: string[]; code: number | null } {
  requireBuiltCli();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-loading-'));
  const log = path.join(dir, 'load.log');
  try {
    const result = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], { cwd: dir, env: childEnv({ LOAD_LOG: log }), encoding: 'utf8', timeout: 60_000 });
    const dist = path.join(REPO_ROOT, 'dist') + path.sep;
    const files = [
      ...new Set(
        fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => (line.startsWith('cjs:') ? line.slice(4) : fileURLToPath(line))),
      ),
    ]
      .filter((file) => file.startsWith(dist))
      .map((file) => file.slice(dist.length))
      .sort();
    const meta = JSON.parse(fs.readFileSync(META, 'utf8')) as Meta;
    const sources = files.flatMap((file) => Object.keys(meta.outputs[`dist/${file}`]?.inputs ?? {}));
    return { files, sources, code: result.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('what each command loads', () => {
  it('--version is answered by the launcher: nothing of dist/ loads', () => {
    const run = loaded(['--version']);
    expect(run.code).toBe(0);
    expect(run.files).toEqual([]);
    const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-v']) {
      expect(spawnSync(process.execPath, [BIN, flag], { env: childEnv(), encoding: 'utf8' }).stdout).toBe(`${version}\n`);
    }
  });

  it('a plain --yes generation loads no kit code, prompt library, template compiler or Dockerfile parser', () => {
    const run = loaded(['app', '--stack', 'nextjs', '--yes', '--skip-install']);
    expect(run.code).toBe(0);
    expect(run.sources).toContain('src/stacks/nextjs.ts');
    expect(run.files).not.toContain('handlebars-compiler.cjs');
    const unwanted = run.sources.filter((s) => /^src\/kit\/(?!errors\.ts$|pin\.ts$)|^src\/check\/|node_modules\/(prompts|dockerfile-ast|dockerfile-utils)\/|handlebars\/compiler\//.test(s));
    expect(unwanted).toEqual([]);
  });

  it('a run with --kit loads the kit code and the compiler (the log sees them)', () => {
    const run = loaded(['app', '--stack', 'nextjs', '--kit', KIT, '--yes', '--skip-install']);
    expect(run.code).toBe(0);
    expect(run.sources).toContain('src/kit/load.ts');
    expect(run.files).toContain('handlebars-compiler.cjs');
  });
});
