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
import { validateLabelVersion } from '../validate.js';
import { extraStack, type ExtraStackSpec } from './extra-stacks.js';
import { refuseExecutableTarget } from './executable-targets.js';
import { imageRules, type ImageRule } from './images.js';
import { array, child, fail, FLAG_NAME, object, onlyKeys, show, string, validated } from './manifest-fields.js';
import { kitRelativePath, projectTargetPath } from './paths.js';

export { canonicalRepository, splitImage, type ImageRule } from './images.js';
export { child } from './manifest-fields.js';
export { EXTRA_STACK_KEYS, parserFor, parseSwitchValue, QUESTION_KEYS, QUESTION_KINDS, SHARED_CONTEXT_KEYS, type ExtraQuestion, type ExtraStackSpec, type QuestionKind } from './extra-stacks.js';

export const MANIFEST_FILE = 'multistage-kit.json';

/** Field lists, exported so a test can hold the JSON Schema to the same shape. */
export const MANIFEST_KEYS = ['$schema', 'name', 'version', 'description', 'stacks', 'extraStacks'] as const;
export const STACK_CONFIG_KEYS = ['images', 'packages', 'labels', 'caCertificates', 'defaults', 'locked', 'files', 'templates', 'partials'] as const;

/** OCI annotation keys that describe one project; a kit labels every project, so it may not set these. */
const PER_PROJECT_OCI_KEYS = new Set(['title', 'version', 'source', 'revision', 'created', 'ref.name', 'description', 'base.name', 'base.digest']);
const OCI_KEYS = new Set(['created', 'authors', 'url', 'documentation', 'source', 'version', 'revision', 'vendor', 'licenses', 'ref.name', 'title', 'description', 'base.digest', 'base.name']);
const OCI_PREFIX = 'org.opencontainers.image.';

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

export interface Manifest {
  name: string;
  version: string;
  description: string;
  stacks: Record<string, StackConfig>;
  extraStacks: ExtraStackSpec[];
}
// ---------------------------------------------------------------------------
// Stack configuration

const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(?:=[A-Za-z0-9.+~:-]+)?$/;
const LABEL_KEY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// Printable, and nothing the Dockerfile would interpret inside "...": no quotes, backslashes or `$`.

const LABEL_VALUE_BAD = /["'\\$`\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
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
