/** Rules on the build context and caching: .dockerignore, cache mounts, layer order of installs. */
import type { Instruction } from 'dockerfile-ast';
import { cleanPath, ignoredBy, parseDockerignore } from '../../dockerignore.js';
import { ancestry, copyParts, flagValue, isWholeContext, lineOf, type CheckOptions, type Model, type Report } from './model.js';
import type { RunInfo } from './shell.js';

export function checkCopyIgnoredFile(model: Model, runs: RunInfo[], options: CheckOptions, report: Report): void {
  if (options.dockerignore === undefined) return;
  const patterns = parseDockerignore(options.dockerignore);
  const checkSource = (src: string, line: number, what: string) => {
    if (isWholeContext(src) || src.includes('$')) return;
    const path = cleanPath(src);
    const glob = path.split('/').findIndex((seg) => /[*?[]/.test(seg));
    if (glob >= 0) {
      // A glob's matches are unknown here: check the directory it lives in, and
      // the pattern text itself (so `.env*` against an ignored `.env*` is caught).
      const dir = path.split('/').slice(0, glob).join('/');
      const by = (dir && ignoredBy(patterns, dir)) || ignoredBy(patterns, path);
      if (by) report('CopyIgnoredFile', `${what} "${src}" is excluded by .dockerignore pattern "${by}"`, line);
      return;
    }
    const by = ignoredBy(patterns, path);
    if (by) report('CopyIgnoredFile', `${what} "${src}" is excluded by .dockerignore pattern "${by}"`, line);
  };
  for (const s of model.stages) {
    for (const ins of s.instructions) {
      const kw = ins.getKeyword();
      if ((kw !== 'COPY' && kw !== 'ADD') || flagValue(ins, 'from') !== undefined) continue;
      for (const src of copyParts(ins).sources) {
        if (/^[a-z]+:\/\//i.test(src)) continue; // ADD <url>
        checkSource(src, lineOf(ins), kw);
      }
    }
  }
  // Bind mounts without from= read the build context, which .dockerignore filters too.
  for (const run of runs) {
    for (const m of run.mounts) {
      if (m.get('type') !== 'bind' || m.has('from')) continue;
      const src = m.get('source') ?? m.get('src') ?? '';
      checkSource(src, lineOf(run.ins), 'RUN --mount=type=bind source');
    }
  }
}

/**
 * The contract: the .dockerignore keeps out VCS data, local dependencies,
 * build outputs and secrets. Checked with sample paths; "local dependencies"
 * only for Node (node_modules) because Go vendor/ must reach the build and
 * C++ build directory names vary.
 */
export function checkDockerignoreCoverage(runs: RunInfo[], options: CheckOptions, report: Report): void {
  if (options.dockerignore === undefined) return;
  const patterns = parseDockerignore(options.dockerignore);
  const samples = ['.git', '.git/config', '.env.local', 'private.pem', 'server.key'];
  const usesNode = runs.some((r) => r.commands.some((c) => ['npm', 'pnpm', 'yarn', 'npx', 'bun'].includes(c.name)));
  // Next.js rules: .env and .env.production are committed build input (NEXT_PUBLIC_*
  // defaults); only .env*.local files are secret. Elsewhere every .env file is.
  if (usesNode) samples.push('node_modules', 'node_modules/left-pad/index.js', '.env.production.local', '.npmrc');
  else samples.push('.env', '.env.production');
  for (const p of samples) {
    if (!ignoredBy(patterns, p)) report('DockerignoreCoverage', `.dockerignore does not exclude "${p}"`);
  }
}

/** Cache mounts must carry an id so projects and stages do not share (and corrupt) one cache. */
export function checkCacheMounts(runs: RunInfo[], report: Report): void {
  for (const run of runs) {
    for (const m of run.mounts) {
      if (m.get('type') === 'cache' && !m.get('id')) {
        report('CacheMountId', `cache mount on ${m.get('target') ?? m.get('dst') ?? '?'} has no id=`, lineOf(run.ins));
      }
    }
  }
}

/** A dependency install without a cache mount downloads everything again whenever its layer is rebuilt. */
export function checkInstallCacheMounts(runs: RunInfo[], report: Report): void {
  const installer = (c: { name: string; args: string[] }): string | undefined => {
    const sub = c.args.find((a) => !a.startsWith('-'));
    if (c.name === 'npm' && ['ci', 'install', 'i'].includes(sub ?? '')) return `npm ${sub}`;
    if (c.name === 'pnpm' && ['install', 'i', 'fetch'].includes(sub ?? '')) return `pnpm ${sub}`;
    if (c.name === 'yarn' && (sub === undefined || sub === 'install')) return 'yarn install';
    if (c.name === 'bun' && (sub === 'install' || sub === 'i')) return 'bun install';
    if (c.name === 'go' && sub === 'mod' && c.args.includes('download')) return 'go mod download';
    if ((c.name === 'pip' || c.name === 'pip3') && sub === 'install') return `${c.name} install`;
    return undefined;
  };
  for (const run of runs) {
    const install = run.commands.map(installer).find((found) => found !== undefined);
    if (install && !run.mounts.some((m) => m.get('type') === 'cache')) {
      report('InstallCacheMount', `\`${install}\` runs without a cache mount: every rebuild of this layer downloads everything again`, lineOf(run.ins));
    }
  }
}

/** Manifests before source: a dependency install after the whole context was copied re-runs on every source edit. */
export function checkManifestsFirst(model: Model, runs: RunInfo[], report: Report): void {
  const isInstall = (c: { name: string; args: string[] }) => {
    const sub = c.args.find((a) => !a.startsWith('-'));
    if (c.name === 'npm') return ['ci', 'install', 'i'].includes(sub ?? '');
    if (c.name === 'pnpm') return ['install', 'i', 'fetch'].includes(sub ?? '');
    if (c.name === 'yarn') return sub === undefined || sub === 'install';
    if (c.name === 'go') return sub === 'mod' && c.args.includes('download');
    return false;
  };
  for (const s of model.stages) {
    let copiedAll: Instruction | null = null;
    for (const a of ancestry(s).slice(1)) {
      for (const ins of a.instructions) {
        if (ins.getKeyword() === 'COPY' && flagValue(ins, 'from') === undefined && copyParts(ins).sources.some(isWholeContext)) copiedAll = ins;
      }
    }
    for (const ins of s.instructions) {
      if ((ins.getKeyword() === 'COPY' || ins.getKeyword() === 'ADD') && flagValue(ins, 'from') === undefined && copyParts(ins).sources.some(isWholeContext)) copiedAll = ins;
      if (ins.getKeyword() !== 'RUN' || !copiedAll) continue;
      const run = runs.find((r) => r.ins === ins);
      if (run?.commands.some(isInstall)) {
        report('ManifestsBeforeSource', `dependency install runs after the whole source was copied (line ${lineOf(copiedAll)}): copy or bind-mount the manifests first`, lineOf(ins));
      }
    }
  }
}
