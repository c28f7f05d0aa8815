/** Rules on single instructions: their form, flags, paths, shell settings, apt use, secrets and labels. */
import type { Instruction } from 'dockerfile-ast';
import { cleanPath } from '../../dockerignore.js';
import { ancestry, copyParts, flagsOf, flagValue, isJsonArray, lineOf, propertiesOf, type Model, type Report } from './model.js';
import { aptSubcommand, mountsOf, setsPipefail, type RunInfo } from './shell.js';

/** The rule text of the contract, as given in the brief. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|_KEY$|^KEY$|API_KEY|CREDENTIAL)/i;

/** Keys defined by the OCI image spec (annotations.md); anything else under the prefix is a typo. */
const OCI_KEYS = new Set(['created', 'authors', 'url', 'documentation', 'source', 'version', 'revision', 'vendor', 'licenses', 'ref.name', 'title', 'description', 'base.digest', 'base.name']);
const OCI_PREFIX = 'org.opencontainers.image.';

/** Mount types the contract allows (all exist in the Dockerfile 1.2 frontend). */
const ALLOWED_MOUNT_TYPES = new Set(['cache', 'bind', 'secret', 'ssh', 'tmpfs']);

/**
 * Flags the Dockerfile 1.2 frontend (the test engine's built-in one) knows.
 * Newer ones (`COPY --link/--exclude/--parents`, `ADD --checksum`,
 * `RUN --network/--security`, `HEALTHCHECK --start-interval`) fail or are
 * silently ignored there, so the contract forbids them.
 */
const ALLOWED_FLAGS: Record<string, Set<string>> = {
  FROM: new Set(['platform']),
  RUN: new Set(['mount']),
  COPY: new Set(['from', 'chown', 'chmod']),
  ADD: new Set(['chown', 'chmod']),
  HEALTHCHECK: new Set(['interval', 'timeout', 'start-period', 'retries']),
};

export function checkExecForm(model: Model, report: Report): void {
  for (const ins of model.reading.instructions) {
    const kw = ins.getKeyword();
    const content = (ins.getArgumentsContent() ?? '').trim();
    if (kw === 'CMD' || kw === 'ENTRYPOINT') {
      if (!isJsonArray(content)) report('DL3025', `${kw} must use the JSON (exec) form (JSONArgsRecommended): ${content}`, lineOf(ins));
    } else if (kw === 'HEALTHCHECK') {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(content);
      const sub = m?.[1]?.toUpperCase();
      if (sub === 'NONE') continue;
      if (sub !== 'CMD' || !isJsonArray(m?.[2] ?? '')) report('DL3025', `HEALTHCHECK CMD must use the JSON (exec) form (JSONArgsRecommended): ${content}`, lineOf(ins));
    }
  }
}

function isAbsolutePath(p: string): boolean {
  const v = p.trim().replace(/^["']|["']$/g, '');
  return v.startsWith('/') || v.startsWith('$') || /^[A-Za-z]:[\\/]/.test(v);
}

export function checkWorkdirAndCopyDest(model: Model, runs: RunInfo[], report: Report): void {
  for (const s of model.stages) {
    for (const ins of s.instructions) {
      if (ins.getKeyword() === 'WORKDIR' && !isAbsolutePath(ins.getArgumentsContent() ?? '')) {
        report('DL3000', `WORKDIR must be absolute (WorkdirRelativePath): ${ins.getArgumentsContent() ?? ''}`, lineOf(ins));
      }
    }
  }

  // DL3045: relative COPY destination before any WORKDIR. A stage built FROM
  // an earlier stage inherits that stage's WORKDIR.
  for (const s of model.stages) {
    let hasWorkdir = ancestry(s)
      .slice(1)
      .some((a) => a.instructions.some((i) => i.getKeyword() === 'WORKDIR'));
    for (const ins of s.instructions) {
      const kw = ins.getKeyword();
      if (kw === 'WORKDIR') hasWorkdir = true;
      if ((kw === 'COPY' || kw === 'ADD') && !hasWorkdir) {
        const { dest } = copyParts(ins);
        if (dest !== null && !isAbsolutePath(dest)) report('DL3045', `${kw} to relative destination "${dest}" before any WORKDIR is set`, lineOf(ins));
      }
    }
  }

  // DL3003: `cd` in RUN; use WORKDIR instead.
  for (const run of runs) {
    if (run.commands.some((c) => c.name === 'cd')) report('DL3003', 'use WORKDIR to switch directories, not `cd` in RUN', lineOf(run.ins));
  }
}

export function checkInstructionForms(model: Model, report: Report): void {
  for (const ins of model.reading.instructions) {
    const kw = ins.getKeyword();
    if (kw === 'ADD') report('DL3020', 'use COPY instead of ADD (CIS 4.9)', lineOf(ins));
    if (kw === 'ENV' || kw === 'LABEL') {
      for (const p of propertiesOf(ins)) {
        if (p.getAssignmentOperator() === null) {
          report('LegacyKeyValueFormat', `"${kw} ${p.getName()} ..." uses the legacy format: write ${kw} ${p.getName()}=value`, lineOf(ins));
        }
      }
    }
    if (kw === 'EXPOSE') {
      for (const a of ins.getArguments()) {
        const v = a.getValue();
        // Only a port (or range), optionally /tcp|/udp|/sctp in lowercase; never host:port mappings.
        if (!/^(\d+(-\d+)?|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)(\/(tcp|udp|sctp))?$/.test(v)) {
          report('ExposeInvalidFormat', `EXPOSE takes a port and optional lowercase protocol only, found "${v}"`, lineOf(ins));
        }
      }
    }
  }
}

function shellSetsPipefail(ins: Instruction): boolean {
  const content = ins.getArgumentsContent() ?? '';
  if (!isJsonArray(content)) return false;
  const argv = JSON.parse(content) as string[];
  const i = argv.indexOf('pipefail');
  return i > 0 && /^-[A-Za-z]*o$/.test(argv[i - 1]!);
}

export function checkPipefail(runs: RunInfo[], report: Report): void {
  for (const run of runs) {
    if (run.shell === null || !run.script.operators.includes('|')) continue;
    if (run.commands.some(setsPipefail)) continue;
    // The SHELL in force: the last one in this stage before the RUN, else the
    // last one in the stages it is built FROM (SHELL is part of the image config).
    let shell: Instruction | null = null;
    const runLine = run.ins.getRange().start.line;
    for (const s of ancestry(run.stage)) {
      const cands = s.instructions.filter((i) => i.getKeyword() === 'SHELL' && (s !== run.stage || i.getRange().start.line < runLine));
      if (cands.length) {
        shell = cands[cands.length - 1]!;
        break;
      }
    }
    if (shell && shellSetsPipefail(shell)) continue;
    report('DL4006', 'RUN with a pipe needs `set -o pipefail` or SHELL ["/bin/bash", "-o", "pipefail", "-c"]', lineOf(run.ins));
  }
}

export function checkApt(runs: RunInfo[], report: Report): void {
  for (const run of runs) {
    const line = lineOf(run.ins);
    if (run.commands.some((c) => c.name === 'apt')) report('DL3027', 'use apt-get (or apt-cache), not apt, in scripts', line);

    const apt = run.commands.filter((c) => c.name === 'apt-get').map((c) => ({ ...c, sub: aptSubcommand(c.args) }));
    const hasUpdate = apt.some((c) => c.sub === 'update');
    const installs = apt.filter((c) => c.sub === 'install');

    for (const c of installs) {
      const yes = c.args.some((a) => a === '--yes' || a === '--assume-yes' || a === '-qq' || a === '-q=2' || /^-[a-z]*y[a-z]*$/.test(a));
      if (!yes) report('DL3014', 'apt-get install needs -y', line);
      const noRec = c.args.includes('--no-install-recommends') || c.args.some((a) => /^APT::Install-Recommends=(false|0)$/i.test(a));
      if (!noRec) report('DL3015', 'apt-get install needs --no-install-recommends', line);
    }

    if (hasUpdate) {
      const removesLists = run.commands.some((c) => c.name === 'rm' && c.args.some((a) => a.startsWith('/var/lib/apt/lists')));
      const cachesLists = run.mounts.some((m) => {
        const target = cleanPath(m.get('target') ?? m.get('dst') ?? m.get('destination') ?? '');
        return m.get('type') === 'cache' && (target === 'var/lib/apt' || target === 'var/lib/apt/lists');
      });
      if (!removesLists && !cachesLists) {
        report('DL3009', 'apt-get update leaves /var/lib/apt/lists in the layer: rm -rf /var/lib/apt/lists/* or use a cache mount on /var/lib/apt', line);
      }
    }

    // CIS 4.7: update and install belong to the same RUN, or the install uses stale lists.
    if (hasUpdate && installs.length === 0 && !apt.some((c) => c.sub === 'upgrade' || c.sub === 'dist-upgrade')) {
      report('CIS-4.7', 'apt-get update alone in a RUN: do it in the same RUN as apt-get install', line);
    }
    if (installs.length > 0 && !hasUpdate) {
      report('CIS-4.7', 'apt-get install without apt-get update in the same RUN', line);
    }
  }
}

export function checkSecrets(model: Model, report: Report): void {
  for (const ins of model.reading.instructions) {
    const kw = ins.getKeyword();
    if (kw !== 'ARG' && kw !== 'ENV') continue;
    for (const p of propertiesOf(ins)) {
      if (SECRET_NAME.test(p.getName())) {
        report('SecretsUsedInArgOrEnv', `${kw} ${p.getName()} looks like a secret; pass it with RUN --mount=type=secret (CIS 4.10)`, lineOf(ins));
      }
    }
  }
}

export function checkOciLabels(model: Model, report: Report): void {
  for (const ins of model.reading.instructions) {
    if (ins.getKeyword() !== 'LABEL') continue;
    for (const p of propertiesOf(ins)) {
      const name = p.getName();
      if (name.startsWith(OCI_PREFIX) && !OCI_KEYS.has(name.slice(OCI_PREFIX.length))) {
        report('OCILabels', `unknown OCI label "${name}"`, lineOf(ins));
      }
    }
  }
  for (const p of model.production) {
    let title: string | null | undefined;
    for (const s of ancestry(p).reverse()) {
      for (const ins of s.instructions) {
        if (ins.getKeyword() !== 'LABEL') continue;
        for (const prop of propertiesOf(ins)) if (prop.getName() === `${OCI_PREFIX}title`) title = prop.getValue();
      }
    }
    if (!title) report('OCILabels', `production stage ${p.name ?? p.index} needs a non-empty LABEL ${OCI_PREFIX}title`, lineOf(p.from));
  }
}
export function checkForbiddenSyntax(model: Model, report: Report): void {
  for (const ins of model.reading.instructions) {
    const kw = ins.getKeyword();
    const line = lineOf(ins);
    const allowed = ALLOWED_FLAGS[kw];
    const flags = flagsOf(ins);
    if (allowed) {
      for (const f of flags) {
        if (!allowed.has(f.getName().toLowerCase())) report('ForbiddenSyntax', `${kw} --${f.getName()} is newer than the Dockerfile 1.2 frontend the test engine runs`, line);
      }
    }
    if (kw === 'RUN') {
      for (const m of mountsOf(flags)) {
        const type = m.get('type') ?? '';
        if (!ALLOWED_MOUNT_TYPES.has(type)) report('ForbiddenSyntax', `RUN --mount=type=${type} is not one of ${[...ALLOWED_MOUNT_TYPES].join(', ')}`, line);
      }
    }
    if (kw === 'COPY' || kw === 'ADD') {
      const chmod = flagValue(ins, 'chmod');
      if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod ?? '')) report('ForbiddenSyntax', `--chmod=${chmod ?? ''} must be an octal mode such as 0755`, line);
    }
    if (kw === 'RUN' || kw === 'COPY' || kw === 'ADD') {
      // `<<<` is a bash here-string, not a Dockerfile heredoc.
      if (/(?<!<)<<(?!<)-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1/.test(ins.getRawArgumentsContent() ?? '')) {
        report('ForbiddenSyntax', `heredoc in ${kw} needs a newer frontend than the test engine's`, line);
      }
    }
    // The frontend expands variables in every instruction except the command
    // text of RUN/CMD/ENTRYPOINT/HEALTHCHECK/SHELL, which the shell expands
    // (where ${v#pat} is ordinary shell). Flags (RUN --mount=...) are expanded
    // by the frontend too.
    const shellText = ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL'].includes(kw);
    const expanded = [...flags.map((f) => f.getValue() ?? ''), shellText ? '' : (ins.getRawArgumentsContent() ?? '')].join(' ');
    const sub = /\$\{[A-Za-z_][A-Za-z0-9_]*(#|%|\/|\^|,)/.exec(expanded);
    if (sub) report('ForbiddenSyntax', `"${sub[0]}…" pattern substitution is not supported by older frontends; use :- or :+ only`, line);
  }
}
