/**
 * A kit's changes to a rendered Dockerfile, made on the text after rendering
 * so they work the same for every stack (and for a kit's own templates):
 * base images pointed at a mirror, extra Debian packages and CA certificates
 * in `base`, the CA bundle copied into every stage that starts from an
 * external image, and labels on the production stages.
 *
 * The scanner understands what generated Dockerfiles contain: instructions
 * with `\` continuations, comment lines, parser directives. It refuses a
 * Dockerfile that changes the escape character rather than guess.
 */
import { InvalidValue, validateImageRef } from '../validate.js';
import { KitApplyError } from './errors.js';
import { canonicalRepository, splitImage, CA_DIR, type ImageRule } from './manifest.js';

export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const CA_SOURCE_DIR = '/usr/local/share/ca-certificates/multistage/';

interface Instruction {
  keyword: string;
  /** First and last physical line (0-based, inclusive). */
  start: number;
  end: number;
}

interface Stage {
  name: string;
  /** The FROM image as written (a variable, an image or an earlier stage's name). */
  image: string;
  from: Instruction;
  instructions: Instruction[];
}

interface Scan {
  lines: string[];
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs before the first FROM: name → default. */
  globalArgs: Map<string, string>;
}

const continues = (line: string): boolean => /\\[ \t]*$/.test(line);
const isComment = (line: string): boolean => /^\s*#/.test(line);

function scan(text: string): Scan {
  const lines = text.split('\n');
  for (const line of lines) {
    if (!isComment(line)) break;
    if (/^#\s*escape\s*=\s*`/i.test(line)) throw new KitApplyError('The Dockerfile sets `# escape=`` `; kits can only adjust Dockerfiles that use the default \\ escape.');
  }
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || isComment(line)) continue;
    const keyword = /^\s*([A-Za-z]+)/.exec(line)?.[1]?.toUpperCase() ?? '';
    let end = i;
    while (continues(lines[end]!) && end + 1 < lines.length) {
      end++;
      // Comment and blank lines inside a continuation belong to the instruction without ending it.
      while ((isComment(lines[end]!) || lines[end]!.trim() === '') && end + 1 < lines.length) end++;
    }
    instructions.push({ keyword, start: i, end });
    i = end;
  }
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string>();
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const tokens = tokensOf(lines, ins).filter((t) => !t.text.startsWith('--'));
      const image = tokens[1]?.text ?? '';
      const name = tokens[2]?.text.toLowerCase() === 'as' ? (tokens[3]?.text ?? '') : '';
      stages.push({ name: name.toLowerCase(), image, from: ins, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      for (const token of tokensOf(lines, ins).slice(1)) {
        const eq = token.text.indexOf('=');
        if (eq > 0) globalArgs.set(token.text.slice(0, eq), unquote(token.text.slice(eq + 1)));
      }
    }
  }
  return { lines, instructions, stages, globalArgs };
}

interface Token {
  /** Physical line and column range of the token. */
  line: number;
  column: number;
  text: string;
}

/** Whitespace-separated words of an instruction across its continuation lines (comments skipped). */
function tokensOf(lines: string[], ins: Instruction): Token[] {
  const tokens: Token[] = [];
  for (let n = ins.start; n <= ins.end; n++) {
    const line = lines[n]!;
    if (n > ins.start && isComment(line)) continue;
    const body = line.replace(/\\[ \t]*$/, '');
    for (const match of body.matchAll(/\S+/g)) tokens.push({ line: n, column: match.index, text: match[0] });
  }
  return tokens;
}

function unquote(value: string): string {
  return /^"[^"]*"$/.test(value) || /^'[^']*'$/.test(value) ? value.slice(1, -1) : value;
}

function replaceToken(lines: string[], token: Token, text: string): void {
  const line = lines[token.line]!;
  lines[token.line] = line.slice(0, token.column) + text + line.slice(token.column + token.text.length);
}

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

/** The mirror reference for `ref`, or undefined when no rule matches. Exact rules beat prefixes; the longest prefix wins. */
export function mapImage(ref: string, rules: ImageRule[]): string | undefined {
  if (ref.includes('$') || ref.toLowerCase() === 'scratch') return undefined;
  const { repository, tag, digest } = splitImage(ref);
  const canonical = canonicalRepository(repository);
  const suffix = `${tag ? `:${tag}` : ''}${digest}`;
  const exact = rules.find((rule) => !rule.prefix && rule.match === canonical);
  if (exact) return exact.replacementHasTag ? exact.replacement : `${exact.replacement}${suffix}`;
  const prefix = rules
    .filter((rule) => rule.prefix && canonical.startsWith(rule.match))
    .sort((a, b) => b.match.length - a.match.length)[0];
  if (prefix) return `${prefix.replacement}${canonical.slice(prefix.match.length)}${suffix}`;
  return undefined;
}

function isPinnedImage(value: string): boolean {
  try {
    validateImageRef(value);
    return true;
  } catch (error) {
    if (error instanceof InvalidValue) return false;
    throw error;
  }
}

/**
 * Points base images at the kit's mirror: ARG defaults that are image
 * references, `FROM <image>`, `COPY --from=<image>`, `RUN --mount=...,from=<image>`,
 * and the `# syntax=` frontend image. Stage names are never touched.
 */
export function rewriteImages(text: string, rules: ImageRule[]): { text: string; replaced: ImageReplacement[] } {
  if (rules.length === 0) return { text, replaced: [] };
  const { lines, instructions, stages } = scan(text);
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  const replaced: ImageReplacement[] = [];
  const swap = (token: Token, value: string, write: (to: string) => string): void => {
    const to = mapImage(value, rules);
    if (to === undefined || to === value) return;
    replaceToken(lines, token, write(to));
    replaced.push({ from: value, to });
  };

  // Parser directives: comment lines before anything else.
  for (let n = 0; n < lines.length && isComment(lines[n]!); n++) {
    const match = /^(#\s*syntax\s*=\s*)(\S+)(\s*)$/i.exec(lines[n]!);
    if (!match) continue;
    const to = mapImage(match[2]!, rules);
    if (to !== undefined) {
      replaced.push({ from: match[2]!, to });
      lines[n] = `${match[1]}${to}${match[3]}`;
    }
  }

  for (const ins of instructions) {
    const tokens = tokensOf(lines, ins);
    if (ins.keyword === 'ARG') {
      for (const token of tokens.slice(1)) {
        const match = /^([A-Za-z_][A-Za-z0-9_]*=)(["']?)([^"']*)\2$/.exec(token.text);
        if (!match || !isPinnedImage(match[3]!)) continue;
        swap(token, match[3]!, (to) => `${match[1]}${match[2]}${to}${match[2]}`);
      }
    } else if (ins.keyword === 'FROM') {
      const image = tokens.slice(1).find((t) => !t.text.startsWith('--'));
      if (image && !stageNames.has(image.text.toLowerCase())) swap(image, image.text, (to) => to);
    } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD' || ins.keyword === 'RUN') {
      for (const token of tokens.slice(1)) {
        if (!token.text.startsWith('--')) break; // flags come first; the rest is sources or a command
        const copyFrom = /^(--from=)(\S+)$/.exec(token.text);
        if (copyFrom && ins.keyword !== 'RUN') {
          const value = copyFrom[2]!;
          if (!stageNames.has(value.toLowerCase()) && !/^\d+$/.test(value)) swap(token, value, (to) => `${copyFrom[1]}${to}`);
        }
        const mount = /^--mount=(\S+)$/.exec(token.text);
        if (mount && ins.keyword === 'RUN') {
          const options = mount[1]!.split(',');
          const index = options.findIndex((o) => o.startsWith('from='));
          const value = index === -1 ? '' : options[index]!.slice(5);
          if (value && !stageNames.has(value.toLowerCase()) && !/^\d+$/.test(value)) {
            swap(token, value, (to) => {
              options[index] = `from=${to}`;
              return `--mount=${options.join(',')}`;
            });
          }
        }
      }
    }
  }
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

function stageNamed(text: string, name: string): { scan: Scan; stage: Stage | undefined } {
  const result = scan(text);
  return { scan: result, stage: result.stages.find((s) => s.name === name) };
}

export interface KitDockerfileOptions {
  kitName: string;
  images: ImageRule[];
  packages: string[];
  labels: Record<string, string>;
  /** File names under .multistage/ca/ (empty: no CA certificates). */
  caFiles: string[];
}

export interface KitDockerfileResult {
  text: string;
  replaced: ImageReplacement[];
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

export function applyKitToDockerfile(original: string, options: KitDockerfileOptions): KitDockerfileResult {
  const images = rewriteImages(original, options.images);
  let text = images.text;
  const caStages: string[] = [];
  const labelledStages: string[] = [];

  if (options.packages.length > 0 || options.caFiles.length > 0) {
    const { scan: scanned, stage: base } = stageNamed(text, 'base');
    if (!base) {
      const what = [options.packages.length ? 'Debian packages' : '', options.caFiles.length ? 'CA certificates' : ''].filter(Boolean).join(' and ');
      throw new KitApplyError(`The ${options.kitName} kit adds ${what}, which go into the "base" stage, but this Dockerfile has no stage named base.`);
    }
    const baseImage = resolveArg(base.image, scanned.globalArgs);
    text = insert(text, afterSetup(base), baseBlock(options, /alpine/i.test(baseImage), baseImage));

    if (options.caFiles.length > 0) {
      // Every later stage that starts from an external image gets base's bundle, whatever
      // its runtime (distroless, scratch, slim); stages built FROM a stage inherit it.
      // Insertions add lines, never stages, so stage indices stay valid across re-scans.
      const done = new Set<number>();
      for (;;) {
        const current = scan(text);
        const baseIndex = current.stages.findIndex((s) => s.name === 'base');
        const pending = current.stages.findIndex((s, i) => {
          if (i <= baseIndex || done.has(i)) return false;
          const image = resolveArg(s.image, current.globalArgs).toLowerCase();
          return !current.stages.slice(0, i).some((earlier) => earlier.name !== '' && earlier.name === image);
        });
        if (pending === -1) break;
        done.add(pending);
        const stage = current.stages[pending]!;
        caStages.push(stage.name || `#${pending}`);
        // After anything the stage itself copies into /etc/ssl/certs, so the kit's bundle is the one that stays.
        const touching = stage.instructions.filter((ins) => current.lines.slice(ins.start, ins.end + 1).join('\n').includes('/etc/ssl/certs'));
        const at = touching.length > 0 ? touching[touching.length - 1]!.end + 1 : afterSetup(stage);
        text = insert(text, at, [
          `# ${options.kitName} kit: the CA bundle from base, with the organisation's certificates.`,
          `COPY --from=base ${CA_BUNDLE} ${CA_BUNDLE}`,
          ...CA_ENV,
        ]);
      }
    }
  }

  const labelEntries = Object.entries(options.labels);
  if (labelEntries.length > 0) {
    const names = scan(text).stages.map((s) => s.name).filter((n) => n === 'production' || n.startsWith('production-'));
    for (const name of names) {
      const { stage } = stageNamed(text, name);
      const existing = stage!.instructions.filter((ins) => ins.keyword === 'LABEL');
      const at = existing.length > 0 ? existing[existing.length - 1]!.end + 1 : afterSetup(stage!);
      const lines = labelEntries.map(([key, value], i) => `${i === 0 ? 'LABEL ' : '      '}${key}="${value}"${i < labelEntries.length - 1 ? ' \\' : ''}`);
      text = insert(text, at, [`# ${options.kitName} kit: organisation labels.`, ...lines]);
      labelledStages.push(name);
    }
  }

  return { text, replaced: images.replaced, caStages, labelledStages };
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
export function describeDockerfile(text: string): { stages: string[]; images: string[] } {
  const { lines, instructions, stages, globalArgs } = scan(text);
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
    for (const token of tokensOf(lines, ins).slice(1)) {
      if (!token.text.startsWith('--')) break;
      const from = /^--from=(\S+)$/.exec(token.text)?.[1] ?? /^--mount=(?:\S*,)?from=([^,\s]+)/.exec(token.text)?.[1];
      if (from) add(from);
    }
  }
  return { stages: stages.map((s) => s.name), images: [...images] };
}
