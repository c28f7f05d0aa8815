/**
 * A kit's changes made on a rendered Dockerfile, for what its templates did
 * not do themselves. The built-in templates take their images from the
 * (mirrored) images record and include the kit's partials (src/kit/partials.ts),
 * so they need none of this; a kit's own templates (an overriding Dockerfile,
 * a stage partial, a stack of its own) and an older version's templates may
 * not: their base images are pointed at the mirror here, and the parts they
 * lack are added: extra Debian packages and CA certificates in `base`, the CA
 * bundle in every stage that starts from an external image, labels on the
 * production stages. A stage that already has a part (its partial rendered
 * there) is left as it is.
 *
 * The Dockerfile is read with src/dockerfile-reader.ts (dockerfile-ast),
 * loaded on first use: only a run with a kit pays for the parser. A
 * Dockerfile that changes the escape character is refused rather than
 * patched by guesswork.
 */
import type { Instruction as AstInstruction } from 'dockerfile-ast';
import type { TextSpan } from '../dockerfile-reader.js';
import { attempt, validateImageRef } from '../validate.js';
import { KitApplyError } from './errors.js';
import { mapImage } from './images.js';
import { CA_DIR, type ImageRule } from './manifest.js';

export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const CA_SOURCE_DIR = '/usr/local/share/ca-certificates/multistage/';

type Reader = typeof import('../dockerfile-reader.js');
const loadReader = (): Promise<Reader> => import('../dockerfile-reader.js');

interface Instruction {
  keyword: string;
  /** First and last physical line (0-based, inclusive). */
  start: number;
  end: number;
  ast: AstInstruction;
}

interface Stage {
  /** Lower-cased; '' for an unnamed stage. */
  name: string;
  /** The FROM image as written (a variable, an image or an earlier stage's name). */
  image: string;
  imageSpan: TextSpan | null;
  from: Instruction;
  instructions: Instruction[];
}

interface Scan {
  lines: string[];
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs before the first FROM that give a default: name → default (unquoted). */
  globalArgs: Map<string, string>;
  directives: { name: string; value: string; valueSpan: TextSpan }[];
}

function scan(reader: Reader, text: string): Scan {
  const reading = reader.readDockerfile(text);
  if (reading.escape !== '\\') throw new KitApplyError('The Dockerfile sets `# escape=`` `; kits can only adjust Dockerfiles that use the default \\ escape.');
  const wrap = (ast: AstInstruction): Instruction => ({ keyword: ast.getKeyword(), ...reader.lineSpan(ast), ast });
  const instructions = reading.instructions.map(wrap);
  const byAst = new Map(instructions.map((ins) => [ins.ast, ins]));
  const stages = reading.stages.map((stage) => ({
    name: stage.key ?? '',
    image: stage.image ?? '',
    imageSpan: stage.imageSpan,
    from: byAst.get(stage.from)!,
    instructions: stage.instructions.map((ins) => byAst.get(ins)!),
  }));
  const globalArgs = new Map<string, string>();
  for (const arg of reading.globalArgs) if (arg.value !== null) globalArgs.set(arg.name, arg.value);
  return { lines: text.split('\n'), instructions, stages, globalArgs, directives: reading.directives };
}

interface Edit {
  span: TextSpan;
  text: string;
}

/** Applies one-line edits, last first, so earlier columns on the same line stay valid. */
function applyEdits(lines: string[], edits: Edit[]): void {
  const ordered = [...edits].sort((a, b) => b.span.line - a.span.line || b.span.start - a.span.start);
  for (const { span, text } of ordered) {
    const line = lines[span.line]!;
    lines[span.line] = line.slice(0, span.start) + text + line.slice(span.end);
  }
}

const textAt = (lines: string[], span: TextSpan): string => lines[span.line]!.slice(span.start, span.end);

/** `${NAME}` / `$NAME` resolved through the global ARG defaults; the text unchanged when it is not one. */
function resolveArg(value: string, args: Map<string, string>): string {
  const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value);
  if (!match) return value;
  return args.get(match[1] ?? match[2]!) ?? value;
}

// ---------------------------------------------------------------------------
// Images

export interface ImageReplacement {
  from: string;
  to: string;
}

function isPinnedImage(value: string): boolean {
  return attempt(() => validateImageRef(value)).ok;
}

/**
 * Points base images at the kit's mirror: ARG defaults that are image
 * references, `FROM <image>`, `COPY --from=<image>`, `RUN --mount=...,from=<image>`,
 * and the `# syntax=` frontend image. Stage names are never touched, nor the
 * references in `mirrored` (already the mirror's: a rule must not apply twice).
 */
export async function rewriteImages(text: string, rules: ImageRule[], mirrored: ReadonlySet<string> = new Set()): Promise<{ text: string; replaced: ImageReplacement[] }> {
  if (rules.length === 0) return { text, replaced: [] };
  const reader = await loadReader();
  const { lines, instructions, stages, directives } = scan(reader, text);
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  const isStageOrIndex = (value: string): boolean => stageNames.has(value.toLowerCase()) || /^\d+$/.test(value);
  const replaced: ImageReplacement[] = [];
  const edits: Edit[] = [];
  const swap = (span: TextSpan | null, value: string, write: (to: string) => string = (to) => to): void => {
    if (span === null || mirrored.has(value)) return; // split by a continuation line (not a reference we write), or mirrored already
    const to = mapImage(value, rules);
    if (to === undefined || to === value) return;
    edits.push({ span, text: write(to) });
    replaced.push({ from: value, to });
  };

  for (const directive of directives) if (directive.name === 'syntax') swap(directive.valueSpan, directive.value);

  for (const ins of instructions) {
    if (ins.keyword === 'ARG') {
      for (const property of reader.propertiesOf(ins.ast)) {
        const span = reader.textSpan(property.getValueRange());
        // The value as written, quotes included: the mirror goes inside the same quotes.
        const match = span && /^(["']?)([^"']*)\1$/.exec(textAt(lines, span));
        if (!match || !isPinnedImage(match[2]!)) continue;
        swap(span, match[2]!, (to) => `${match[1]}${to}${match[1]}`);
      }
    } else if (ins.keyword === 'FROM') {
      const stage = stages.find((s) => s.from === ins);
      if (stage && stage.image && !stageNames.has(stage.image.toLowerCase())) swap(stage.imageSpan, stage.image);
    } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      for (const flag of reader.flagsOf(ins.ast)) {
        const value = flag.getValue();
        if (flag.getName() === 'from' && value && !isStageOrIndex(value)) swap(reader.textSpan(flag.getValueRange()), value);
      }
    } else if (ins.keyword === 'RUN') {
      for (const flag of reader.flagsOf(ins.ast)) {
        if (flag.getName() !== 'mount') continue;
        const from = flag.getOption('from');
        const value = from?.getValue();
        if (from && value && !isStageOrIndex(value)) swap(reader.textSpan(from.getValueRange()), value);
      }
    }
  }
  applyEdits(lines, edits);
  return { text: lines.join('\n'), replaced };
}

// ---------------------------------------------------------------------------
// Insertions

/** The line after a stage's FROM and any WORKDIR that directly follows it. */
function afterSetup(stage: Stage): number {
  let line = stage.from.end + 1;
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'WORKDIR') break;
    line = ins.end + 1;
  }
  return line;
}

function insert(text: string, at: number, block: string[]): string {
  const lines = text.split('\n');
  lines.splice(at, 0, ...block);
  return lines.join('\n');
}

function stageNamed(reader: Reader, text: string, name: string): { scan: Scan; stage: Stage | undefined } {
  const result = scan(reader, text);
  return { scan: result, stage: result.stages.find((s) => s.name === name) };
}

export interface KitDockerfileOptions {
  kitName: string;
  packages: string[];
  labels: Record<string, string>;
  /** File names under .multistage/ca/ (empty: no CA certificates). */
  caFiles: string[];
  /** Where the templates rendered a kit part (`kit-base`, `kit-ca-bundle`, `kit-labels`): the stage holding that line has it. */
  placed?: { part: string; line: number }[];
}

export interface KitDockerfileResult {
  text: string;
  /** Stages that received the CA bundle from base. */
  caStages: string[];
  labelledStages: string[];
}

const CA_ENV = [`ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE} \\`, `    SSL_CERT_FILE=${CA_BUNDLE}`];

/** The lines added to `base`: the CA certificates first, so package downloads through a TLS proxy trust it too. */
function baseBlock(options: KitDockerfileOptions, alpine: boolean, baseImage: string): string[] {
  const { kitName, packages, caFiles } = options;
  const block: string[] = [];
  const ca = caFiles.length > 0;
  if (alpine) {
    if (packages.length > 0) {
      throw new KitApplyError(`The ${kitName} kit adds Debian packages (${packages.join(', ')}), but the base image ${baseImage} is Alpine; use a Debian-based variant.`);
    }
    block.push(`# ${kitName} kit: trust the organisation's CA certificates (system store, Node.js, Go, OpenSSL).`);
    block.push(`COPY --chmod=0644 ${CA_DIR}/ ${CA_SOURCE_DIR}`);
    block.push('RUN apk add --no-cache ca-certificates \\', '    && update-ca-certificates');
    block.push(...CA_ENV);
    return block;
  }
  if (ca) {
    block.push(`# ${kitName} kit: trust the organisation's CA certificates (system store, Node.js, Go, OpenSSL).`);
    block.push(`COPY --chmod=0644 ${CA_DIR}/ ${CA_SOURCE_DIR}`);
  }
  if (packages.length > 0) {
    block.push(`# ${kitName} kit: extra Debian packages${ca ? ' (and ca-certificates for the store)' : ''}.`);
    block.push(
      'RUN apt-get update \\',
      `    && apt-get install -y --no-install-recommends ${[...(ca ? ['ca-certificates'] : []), ...packages].join(' ')} \\`,
      `    && rm -rf /var/lib/apt/lists/*${ca ? ' \\' : ''}`,
    );
    if (ca) block.push('    && update-ca-certificates');
  } else if (ca) {
    // Slim images lack ca-certificates (and so update-ca-certificates); toolchain images have it.
    block.push(
      'RUN if ! command -v update-ca-certificates >/dev/null 2>&1; then \\',
      '        apt-get update \\',
      '        && apt-get install -y --no-install-recommends ca-certificates \\',
      '        && rm -rf /var/lib/apt/lists/*; \\',
      '    fi \\',
      '    && update-ca-certificates',
    );
  }
  if (ca) block.push(...CA_ENV);
  return block;
}

/** For each stage (by index), the kit parts the templates rendered in it. */
function partsByStage(stages: Stage[], placed: { part: string; line: number }[]): Map<number, Set<string>> {
  const byStage = new Map<number, Set<string>>();
  for (const { part, line } of placed) {
    // The last stage starting at or before the line holds it (stages are in file order).
    let index = -1;
    stages.forEach((stage, i) => {
      if (stage.from.start <= line) index = i;
    });
    if (index === -1) continue;
    if (!byStage.has(index)) byStage.set(index, new Set());
    byStage.get(index)!.add(part);
  }
  return byStage;
}

export async function applyKitToDockerfile(original: string, options: KitDockerfileOptions): Promise<KitDockerfileResult> {
  const reader = await loadReader();
  let text = original;
  const caStages: string[] = [];
  const labelledStages: string[] = [];
  // Insertions add lines, never stages, so stage indices stay valid across re-scans.
  const has = partsByStage(scan(reader, text).stages, options.placed ?? []);
  const hasPart = (index: number, part: string): boolean => has.get(index)?.has(part) ?? false;

  if (options.packages.length > 0 || options.caFiles.length > 0) {
    const { scan: scanned, stage: base } = stageNamed(reader, text, 'base');
    if (!base) {
      const what = [options.packages.length ? 'Debian packages' : '', options.caFiles.length ? 'CA certificates' : ''].filter(Boolean).join(' and ');
      throw new KitApplyError(`The ${options.kitName} kit adds ${what}, which go into the "base" stage, but this Dockerfile has no stage named base.`);
    }
    if (!hasPart(scanned.stages.indexOf(base), 'kit-base')) {
      const baseImage = resolveArg(base.image, scanned.globalArgs);
      text = insert(text, afterSetup(base), baseBlock(options, /alpine/i.test(baseImage), baseImage));
    }

    if (options.caFiles.length > 0) {
      // Every later stage that starts from an external image gets base's bundle, whatever
      // its runtime (distroless, scratch, slim), but for the export-only `binaries`;
      // stages built FROM a stage inherit it.
      const done = new Set<number>();
      for (;;) {
        const current = scan(reader, text);
        const baseIndex = current.stages.findIndex((s) => s.name === 'base');
        const pending = current.stages.findIndex((s, i) => {
          // `binaries` is only exported (`--output type=local`): a bundle there would land in the user's dist/.
          if (i <= baseIndex || done.has(i) || hasPart(i, 'kit-ca-bundle') || s.name === 'binaries') return false;
          const image = resolveArg(s.image, current.globalArgs).toLowerCase();
          return !current.stages.slice(0, i).some((earlier) => earlier.name !== '' && earlier.name === image);
        });
        if (pending === -1) break;
        done.add(pending);
        const stage = current.stages[pending]!;
        caStages.push(stage.name || `#${pending}`);
        // After anything the stage itself copies into /etc/ssl/certs, so the kit's bundle is the one that stays.
        const touching = stage.instructions.filter((ins) =>
          current.lines
            .slice(ins.start, ins.end + 1)
            .join('\n')
            .includes('/etc/ssl/certs'),
        );
        const at = touching.length > 0 ? touching[touching.length - 1]!.end + 1 : afterSetup(stage);
        text = insert(text, at, [`# ${options.kitName} kit: the CA bundle from base, with the organisation's certificates.`, `COPY --from=base ${CA_BUNDLE} ${CA_BUNDLE}`, ...CA_ENV]);
      }
    }
  }

  const labelEntries = Object.entries(options.labels);
  if (labelEntries.length > 0) {
    const stages = scan(reader, text).stages;
    const names = stages.filter((s, i) => (s.name === 'production' || s.name.startsWith('production-')) && !hasPart(i, 'kit-labels')).map((s) => s.name);
    for (const name of names) {
      const { stage } = stageNamed(reader, text, name);
      const existing = stage!.instructions.filter((ins) => ins.keyword === 'LABEL');
      const at = existing.length > 0 ? existing[existing.length - 1]!.end + 1 : afterSetup(stage!);
      const lines = labelEntries.map(([key, value], i) => `${i === 0 ? 'LABEL ' : '      '}${key}="${value}"${i < labelEntries.length - 1 ? ' \\' : ''}`);
      text = insert(text, at, [`# ${options.kitName} kit: organisation labels.`, ...lines]);
      labelledStages.push(name);
    }
  }

  return { text, caStages, labelledStages };
}

/** Applies the same image replacements to prose (README.Docker.md), whole references only. */
export function replaceImageMentions(text: string, replaced: ImageReplacement[]): string {
  let out = text;
  const unique = [...new Map(replaced.map((r) => [r.from, r])).values()].sort((a, b) => b.from.length - a.from.length);
  for (const { from, to } of unique) {
    const escaped = from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![A-Za-z0-9._/:@-])${escaped}(?![A-Za-z0-9._/:@-])`, 'g'), to);
  }
  return out;
}

/**
 * What `kit check` reports about a Dockerfile: its stage names and the
 * external images it uses (FROM, COPY --from, RUN --mount from=), with
 * global ARG defaults resolved.
 */
export async function describeDockerfile(text: string): Promise<{ stages: string[]; images: string[] }> {
  const reader = await loadReader();
  const { instructions, stages, globalArgs } = scan(reader, text);
  const names = new Set(stages.map((s) => s.name).filter(Boolean));
  const images = new Set<string>();
  const add = (raw: string): void => {
    const value = resolveArg(raw, globalArgs);
    if (names.has(value.toLowerCase()) || /^\d+$/.test(value) || value.toLowerCase() === 'scratch') return;
    images.add(value);
  };
  for (const stage of stages) add(stage.image);
  for (const ins of instructions) {
    if (ins.keyword !== 'COPY' && ins.keyword !== 'RUN') continue;
    for (const flag of reader.flagsOf(ins.ast)) {
      const from = ins.keyword === 'COPY' ? (flag.getName() === 'from' ? flag.getValue() : null) : flag.getName() === 'mount' ? flag.getOption('from')?.getValue() : null;
      if (from) add(from);
    }
  }
  return { stages: stages.map((s) => s.name), images: [...images] };
}
