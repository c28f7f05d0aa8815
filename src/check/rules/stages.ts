/** Rules on stages and base images: names, order, FROM and --from references, the frontend's own diagnostics. */
import { validate } from 'dockerfile-utils';
import { flagsOf, flagValue, lineOf, parseImageRef, substitute, type CheckOptions, type Model, type Report, type Stage } from './model.js';
import type { RunInfo } from './shell.js';

/** The core stage order of the contract; also checked (for the stages present) when no expectedStages is given. */
const CORE_STAGE_ORDER = ['base', 'dependencies', 'development', 'builder', 'production'];

/** Build args BuildKit defines by itself; they need no ARG before the first FROM. */
const AUTOMATIC_ARGS = new Set(['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE', 'BUILDKIT_SYNTAX']);

export function checkDockerfileUtils(model: Model, report: Report): void {
  // dockerfile-utils 0.16.3 reports nothing on the contract's good files
  // (RUN --mount, COPY --chmod, COPY --from=<image>, --platform=$BUILDPLATFORM
  // and ARG-based FROMs are all accepted), so no code is filtered out. Only
  // errors (1) and warnings (2) count; information and hints do not.
  for (const d of validate(model.text)) {
    if (d.severity !== 1 && d.severity !== 2) continue;
    report('dockerfile-utils', `${d.message} (dockerfile-utils code ${String(d.code)})`, d.range.start.line + 1);
  }
}

export function checkSyntaxDirective(model: Model, report: Report): void {
  const first = model.text.split(/\r?\n/, 1)[0] ?? '';
  if (!/^#\s*syntax\s*=\s*docker\/dockerfile:1\s*$/.test(first)) {
    report('SyntaxDirective', `first line must be "# syntax=docker/dockerfile:1", found ${JSON.stringify(first)}`, 1);
  }
}

export function checkStageNames(model: Model, report: Report): void {
  const seen = new Map<string, Stage>();
  for (const s of model.stages) {
    if (s.name === null || s.key === null) continue;
    const line = lineOf(s.from);
    if (s.name !== s.key) report('StageNameCasing', `stage name "${s.name}" must be lowercase`, line);
    if (s.key === 'scratch' || s.key === 'context') report('ReservedStageName', `stage name "${s.name}" is reserved`, line);
    const prev = seen.get(s.key);
    if (prev) report('DuplicateStageName', `stage name "${s.name}" is already used on line ${lineOf(prev.from)} (DL3024)`, line);
    else seen.set(s.key, s);
  }
}

export function checkFromAsCasing(model: Model, report: Report): void {
  for (const s of model.stages) {
    const kw = s.from.getInstruction();
    const as = s.from.getArguments()[1]?.getValue();
    if (!as || as.toLowerCase() !== 'as') continue;
    const upper = kw === kw.toUpperCase();
    const lower = kw === kw.toLowerCase();
    if ((upper && as !== 'AS') || (lower && as !== 'as')) {
      report('FromAsCasing', `'${as}' and '${kw}' keywords' casing do not match`, lineOf(s.from));
    }
  }
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/**
 * DL3022/DL3023: a `--from` (COPY, or RUN --mount) must be an earlier stage by
 * name or index, or an external image pinned with a tag or digest. A bare
 * word that matches no stage is almost always a misspelt stage name.
 */
export function checkFromReference(model: Model, stage: Stage, raw: string, line: number, what: string, report: Report): void {
  const value = substitute(raw, model.globalArgs);
  if (/^\d+$/.test(value)) {
    const idx = Number(value);
    if (idx === stage.index) report('DL3023', `${what} refers to its own stage (${value})`, line);
    else if (idx > stage.index) report('DL3022', `${what} refers to stage ${value}, which is not an earlier stage`, line);
    return;
  }
  const key = value.toLowerCase();
  const target = model.stages.find((s) => s.key === key);
  if (target) {
    if (target === stage) report('DL3023', `${what} refers to its own stage "${value}"`, line);
    else if (target.index > stage.index) report('DL3022', `${what} refers to stage "${value}", defined later (line ${lineOf(target.from)})`, line);
    return;
  }
  if (value.includes('$')) {
    report('DL3022', `${what} uses a variable that cannot be resolved: "${raw}"`, line);
    return;
  }
  const ref = parseImageRef(value);
  if (!ref.tag && !ref.digest) {
    const earlier = model.stages.filter((s) => s.key && s.index < stage.index).map((s) => s.key!);
    const close = earlier.filter((n) => levenshtein(n, key) <= 2);
    const hint = close.length ? ` (did you mean stage "${close[0]}"?)` : '';
    report('DL3022', `${what} names no earlier stage and is not an image with a tag or digest: "${value}"${hint}`, line);
  } else if (ref.tag === 'latest' && !ref.digest) {
    report('DL3022', `${what} uses image "${value}" with the "latest" tag: pin a version (DL3007)`, line);
  }
}

export function checkCopyFrom(model: Model, runs: RunInfo[], report: Report): void {
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (ins.getKeyword() !== 'COPY') continue;
      const from = flagValue(ins, 'from');
      if (from === undefined) continue;
      if (!from) report('DL3022', 'COPY --from has no value', lineOf(ins));
      else checkFromReference(model, stage, from, lineOf(ins), `COPY --from=${from}`, report);
    }
  }
  for (const run of runs) {
    for (const m of run.mounts) {
      const from = m.get('from');
      if (from === undefined) continue;
      if (!from) report('DL3022', 'RUN --mount from= has no value', lineOf(run.ins));
      else checkFromReference(model, run.stage, from, lineOf(run.ins), `RUN --mount=...,from=${from}`, report);
    }
  }
}

export function checkInstructionCounts(model: Model, report: Report): void {
  for (const s of model.stages) {
    for (const kw of ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'] as const) {
      const list = s.instructions.filter((i) => i.getKeyword() === kw);
      if (list.length < 2) continue;
      const line = lineOf(list[1]!);
      const label = s.name ?? `#${s.index}`;
      report('MultipleInstructionsDisallowed', `stage ${label} has ${list.length} ${kw} instructions; only the last takes effect`, line);
      if (kw === 'CMD') report('DL4003', `stage ${label} has multiple CMD instructions`, line);
      if (kw === 'ENTRYPOINT') report('DL4004', `stage ${label} has multiple ENTRYPOINT instructions`, line);
    }
  }
  for (const ins of model.reading.instructions) {
    if (ins.getKeyword() === 'MAINTAINER') report('DL4000', 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors', lineOf(ins));
  }
}

export function checkBaseImages(model: Model, report: Report): void {
  for (const s of model.stages) {
    const line = lineOf(s.from);
    const fromText = [s.from.getRawArgumentsContent() ?? '', ...flagsOf(s.from).map((f) => f.getValue() ?? '')].join(' ');

    // UndefinedArgInFrom / InvalidDefaultArgInFrom
    for (const m of fromText.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      const name = m[1] ?? m[4] ?? '';
      const op = m[2];
      const fallback = m[3];
      if (AUTOMATIC_ARGS.has(name)) continue;
      if (!model.globalArgs.has(name)) {
        report('UndefinedArgInFrom', `FROM uses $${name}, which no ARG declares before the first FROM`, line);
      } else if (!model.globalArgs.get(name) && !(op && op.endsWith('-') && fallback)) {
        report('InvalidDefaultArgInFrom', `ARG ${name} is used in FROM but has no non-empty default`, line);
      }
    }

    // FromPlatformFlagConstDisallowed / RedundantTargetPlatform
    const platform = s.from.getPlatformFlag();
    if (platform) {
      const v = platform.getValue() ?? '';
      if (!v.includes('$')) report('FromPlatformFlagConstDisallowed', `FROM --platform=${v} is a constant: use $BUILDPLATFORM or leave it out`, line);
      else if (/^\$\{?TARGETPLATFORM\}?$/.test(v)) report('RedundantTargetPlatform', 'FROM --platform=$TARGETPLATFORM is the default and redundant', line);
    }

    // DL3006 / DL3007 on external images
    if (s.parent || s.image === null) continue; // a stage, or unresolvable (reported above)
    if (s.image === '' || s.image.toLowerCase() === 'scratch') continue; // empty: InvalidDefaultArgInFrom says why
    const ref = parseImageRef(s.image);
    if (!ref.tag && !ref.digest) report('DL3006', `image "${s.image}" has no tag: pin a version`, line);
    else if (ref.tag === 'latest') report('DL3007', `image "${s.image}" uses the "latest" tag: pin a version`, line);
  }
}

export function checkStageOrder(model: Model, options: CheckOptions, report: Report): void {
  const required = options.expectedStages !== undefined;
  const core = (options.expectedStages ?? CORE_STAGE_ORDER).map((s) => s.toLowerCase());
  const pos = core.map((n) => model.stages.findIndex((s) => s.key === n));
  if (required) {
    core.forEach((n, i) => {
      if (pos[i]! < 0) report('StageOrder', `expected stage "${n}" is missing`);
    });
  }
  let lastName: string | null = null;
  let last = -1;
  core.forEach((n, i) => {
    const p = pos[i]!;
    if (p < 0) return;
    if (p < last) report('StageOrder', `stage "${n}" must come after "${lastName}" (order: ${core.join(' → ')})`, lineOf(model.stages[p]!.from));
    else {
      last = p;
      lastName = n;
    }
  });
  const builder = core.indexOf('builder');
  if (required && builder >= 0 && pos[builder]! >= 0) {
    for (const s of model.stages.slice(0, pos[builder])) {
      if (s.key === null || !core.includes(s.key)) {
        report('StageOrder', `extra stage "${s.name ?? s.index}" must come after "builder"`, lineOf(s.from));
      }
    }
  }
  for (const t of options.productionTargets ?? []) {
    if (!model.stages.some((s) => s.key === t.toLowerCase())) report('StageOrder', `production target "${t}" is not a stage`);
  }
}
