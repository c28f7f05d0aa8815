/** Rules on what ships: the production stages' user, contents (CIS 4.3) and health check (CIS 4.6). */
import type { Instruction } from 'dockerfile-ast';
import { ancestry, copyParts, flagValue, isWholeContext, lineOf, parseImageRef, substitute, type Model, type Report, type Stage } from './model.js';
import { aptSubcommand, packagesOf, type RunInfo } from './shell.js';

/** Stages whose content (source tree, dev dependencies, toolchains) must never be a production base. */
const NON_RUNTIME_STAGE = /^(builder|dependencies|development|test|build-.+)$/;

/** Commands that are compilers / build tools: they do not belong in a shipped image (CIS 4.3). */
const COMPILERS = new Set(['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'cmake', 'make', 'ninja', 'cargo', 'rustc', 'javac', 'mvn', 'gradle', 'tsc']);

/** apt/apk packages that are toolchains or headers (CIS 4.3). */
const TOOLCHAIN_PACKAGE =
  /^(build-essential|build-base|gcc(-\d+)?|g\+\+(-\d+)?|clang(-\d+)?|llvm(-\d+)?|cmake|make|ninja-build|ninja|autoconf|automake|libtool|pkg-config|pkgconf|git|golang(-[\d.]+)?(-go)?|rustc|cargo|.+-dev)$/;

/** SDK images: a production image based on one ships the whole toolchain (CIS 4.3). */
const TOOLCHAIN_IMAGE = /^(golang|gcc|rust|maven|gradle|buildpack-deps)$/;
export function checkUser(model: Model, report: Report): void {
  for (const p of model.production) {
    let user: Instruction | null = null;
    let owner: Stage | null = null;
    for (const s of ancestry(p)) {
      const users = s.instructions.filter((i) => i.getKeyword() === 'USER');
      if (users.length) {
        user = users[users.length - 1]!;
        owner = s;
        break;
      }
    }
    const label = p.name ?? `#${p.index}`;
    if (!user || !owner) {
      report('DL3002', `production stage ${label} sets no USER and would run as root (CIS 4.1); add USER <uid>:<gid>`, lineOf(p.from));
      continue;
    }
    const value = (user.getArgumentsContent() ?? '').trim();
    const resolved = substitute(value, model.globalArgs);
    const name = resolved.split(':')[0]!.trim();
    if (name === 'root' || /^0+$/.test(name)) {
      const where = owner === p ? '' : ` (inherited from stage ${owner.name ?? owner.index})`;
      report('DL3002', `production stage ${label} runs as root: USER ${value}${where} (CIS 4.1)`, lineOf(user));
    }
  }
}

/** Whether a dependency install keeps dev dependencies (no --omit=dev / --production / --prod). */
function installsDevDependencies(c: { name: string; args: string[] }): boolean {
  const sub = c.args.find((a) => !a.startsWith('-'));
  const has = (re: RegExp) => c.args.some((a) => re.test(a));
  if (c.name === 'npm' && ['ci', 'install', 'i', 'add'].includes(sub ?? '')) {
    return !(has(/^--omit=dev$/) || has(/^--production$/) || has(/^--only=prod(uction)?$/) || (c.args.includes('--omit') && c.args.includes('dev')));
  }
  if (c.name === 'yarn' && (sub === undefined || sub === 'install')) return !has(/^--production/);
  if (c.name === 'pnpm' && (sub === 'install' || sub === 'i')) return !(has(/^--prod(uction)?$/) || c.args.includes('-P'));
  return false;
}

/** Whether a command compiles or builds (CIS 4.3: only build outputs reach production). */
function buildsSomething(c: { name: string; args: string[] }): boolean {
  if (COMPILERS.has(c.name)) return true;
  const sub = c.args.find((a) => !a.startsWith('-'));
  if (c.name === 'go' && ['build', 'install', 'mod', 'get', 'generate', 'test'].includes(sub ?? '')) return true;
  if ((c.name === 'npm' || c.name === 'pnpm' || c.name === 'yarn') && (sub === 'build' || ((sub === 'run' || sub === 'run-script') && c.args.includes('build')))) return true;
  return false;
}

export function checkProductionContents(model: Model, runs: RunInfo[], report: Report): void {
  for (const p of model.production) {
    const label = p.name ?? `#${p.index}`;
    const chain = ancestry(p);
    // Report the nearest offending ancestor only: one cause, one message.
    const bad = chain.slice(1).find((a) => a.key && NON_RUNTIME_STAGE.test(a.key) && !model.production.includes(a));
    if (bad) report('CIS-4.3', `production stage ${label} is built FROM stage "${bad.name}", which carries source, dev dependencies or toolchains`, lineOf(p.from));
    const root = chain[chain.length - 1]!;
    const repo = root.image === null ? '' : (parseImageRef(root.image).name.split('/').pop() ?? '');
    if (TOOLCHAIN_IMAGE.test(repo)) {
      report('CIS-4.3', `production stage ${label} is based on the toolchain image "${root.image}"; ship a runtime image (distroless, debian-slim, scratch)`, lineOf(p.from));
    }
    for (const s of chain) {
      const via = s === p ? '' : ` (in stage ${s.name ?? s.index}, which ${label} is built from)`;
      for (const ins of s.instructions) {
        const kw = ins.getKeyword();
        if ((kw === 'COPY' || kw === 'ADD') && flagValue(ins, 'from') === undefined) {
          if (copyParts(ins).sources.some(isWholeContext)) {
            report('CIS-4.3', `production image copies the whole build context${via}: copy build outputs only`, lineOf(ins));
          }
        }
      }
      for (const run of runs.filter((r) => r.stage === s)) {
        for (const c of run.commands) {
          if (buildsSomething(c)) {
            report('CIS-4.3', `production image runs a compiler/build step \`${[c.name, ...c.args].join(' ')}\`${via}`, lineOf(run.ins));
          } else if (installsDevDependencies(c)) {
            // `npm install -g pnpm` puts a package manager, not dev dependencies, into the image: also CIS 4.3, but say so.
            const what = c.args.includes('-g') || c.args.includes('--global') ? 'a global package/package manager' : 'dev dependencies';
            report('CIS-4.3', `production image installs ${what} \`${[c.name, ...c.args].join(' ')}\`${via}`, lineOf(run.ins));
          } else if (c.name === 'apt-get' || c.name === 'apk') {
            const sub = aptSubcommand(c.args);
            if (sub === 'install' || sub === 'add') {
              const tools = packagesOf(c.args, sub).filter((pkg) => TOOLCHAIN_PACKAGE.test(pkg));
              if (tools.length) report('CIS-4.3', `production image installs build tools ${tools.join(', ')}${via}`, lineOf(run.ins));
            }
          }
        }
      }
    }
  }
}

export function checkHealthcheck(model: Model, report: Report): void {
  for (const p of model.production) {
    const chain = ancestry(p);
    const root = chain[chain.length - 1]!;
    const baseImage = (root.image ?? '').toLowerCase();
    // Documented exceptions: distroless and scratch have no shell or tool to run a probe.
    if (baseImage === 'scratch' || baseImage.includes('distroless')) continue;
    let found: Instruction | null = null;
    for (const s of chain) {
      const hc = s.instructions.filter((i) => i.getKeyword() === 'HEALTHCHECK');
      if (hc.length) {
        found = hc[hc.length - 1]!;
        break;
      }
    }
    const label = p.name ?? `#${p.index}`;
    if (!found) report('CIS-4.6', `production stage ${label} has no HEALTHCHECK (only distroless/scratch bases are exempt)`, lineOf(p.from));
    else if (/^NONE\b/i.test((found.getArgumentsContent() ?? '').trim()) && !declaredCommand(model, chain, found)) {
      report(
        'CIS-4.6',
        `production stage ${label} disables HEALTHCHECK (a command that runs to completion may, under a "# CIS-4.6 exception: <reason>" comment, if it EXPOSEs no port)`,
        lineOf(found),
      );
    }
  }
}

/**
 * A production target that is a command running to completion (a CLI tool)
 * has no process to probe. It may say so explicitly: `HEALTHCHECK NONE`
 * directly under a comment `# CIS-4.6 exception: <reason>`. A stage that
 * EXPOSEs a port is a service and never qualifies.
 */
const HEALTHCHECK_EXCEPTION = /^#\s*CIS-4\.6 exception:\s*\S/;

function declaredCommand(model: Model, chain: Stage[], none: Instruction): boolean {
  if (chain.some((s) => s.instructions.some((i) => i.getKeyword() === 'EXPOSE'))) return false;
  const previousLine = model.text.split(/\r?\n/)[lineOf(none) - 2] ?? '';
  return HEALTHCHECK_EXCEPTION.test(previousLine.trim());
}
