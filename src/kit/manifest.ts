/**
 * multistage-kit.json: its shape, and a small validator whose every message
 * starts with the path of the field at fault (`stacks.go.images.golang must
 * be ...`). schema/multistage-kit.schema.json documents the same shape for
 * editors; this module is what enforces it (no schema library at run time).
 *
 * This layer checks structure and values that need no stack; load.ts checks
 * what does (answer keys are question flags, template overrides name files
 * the stack generates) once the stacks are known.
 */
import { RESERVED_FLAGS } from '../run-flags.js';
import {
  attempt,
  InvalidValue,
  validateChoice,
  validateImageRef,
  validateLabelVersion,
  validateName,
  validatePort,
} from '../validate.js';
import type { AnswerValue } from '../stacks/types.js';
import { KitCodeError, KitManifestError } from './errors.js';
import { refuseExecutableTarget } from './executable-targets.js';
import { kitRelativePath, projectTargetPath } from './paths.js';

export const MANIFEST_FILE = 'multistage-kit.json';

/** Field lists, exported so a test can hold the JSON Schema to the same shape. */
export const MANIFEST_KEYS = ['$schema', 'name', 'version', 'description', 'stacks', 'extraStacks'] as const;
export const STACK_CONFIG_KEYS = ['images', 'packages', 'labels', 'caCertificates', 'defaults', 'locked', 'files', 'templates', 'partials'] as const;
export const EXTRA_STACK_KEYS = ['title', 'detect', 'questions', 'templates', 'context'] as const;
export const QUESTION_KEYS = ['flag', 'message', 'type', 'kind', 'choices', 'default'] as const;
export const QUESTION_KINDS = ['name', 'port', 'version', 'image', 'choice', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Keys that would make a kit code rather than data; named in the refusal instead of "unknown field". */
const CODE_KEYS = new Set(['helpers', 'helper', 'scripts', 'script', 'hooks', 'plugins', 'commands', 'exec', 'run', 'preinstall', 'postinstall', 'install']);

/** Context keys every stack provides; an extra stack's static context must not shadow them. */
export const SHARED_CONTEXT_KEYS = ['stack', 'name', 'port', 'header', 'labels', 'compose', 'extraTargets'] as const;

/** OCI annotation keys that describe one project; a kit labels every project, so it may not set these. */
const PER_PROJECT_OCI_KEYS = new Set(['title', 'version', 'source', 'revision', 'created', 'ref.name', 'description', 'base.name', 'base.digest']);
const OCI_KEYS = new Set(['created', 'authors', 'url', 'documentation', 'source', 'version', 'revision', 'vendor', 'licenses', 'ref.name', 'title', 'description', 'base.digest', 'base.name']);
const OCI_PREFIX = 'org.opencontainers.image.';

export interface ImageRule {
  /** The manifest key, for messages. */
  key: string;
  /** Canonical repository (`docker.io/library/node`) or, for a key ending in `/`, a canonical prefix. */
  match: string;
  prefix: boolean;
  /** A repository (the generated tag is kept), a full reference (used as is), or a prefix replacement. */
  replacement: string;
  replacementHasTag: boolean;
}

export interface FileSpec {
  template: string;
  path: string;
}

export interface StackConfig {
  images: ImageRule[];
  packages: string[];
  labels: Record<string, string>;
  caCertificates: string[];
  /** Raw answer strings by question flag (lists joined with commas), parsed per stack later. */
  defaults: Record<string, string>;
  locked: Record<string, string>;
  files: FileSpec[];
  /** Output path → kit template path. */
  templates: Record<string, string>;
  /** Partial name → kit template path. */
  partials: Record<string, string>;
}

export interface ExtraQuestion {
  flag: string;
  message: string;
  type: 'text' | 'select' | 'confirm';
  kind: QuestionKind | 'switch';
  choices: string[];
  default: AnswerValue;
}

export interface ExtraStackSpec {
  id: string;
  title: string;
  anyFile: string[];
  questions: ExtraQuestion[];
  templates: { docker: string; app?: string };
  context: Record<string, unknown>;
}

export interface Manifest {
  name: string;
  version: string;
  description: string;
  stacks: Record<string, StackConfig>;
  extraStacks: ExtraStackSpec[];
}

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

function fail(field: string, message: string): never {
  throw new KitManifestError(`${field} ${message}`);
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function object(value: unknown, field: string): Json {
  if (value === undefined) fail(field, 'is missing');
  if (!isObject(value)) fail(field, `must be an object; got ${Array.isArray(value) ? 'an array' : show(value)}`);
  return value;
}

function onlyKeys(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    if (CODE_KEYS.has(key)) {
      throw new KitCodeError(`${child(field, key)} is refused: a kit is data and templates only; it cannot declare ${key} or run anything.`);
    }
    fail(child(field, key), `is not a known field (known: ${allowed.join(', ')})`);
  }
}

function string(value: unknown, field: string, options: { max?: number; min?: number; pattern?: RegExp; describe?: string } = {}): string {
  if (value === undefined) fail(field, 'is missing');
  if (typeof value !== 'string') fail(field, `must be a string; got ${show(value)}`);
  const min = options.min ?? 1;
  if (value.length < min) fail(field, 'must not be empty');
  if (options.max !== undefined && value.length > options.max) fail(field, `must be at most ${options.max} characters (got ${value.length})`);
   
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) fail(field, 'must not contain control characters or line breaks');
  if (options.pattern && !options.pattern.test(value)) fail(field, `must be ${options.describe ?? `of the form ${options.pattern}`}; got ${show(value)}`);
  return value;
}

function array(value: unknown, field: string, max: number): unknown[] {
  if (value === undefined) fail(field, 'is missing');
  if (!Array.isArray(value)) fail(field, `must be an array; got ${show(value)}`);
  if (value.length > max) fail(field, `must have at most ${max} items (got ${value.length})`);
  return value;
}

/** Runs a src/validate.ts validator and turns its InvalidValue into a message on the field. */
function validated<T>(field: string, run: () => T): T {
  const result = attempt(run);
  if (!result.ok) fail(field, result.error.message);
  return result.value;
}

// ---------------------------------------------------------------------------
// Images

/** Splits `registry:5000/path/name:tag@sha256:…`: a colon is a tag only after the last slash. */
export function splitImage(ref: string): { repository: string; tag: string; digest: string } {
  const at = ref.indexOf('@');
  const digest = at === -1 ? '' : ref.slice(at);
  const rest = at === -1 ? ref : ref.slice(0, at);
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, tag: '', digest };
}

/** `node` and `docker.io/library/node` are the same repository; so are `bitnami/x` and `docker.io/bitnami/x`. */
export function canonicalRepository(repository: string): string {
  const parts = repository.split('/');
  const first = parts[0]!;
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return repository;
  return parts.length === 1 ? `docker.io/library/${repository}` : `docker.io/${repository}`;
}

const REPOSITORY_HELP = 'an image repository such as registry.example.com/library/node (the generated tag is kept) or an image reference with a tag (used as is)';

function imageRules(value: unknown, field: string): ImageRule[] {
  const map = object(value, field);
  const rules: ImageRule[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const keyField = child(field, key);
    const prefix = key.endsWith('/');
    const keyBody = prefix ? `${key}x` : key;
    const parts = splitImage(keyBody);
    if (parts.tag || parts.digest) fail(keyField, `must name a repository without a tag or digest (the key is matched against generated images, whatever their tag)`);
    validated(keyField, () => {
      try {
        validateImageRef(`${keyBody}:t`);
      } catch {
        throw new InvalidValue(`is not an image repository name${prefix ? ' prefix' : ''} (e.g. ${prefix ? 'gcr.io/distroless/' : 'node, golang or gcr.io/distroless/static-debian13'})`);
      }
    });
    const replacement = string(raw, keyField, { max: 255 });
    let replacementHasTag = false;
    if (prefix) {
      if (!replacement.endsWith('/')) fail(keyField, `replaces a prefix (the key ends in "/"), so it must be a prefix ending in "/" too, such as registry.example.com/distroless/; got ${show(replacement)}`);
      validated(keyField, () => {
        try {
          validateImageRef(`${replacement}x:t`);
        } catch {
          throw new InvalidValue(`must be an image repository prefix such as registry.example.com/distroless/; got ${show(replacement)}`);
        }
      });
    } else {
      const split = splitImage(replacement);
      replacementHasTag = split.tag !== '' || split.digest !== '';
      if (replacementHasTag) {
        validated(keyField, () => validateImageRef(replacement));
      } else {
        validated(keyField, () => {
          try {
            validateImageRef(`${replacement}:t`);
          } catch {
            throw new InvalidValue(`must be ${REPOSITORY_HELP}; got ${show(replacement)}`);
          }
        });
      }
    }
    const matchBody = prefix ? key : parts.repository;
    rules.push({ key, match: canonicalRepository(matchBody), prefix, replacement, replacementHasTag });
  }
  return rules;
}

// ---------------------------------------------------------------------------
// Stack configuration

const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(?:=[A-Za-z0-9.+~:-]+)?$/;
const LABEL_KEY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// Printable, and nothing the Dockerfile would interpret inside "...": no quotes, backslashes or `$`.
 
const LABEL_VALUE_BAD = /["'\\$`\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const FLAG_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PARTIAL_NAME = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

function labels(value: unknown, field: string): Record<string, string> {
  const map = object(value, field);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(map)) {
    const keyField = child(field, key);
    if (key.length > 128 || !LABEL_KEY.test(key)) {
      fail(keyField, 'is not a label key: use lowercase letters and digits separated by single ".", "_" or "-" (e.g. com.example.team)');
    }
    if (key.startsWith(OCI_PREFIX)) {
      const name = key.slice(OCI_PREFIX.length);
      if (!OCI_KEYS.has(name)) fail(keyField, `is not an OCI annotation key (known: ${[...OCI_KEYS].map((k) => OCI_PREFIX + k).join(', ')})`);
      if (PER_PROJECT_OCI_KEYS.has(name)) fail(keyField, 'describes one project, so a kit that labels every project cannot set it');
    }
    if (typeof raw !== 'string') fail(keyField, `must be a string; got ${show(raw)}`);
    if (raw.length === 0 || raw.length > 256) fail(keyField, `must be 1 to 256 characters (got ${raw.length})`);
    if (LABEL_VALUE_BAD.test(raw)) fail(keyField, `must be printable text without quotes, backslashes, "$", backticks or line breaks; got ${show(raw)}`);
    out[key] = raw;
  }
  return out;
}

/** JSON answer → the raw string a flag would carry (lists comma-joined), validated per stack later. */
function answerMap(value: unknown, field: string): Record<string, string> {
  const map = object(value, field);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(map)) {
    const keyField = child(field, key);
    if (!FLAG_NAME.test(key)) fail(keyField, 'is not a question flag name (e.g. port, node-version)');
    if (typeof raw === 'string') out[key] = string(raw, keyField, { max: 256, min: 0 });
    else if (typeof raw === 'number' && Number.isFinite(raw)) out[key] = String(raw);
    else if (typeof raw === 'boolean') out[key] = String(raw);
    else if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) out[key] = raw.map((item, i) => string(item, child(keyField, i), { max: 64 })).join(',');
    else fail(keyField, `must be a string, number, boolean or list of strings; got ${show(raw)}`);
  }
  return out;
}

function kitPathMap(value: unknown, field: string, keyCheck: (key: string, keyField: string) => string): Record<string, string> {
  const map = object(value, field);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(map)) {
    const keyField = child(field, key);
    const normalised = keyCheck(key, keyField);
    // Own keys only: `constructor` or `toString` must not be found on Object.prototype.
    if (Object.hasOwn(out, normalised)) fail(keyField, `names the same file as another key (${normalised})`);
    out[normalised] = kitRelativePath(string(raw, keyField, { max: 512 }), keyField);
  }
  return out;
}

/** Where CA certificates go in the project; kit `files` may not write there. */
export const CA_DIR = '.multistage/ca';

function stackConfig(value: unknown, field: string): StackConfig {
  const raw = object(value, field);
  onlyKeys(raw, STACK_CONFIG_KEYS, field);
  const config: StackConfig = { images: [], packages: [], labels: {}, caCertificates: [], defaults: {}, locked: {}, files: [], templates: {}, partials: {} };
  if (raw['images'] !== undefined) config.images = imageRules(raw['images'], child(field, 'images'));
  if (raw['packages'] !== undefined) {
    const packagesField = child(field, 'packages');
    config.packages = array(raw['packages'], packagesField, 100).map((item, i) =>
      string(item, child(packagesField, i), { max: 128, pattern: DEBIAN_PACKAGE, describe: 'a Debian package name, optionally pinned (e.g. curl or curl=8.14.1-2)' }),
    );
    const seen = new Set<string>();
    config.packages.forEach((pkg, i) => {
      const name = pkg.split('=')[0]!;
      if (seen.has(name)) fail(child(packagesField, i), `lists ${name} twice`);
      seen.add(name);
    });
  }
  if (raw['labels'] !== undefined) config.labels = labels(raw['labels'], child(field, 'labels'));
  if (raw['caCertificates'] !== undefined) {
    const caField = child(field, 'caCertificates');
    config.caCertificates = array(raw['caCertificates'], caField, 50).map((item, i) => kitRelativePath(string(item, child(caField, i), { max: 512 }), child(caField, i)));
    const dup = config.caCertificates.find((p, i) => config.caCertificates.indexOf(p) !== i);
    if (dup) fail(caField, `lists ${dup} twice`);
  }
  if (raw['defaults'] !== undefined) config.defaults = answerMap(raw['defaults'], child(field, 'defaults'));
  if (raw['locked'] !== undefined) config.locked = answerMap(raw['locked'], child(field, 'locked'));
  for (const key of Object.keys(config.locked)) {
    if (config.defaults[key] !== undefined) fail(child(child(field, 'defaults'), key), `is also locked (${child(child(field, 'locked'), key)}); keep one of them`);
  }
  if (raw['files'] !== undefined) {
    const filesField = child(field, 'files');
    config.files = array(raw['files'], filesField, 100).map((item, i) => {
      const itemField = child(filesField, i);
      const entry = object(item, itemField);
      onlyKeys(entry, ['template', 'path'], itemField);
      const template = kitRelativePath(string(entry['template'], child(itemField, 'template'), { max: 512 }), child(itemField, 'template'));
      const target = projectTargetPath(string(entry['path'], child(itemField, 'path'), { max: 512 }), child(itemField, 'path'));
      if (target === 'package.json') fail(child(itemField, 'path'), 'cannot be package.json: create-multistage merges its scripts into it');
      refuseExecutableTarget(target, child(itemField, 'path'));
      if (target === CA_DIR || target.startsWith(`${CA_DIR}/`)) fail(child(itemField, 'path'), `cannot be under ${CA_DIR}/, where caCertificates go`);
      return { template, path: target };
    });
    const dup = config.files.findIndex((f, i) => config.files.findIndex((g) => g.path === f.path) !== i);
    if (dup !== -1) fail(child(child(filesField, dup), 'path'), `writes ${config.files[dup]!.path}, which an earlier entry writes too`);
  }
  if (raw['templates'] !== undefined) {
    config.templates = kitPathMap(raw['templates'], child(field, 'templates'), (key, keyField) => projectTargetPath(key, keyField));
  }
  if (raw['partials'] !== undefined) {
    config.partials = kitPathMap(raw['partials'], child(field, 'partials'), (key, keyField) => {
      if (!PARTIAL_NAME.test(key)) fail(keyField, 'is not a partial name (e.g. stage-production, oci-labels)');
      return key;
    });
  }
  return config;
}

// ---------------------------------------------------------------------------
// Extra stacks

const TEXT_ANSWER = /^[A-Za-z0-9._/-]{1,128}$/;

/** Validates and normalises a raw switch value the way the built-in confirm questions do. */
export function parseSwitchValue(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(text)) return true;
  if (['false', 'no', 'n', '0'].includes(text)) return false;
  throw new InvalidValue(`must be true or false; got ${JSON.stringify(raw)}`);
}

/** The validator an extra stack's question uses, chosen by its kind. */
export function parserFor(kind: ExtraQuestion['kind'], choices: string[]): (raw: string) => AnswerValue {
  switch (kind) {
    case 'name':
      return validateName;
    case 'port':
      return validatePort;
    case 'version':
      return validateLabelVersion;
    case 'image':
      return validateImageRef;
    case 'choice':
      return (raw) => validateChoice(raw, choices);
    case 'switch':
      return parseSwitchValue;
    case 'text':
      return (raw) => {
        if (!TEXT_ANSWER.test(raw)) throw new InvalidValue(`must be 1 to 128 letters, digits, ".", "_", "/" or "-"; got ${JSON.stringify(raw)}`);
        return raw;
      };
  }
}

function question(value: unknown, field: string, seen: Set<string>): ExtraQuestion {
  const raw = object(value, field);
  onlyKeys(raw, QUESTION_KEYS, field);
  const flag = string(raw['flag'], child(field, 'flag'), { max: 32, pattern: FLAG_NAME, describe: 'a flag name in lowercase words joined by "-" (e.g. python-version)' });
  if (RESERVED_FLAGS.includes(flag) || flag === 'name' || flag === 'port') {
    fail(child(field, 'flag'), `is --${flag}, which create-multistage already defines (every stack asks --name and --port)`);
  }
  if (seen.has(flag)) fail(child(field, 'flag'), `repeats --${flag}`);
  seen.add(flag);
  const message = string(raw['message'], child(field, 'message'), { max: 120 });
  const type = string(raw['type'], child(field, 'type'), { pattern: /^(text|select|confirm)$/, describe: 'one of text, select, confirm' }) as ExtraQuestion['type'];
  let kind: ExtraQuestion['kind'];
  if (type === 'confirm') {
    if (raw['kind'] !== undefined) fail(child(field, 'kind'), 'must be left out for a confirm question (its answer is true or false)');
    kind = 'switch';
  } else {
    kind = string(raw['kind'], child(field, 'kind'), { pattern: new RegExp(`^(${QUESTION_KINDS.join('|')})$`), describe: `one of ${QUESTION_KINDS.join(', ')}` }) as QuestionKind;
  }
  let choices: string[] = [];
  if (raw['choices'] !== undefined) {
    const choicesField = child(field, 'choices');
    choices = array(raw['choices'], choicesField, 50).map((c, i) => string(c, child(choicesField, i), { max: 64, pattern: /^[A-Za-z0-9._-]+$/, describe: 'letters, digits, ".", "_" or "-"' }));
    if (choices.length === 0) fail(choicesField, 'must list at least one choice');
    if (new Set(choices).size !== choices.length) fail(choicesField, 'lists a choice twice');
  }
  if ((type === 'select' || kind === 'choice') && choices.length === 0) fail(child(field, 'choices'), `is required for a ${type === 'select' ? 'select question' : 'question of kind choice'}`);
  if (type === 'select' && kind !== 'choice') fail(child(field, 'kind'), 'must be choice for a select question');
  if (choices.length > 0 && kind !== 'choice') fail(child(field, 'choices'), 'only applies to questions of kind choice');
  const parse = parserFor(kind, choices);
  let fallback: AnswerValue;
  const rawDefault = raw['default'];
  if (rawDefault === undefined) {
    if (type === 'confirm') fallback = false;
    else if (type === 'select') fallback = choices[0]!;
    else fail(child(field, 'default'), 'is required for a text question (it is the answer --yes accepts)');
  } else {
    if (!['string', 'number', 'boolean'].includes(typeof rawDefault)) fail(child(field, 'default'), `must be a string, number or boolean; got ${show(rawDefault)}`);
    fallback = validated(child(field, 'default'), () => parse(String(rawDefault)));
  }
  return { flag, message, type, kind, choices, default: fallback };
}

function staticContext(value: unknown, field: string, depth = 0): unknown {
  if (depth > 4) fail(field, 'nests too deeply (at most 4 levels)');
  if (typeof value === 'string') {
    if (value.length > 4096) fail(field, 'must be at most 4096 characters');
    return value;
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return array(value, field, 100).map((item, i) => staticContext(item, child(field, i), depth + 1));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key)) fail(child(field, key), 'is not a usable template key (letters, digits, "_" and "-", starting with a letter)');
      out[key] = staticContext(item, child(field, key), depth + 1);
    }
    return out;
  }
  return fail(field, `must be a string, number, boolean, list or object; got ${show(value)}`);
}

function extraStack(id: string, value: unknown, field: string): ExtraStackSpec {
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id) || id.length > 32) fail(field, 'is not a stack id: use lowercase words joined by "-" (e.g. python)');
  const raw = object(value, field);
  onlyKeys(raw, EXTRA_STACK_KEYS, field);
  const title = string(raw['title'], child(field, 'title'), { max: 60 });
  const detectField = child(field, 'detect');
  const detect = object(raw['detect'], detectField);
  onlyKeys(detect, ['anyFile'], detectField);
  const anyFileField = child(detectField, 'anyFile');
  const anyFile = array(detect['anyFile'], anyFileField, 20).map((f, i) => projectTargetPath(string(f, child(anyFileField, i), { max: 256 }), child(anyFileField, i)));
  if (anyFile.length === 0) fail(anyFileField, 'must list at least one file that marks a project of this stack');
  const seen = new Set<string>();
  const questionsField = child(field, 'questions');
  const questions = raw['questions'] === undefined ? [] : array(raw['questions'], questionsField, 20).map((q, i) => question(q, child(questionsField, i), seen));
  const templatesField = child(field, 'templates');
  const templates = object(raw['templates'], templatesField);
  onlyKeys(templates, ['docker', 'app'], templatesField);
  const docker = kitRelativePath(string(templates['docker'], child(templatesField, 'docker'), { max: 512 }), child(templatesField, 'docker'));
  const app = templates['app'] === undefined ? undefined : kitRelativePath(string(templates['app'], child(templatesField, 'app'), { max: 512 }), child(templatesField, 'app'));
  const contextField = child(field, 'context');
  const context = raw['context'] === undefined ? {} : (staticContext(object(raw['context'], contextField), contextField) as Record<string, unknown>);
  for (const key of Object.keys(context)) {
    if ((SHARED_CONTEXT_KEYS as readonly string[]).includes(key)) fail(child(contextField, key), 'is provided by create-multistage for every stack and cannot be set here');
    if (seen.has(key)) fail(child(contextField, key), `is the answer to --${key} and cannot also be a static value`);
  }
  return { id, title, anyFile, questions, templates: app === undefined ? { docker } : { docker, app }, context };
}

// ---------------------------------------------------------------------------

const KIT_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** Validates a parsed multistage-kit.json. */
export function validateManifest(value: unknown): Manifest {
  const raw = object(value, MANIFEST_FILE);
  onlyKeys(raw, MANIFEST_KEYS, '');
  if (raw['$schema'] !== undefined) string(raw['$schema'], '$schema', { max: 512 });
  const name = string(raw['name'], 'name', { max: 100, pattern: KIT_NAME, describe: 'a lowercase kit name such as acme-docker-kit or @acme/docker-kit' });
  const version = string(raw['version'], 'version', { max: 64 });
  validated('version', () => validateLabelVersion(version));
  const description = raw['description'] === undefined ? '' : string(raw['description'], 'description', { max: 500 });
  const stacksRaw = raw['stacks'] === undefined ? {} : object(raw['stacks'], 'stacks');
  const stacks: Record<string, StackConfig> = {};
  for (const [id, config] of Object.entries(stacksRaw)) {
    if (id !== '*' && !/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id)) fail(child('stacks', id), 'is not a stack id (e.g. nextjs, go, or * for every stack)');
    stacks[id] = stackConfig(config, child('stacks', id));
  }
  const extraRaw = raw['extraStacks'] === undefined ? {} : object(raw['extraStacks'], 'extraStacks');
  const extraStacks = Object.entries(extraRaw).map(([id, spec]) => extraStack(id, spec, child('extraStacks', id)));
  if (Object.keys(stacks).length === 0 && extraStacks.length === 0) fail('stacks', 'is missing: a kit configures at least one stack (use "*" for every stack) or adds an extra stack');
  return { name, version, description, stacks, extraStacks };
}

