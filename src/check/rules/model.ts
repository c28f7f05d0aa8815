/**
 * The checker's model of a Dockerfile: the reader's stages with their FROM
 * images resolved through the global ARG defaults and linked to the earlier
 * stage they are built from, plus the helpers every rule group shares.
 */
import { cleanPath } from '../../dockerignore.js';
import { readDockerfile, type DockerfileReading, type DockerfileStage } from '../../dockerfile-reader.js';
import type { Instruction } from 'dockerfile-ast';

export { flagsOf, flagValue, lineOf, propertiesOf } from '../../dockerfile-reader.js';

export interface Violation {
  rule: string;
  message: string;
  line?: number;
}

export interface CheckOptions {
  /** Contents of the .dockerignore next to the Dockerfile. */
  dockerignore?: string;
  /** Stage names that are shipped targets (default: `production` and `production-*`). */
  productionTargets?: string[];
  /** If given, the core stages that must all appear, in this order. */
  expectedStages?: string[];
  /**
   * A Dockerfile we did not generate (`check`): when no stage is named
   * `production`, the last stage is what ships, named or not.
   */
  lastStageShips?: boolean;
}

export type Report = (rule: string, message: string, line?: number) => void;

export interface Stage extends Omit<DockerfileStage, 'image'> {
  /** FROM image after substituting the global ARG defaults; null if a variable is left unresolved. */
  image: string | null;
  /** The earlier stage this one is built FROM, if any. */
  parent: Stage | null;
}

export interface Model {
  text: string;
  reading: DockerfileReading;
  /** ARGs before the first FROM: name -> default (null when none given). */
  globalArgs: Map<string, string | null>;
  stages: Stage[];
  production: Stage[];
}

/** Substitute `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}` from `vars`; unknown variables are left as they are. */
export function substitute(value: string, vars: Map<string, string | null>): string {
  return value.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (all, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const has = vars.has(name);
      const v = vars.get(name);
      if (op === ':-') return v ? v : (word ?? '');
      if (op === '-') return has && v !== null ? (v ?? '') : (word ?? '');
      if (op === ':+') return v ? (word ?? '') : '';
      if (op === '+') return has && v !== null ? (word ?? '') : '';
      return has && v !== null && v !== undefined ? v : all;
    },
  );
}

export interface ImageRef {
  name: string;
  tag: string | null;
  digest: string | null;
}

/** Split `registry[:port]/path[:tag][@digest]`; a colon counts as a tag separator only after the last slash. */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, tag: null, digest };
}

export function buildModel(text: string, options: CheckOptions): Model {
  const reading = readDockerfile(text);
  const globalArgs = new Map<string, string | null>();
  // An ARG default may itself use an earlier global ARG.
  for (const arg of reading.globalArgs) globalArgs.set(arg.name, arg.value === null ? null : substitute(arg.value, globalArgs));

  const stages: Stage[] = [];
  for (const read of reading.stages) {
    const resolved = read.image === null ? null : substitute(read.image, globalArgs);
    const image = resolved !== null && !resolved.includes('$') ? resolved : null;
    const parent = image === null ? null : (stages.find((s) => s.key !== null && s.key === image.toLowerCase()) ?? null);
    stages.push({ ...read, image, parent });
  }

  const targets = options.productionTargets?.map((t) => t.toLowerCase());
  let production = stages.filter((s) => (s.key === null ? false : targets ? targets.includes(s.key) : s.key === 'production' || s.key.startsWith('production-')));
  if (production.length === 0 && options.lastStageShips && stages.length > 0) production = [stages[stages.length - 1]!];
  return { text, reading, globalArgs, stages, production };
}

/** The stage itself and every earlier stage it is built FROM, nearest first: what ends up in its image. */
export function ancestry(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.parent) chain.push(s);
  return chain;
}

export function isJsonArray(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('[')) return false;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/** COPY/ADD sources and destination (shell or JSON form), flags excluded. */
export function copyParts(ins: Instruction): { sources: string[]; dest: string | null } {
  const content = (ins.getArgumentsContent() ?? '').trim();
  let parts: string[];
  if (isJsonArray(content)) parts = JSON.parse(content) as string[];
  else parts = ins.getArguments().map((a) => a.getValue());
  if (parts.length === 0) return { sources: [], dest: null };
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1] ?? null };
}

/** Normalise a build-context path the way BuildKit does (no leading `/` or `./`, no trailing `/`). */

export const isWholeContext = (src: string): boolean => {
  const c = cleanPath(src);
  return c === '' || c === '*';
};
