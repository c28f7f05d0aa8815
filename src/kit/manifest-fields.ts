/**
 * The small toolkit the manifest's validation is written in: every check
 * names the path of the field at fault (`stacks.go.images.golang must be …`).
 */
import { attempt } from '../validate.js';
import { KitCodeError, KitManifestError } from './errors.js';

/** Keys that would make a kit code rather than data; named in the refusal instead of "unknown field". */
const CODE_KEYS = new Set(['helpers', 'helper', 'scripts', 'script', 'hooks', 'plugins', 'commands', 'exec', 'run', 'preinstall', 'postinstall', 'install']);

/** Flag names of questions and answer keys: lowercase words joined by "-". */
export const FLAG_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

// ---------------------------------------------------------------------------
// Small validation toolkit: every check names its field path.

/** `stacks.go.images.golang`, `stacks["*"].images["gcr.io/distroless/"]`, `files[0].path`. */
export function child(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const plain = /^[A-Za-z_$][A-Za-z0-9_-]*$/.test(key);
  const part = plain ? key : `[${JSON.stringify(key)}]`;
  if (!parent) return plain ? key : part;
  return plain ? `${parent}.${part}` : `${parent}${part}`;
}

export function fail(field: string, message: string): never {
  throw new KitManifestError(`${field} ${message}`);
}

export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function object(value: unknown, field: string): Json {
  if (value === undefined) fail(field, 'is missing');
  if (!isObject(value)) fail(field, `must be an object; got ${Array.isArray(value) ? 'an array' : show(value)}`);
  return value;
}

export function onlyKeys(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    if (CODE_KEYS.has(key)) {
      throw new KitCodeError(`${child(field, key)} is refused: a kit is data and templates only; it cannot declare ${key} or run anything.`);
    }
    fail(child(field, key), `is not a known field (known: ${allowed.join(', ')})`);
  }
}

export function string(value: unknown, field: string, options: { max?: number; min?: number; pattern?: RegExp; describe?: string } = {}): string {
  if (value === undefined) fail(field, 'is missing');
  if (typeof value !== 'string') fail(field, `must be a string; got ${show(value)}`);
  const min = options.min ?? 1;
  if (value.length < min) fail(field, 'must not be empty');
  if (options.max !== undefined && value.length > options.max) fail(field, `must be at most ${options.max} characters (got ${value.length})`);

  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) fail(field, 'must not contain control characters or line breaks');
  if (options.pattern && !options.pattern.test(value)) fail(field, `must be ${options.describe ?? `of the form ${options.pattern}`}; got ${show(value)}`);
  return value;
}

export function array(value: unknown, field: string, max: number): unknown[] {
  if (value === undefined) fail(field, 'is missing');
  if (!Array.isArray(value)) fail(field, `must be an array; got ${show(value)}`);
  if (value.length > max) fail(field, `must have at most ${max} items (got ${value.length})`);
  return value;
}

/** Runs a src/validate.ts validator and turns its InvalidValue into a message on the field. */
export function validated<T>(field: string, run: () => T): T {
  const result = attempt(run);
  if (!result.ok) fail(field, result.error.message);
  return result.value;
}
