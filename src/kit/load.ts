/**
 * Loads a kit into memory: resolve the spec, validate the manifest, read
 * every file it references through the escape checks, check every template's
 * helpers, validate answers against the stacks' own question parsers, and
 * build the kit's extra stacks. Temporary folders (archives) are removed
 * before this returns: nothing of the kit is read from disk afterwards.
 */
import path from 'node:path';
import { attempt, valueOr } from '../validate.js';
import { outputName, readTemplateFolder, type TemplateFile } from '../render.js';
import type { AnyDetection, AnyQuestion, AnyStack } from '../stacks/types.js';
import { createDataStack, type DataStack } from './data-stack.js';
import { KitCertificateError, KitError, KitManifestError, KitNotFoundError } from './errors.js';
import { child, MANIFEST_FILE, validateManifest, type ExtraStackSpec, type Manifest, type StackConfig } from './manifest.js';
import { KitFiles } from './paths.js';
import { checkStrictJson, PackageJsonError } from '../package-json.js';
import { resolveKit, type ResolveOptions } from './resolve.js';
import { refuseExecutableTarget } from './executable-targets.js';
import { checkKitTemplate } from './templates.js';

export interface CaFile {
  /** File name under .multistage/ca/. */
  fileName: string;
  content: string;
  /** Where it came from in the kit. */
  kitPath: string;
}

/** One `stacks.<id>` entry with its files read and checked: the manifest's entry with paths replaced by what they hold. */
export interface KitStackConfig extends Omit<StackConfig, 'caCertificates' | 'files' | 'templates'> {
  caCertificates: CaFile[];
  files: { path: string; template: TemplateFile }[];
  templates: Record<string, TemplateFile>;
  partials: Record<string, string>;
}

/** A loaded kit: the manifest's name, version and description, where it came from, and its stacks. */
export interface Kit extends Pick<Manifest, 'name' | 'version' | 'description'> {
  origin: string;
  /** By manifest key: a stack id or `*`. */
  configs: Record<string, KitStackConfig>;
  dataStacks: DataStack[];
}

const EMPTY_DETECTION: AnyDetection = { existing: false, values: {}, facts: {}, notes: [] };

// ---------------------------------------------------------------------------
// Certificates

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\n([\s\S]*?)\n?-----END \1-----/g;

/** The certificates of a PEM file, each as its own normalised PEM text. */
export function certificatesIn(text: string, where: string): string[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(normalised)) {
    throw new KitCertificateError(`${where} contains a private key; a kit carries CA certificates only, never keys.`);
  }
  const certificates: string[] = [];
  for (const match of normalised.matchAll(PEM_BLOCK)) {
    if (match[1] !== 'CERTIFICATE') throw new KitCertificateError(`${where} contains a ${match[1]} block; only CERTIFICATE blocks are accepted.`);
    const body = match[2]!
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const base64 = body.join('');
    const der = Buffer.from(base64, 'base64');
    // A certificate is a DER SEQUENCE (0x30); anything else is not one, whatever its armour says.
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || der.length < 64 || der[0] !== 0x30) {
      throw new KitCertificateError(`${where} has a CERTIFICATE block that is not a base64 DER certificate.`);
    }
    certificates.push(`-----BEGIN CERTIFICATE-----\n${body.join('\n')}\n-----END CERTIFICATE-----\n`);
  }
  if (certificates.length === 0) {
    throw new KitCertificateError(`${where} is not a PEM certificate: it has no -----BEGIN CERTIFICATE----- block.`);
  }
  return certificates;
}

function caFiles(files: KitFiles, paths: string[], field: string): CaFile[] {
  const out: CaFile[] = [];
  paths.forEach((raw, i) => {
    const itemField = child(field, i);
    const { rel, text } = files.readText(raw, itemField);
    const certificates = certificatesIn(text, `${itemField} (${rel})`);
    const base =
      path.posix
        .basename(rel)
        .replace(/\.(pem|crt|cer)$/i, '')
        .replace(/[^A-Za-z0-9._-]+/g, '-') || 'ca';
    certificates.forEach((content, n) => {
      const fileName = certificates.length === 1 ? `${base}.crt` : `${base}-${n + 1}.crt`;
      if (out.some((f) => f.fileName === fileName)) throw new KitManifestError(`${itemField} would be written as ${fileName}, like an earlier certificate; rename one of the files.`);
      out.push({ fileName, content, kitPath: rel });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Answers

/** Checks a raw answer with the question's own parser (and its choices, when they do not depend on other answers). */
function checkAnswer(question: AnyQuestion, raw: string, field: string): void {
  let choices: string[] | undefined;
  try {
    choices = question.choices?.({ mode: 'new', answers: {}, detection: EMPTY_DETECTION }).map((c) => c.value);
  } catch {
    choices = undefined; // choices that need other answers are checked when the run has them
  }
  const value = valueOr(
    attempt(() => question.parse(raw)),
    (why) => new KitManifestError(`${field} ${why}`),
  );
  const shown = Array.isArray(value) ? value.join(',') : String(value);
  if (choices && !choices.includes(shown)) throw new KitManifestError(`${field} must be one of ${choices.join(', ')}; got ${JSON.stringify(raw)}`);
}

function checkAnswers(map: Record<string, string>, field: string, key: string, stacks: AnyStack[]): void {
  const targets = key === '*' ? stacks : stacks.filter((s) => s.id === key);
  for (const [flag, raw] of Object.entries(map)) {
    const flagField = child(field, flag);
    const users = targets.filter((s) => s.questions.some((q) => q.flag === flag));
    if (users.length === 0) {
      const known = [...new Set(targets.flatMap((s) => s.questions.map((q) => q.flag)))];
      throw new KitManifestError(`${flagField} is not a question of ${key === '*' ? 'any stack' : `the ${key} stack`} (its flags: ${known.join(', ')})`);
    }
    for (const stack of users)
      checkAnswer(
        stack.questions.find((q) => q.flag === flag)!,
        raw,
        users.length > 1 ? `${flagField} (for ${stack.id})` : flagField,
      );
  }
}

// ---------------------------------------------------------------------------

function readTemplate(files: KitFiles, raw: string, field: string): TemplateFile {
  const { rel, text, binary } = files.readText(raw, field);
  if (rel.endsWith('.hbs')) checkKitTemplate(text, `${field} (${rel})`);
  return { rel, source: text, ...(binary ? { binary } : {}) };
}

function dockerOutputs(stack: AnyStack, dataStacks: DataStack[]): string[] {
  const data = dataStacks.find((d) => d.module === stack);
  const files = data ? data.docker : readTemplateFolder(stack.templates.docker);
  return files.map((f) => outputName(f.rel));
}

function loadDataStack(files: KitFiles, spec: ExtraStackSpec, builtins: AnyStack[]): DataStack {
  const field = child('extraStacks', spec.id);
  if (builtins.some((s) => s.id === spec.id)) throw new KitManifestError(`${field} is a built-in stack; give the kit's stack another id`);
  spec.questions.forEach((q, i) => {
    for (const stack of builtins) {
      const other = stack.questions.find((o) => o.flag === q.flag);
      if (other && (other.type === 'confirm') !== (q.type === 'confirm')) {
        throw new KitManifestError(
          `${child(child(child(field, 'questions'), i), 'flag')} is --${q.flag}, which the ${stack.id} stack uses as ${other.type === 'confirm' ? 'a switch' : 'a flag with a value'}; use another name`,
        );
      }
    }
  });
  const readSet = (raw: string, setField: string): TemplateFile[] =>
    files.readFolder(raw, setField).files.map((f) => {
      if (f.rel.endsWith('.hbs')) checkKitTemplate(f.text, `${setField} (${raw}/${f.rel})`);
      refuseExecutableTarget(outputName(f.rel), `${setField} (${raw}/${f.rel})`);
      return { rel: f.rel, source: f.text, ...(f.binary ? { binary: f.binary } : {}) };
    });
  const docker = readSet(spec.templates.docker, child(child(field, 'templates'), 'docker'));
  if (!docker.some((f) => outputName(f.rel) === 'Dockerfile')) {
    throw new KitManifestError(`${child(child(field, 'templates'), 'docker')} must hold a Dockerfile or Dockerfile.hbs`);
  }
  const app = spec.templates.app === undefined ? [] : readSet(spec.templates.app, child(child(field, 'templates'), 'app'));
  return createDataStack(spec, docker, app);
}

function loadConfig(files: KitFiles, key: string, config: StackConfig, stacks: AnyStack[], dataStacks: DataStack[]): KitStackConfig {
  const field = child('stacks', key);
  if (key !== '*' && !stacks.some((s) => s.id === key)) {
    throw new KitManifestError(`${field} is not a stack this version of create-multistage knows (known: ${stacks.map((s) => s.id).join(', ')}, or * for every stack)`);
  }
  checkAnswers(config.defaults, child(field, 'defaults'), key, stacks);
  checkAnswers(config.locked, child(field, 'locked'), key, stacks);

  const targets = key === '*' ? stacks : stacks.filter((s) => s.id === key);
  const templates: Record<string, TemplateFile> = {};
  for (const [output, raw] of Object.entries(config.templates)) {
    const outputField = child(child(field, 'templates'), output);
    const owners = targets.filter((stack) => dockerOutputs(stack, dataStacks).includes(output));
    if (owners.length === 0) {
      const known = [...new Set(targets.flatMap((stack) => dockerOutputs(stack, dataStacks)))].sort();
      throw new KitManifestError(`${outputField} is not a file ${key === '*' ? 'any stack' : `the ${key} stack`} generates (it generates ${known.join(', ')}); add new files with "files"`);
    }
    templates[output] = readTemplate(files, raw, outputField);
  }
  const partials: Record<string, string> = {};
  for (const [name, raw] of Object.entries(config.partials)) {
    const partialField = child(child(field, 'partials'), name);
    const { rel, text } = files.readText(raw, partialField);
    checkKitTemplate(text, `${partialField} (${rel})`);
    partials[name] = text;
  }
  const extraFiles = config.files.map((entry, i) => {
    const entryField = child(child(field, 'files'), i);
    for (const stack of targets) {
      if (dockerOutputs(stack, dataStacks).includes(entry.path)) {
        throw new KitManifestError(`${child(entryField, 'path')} is ${entry.path}, which the ${stack.id} stack generates; replace it with "templates" instead`);
      }
    }
    return { path: entry.path, template: readTemplate(files, entry.template, child(entryField, 'template')) };
  });
  return {
    images: config.images,
    packages: config.packages,
    labels: config.labels,
    caCertificates: caFiles(files, config.caCertificates, child(field, 'caCertificates')),
    defaults: config.defaults,
    locked: config.locked,
    files: extraFiles,
    templates,
    partials,
  };
}

/** Loads a kit from a folder already on disk (a directory kit, or an extracted archive). */
export function loadKitFromDir(root: string, origin: string, builtins: AnyStack[]): Kit {
  const files = new KitFiles(root);
  if (!files.exists(MANIFEST_FILE)) throw new KitNotFoundError(`${origin} is not a kit: it has no ${MANIFEST_FILE}.`);
  const { text } = files.readText(MANIFEST_FILE, MANIFEST_FILE);
  let json: unknown;
  try {
    // Strict: a duplicate key would be silently ignored by JSON.parse, and deep nesting would overflow the stack.
    checkStrictJson(text, MANIFEST_FILE);
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof PackageJsonError) throw new KitManifestError(error.message);
    throw new KitManifestError(`${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const manifest: Manifest = validateManifest(json);
  const dataStacks = manifest.extraStacks.map((spec) => loadDataStack(files, spec, builtins));
  const stacks = [...builtins, ...dataStacks.map((d) => d.module)];
  const configs: Record<string, KitStackConfig> = {};
  for (const [key, config] of Object.entries(manifest.stacks)) configs[key] = loadConfig(files, key, config, stacks, dataStacks);
  return { name: manifest.name, version: manifest.version, description: manifest.description, origin, configs, dataStacks };
}

/** Resolves a spec and loads the kit; temporary folders are gone when this returns. */
export function loadKit(spec: string, options: ResolveOptions, builtins: AnyStack[]): Kit {
  const resolved = resolveKit(spec, options);
  try {
    return loadKitFromDir(resolved.root, resolved.origin, builtins);
  } catch (error) {
    if (error instanceof KitError) error.message = `Kit ${spec}: ${error.message}`;
    throw error;
  } finally {
    resolved.cleanup();
  }
}

// ---------------------------------------------------------------------------

/**
 * The kit as it applies to one stack: `*` first, then the stack's own entry,
 * which wins wherever both say something (an image, a label, an answer, a
 * file path, a template or a partial).
 */
export function kitForStack(kit: Kit, stackId: string, questions: AnyQuestion[]): KitStackConfig {
  const all = kit.configs['*'];
  const own = kit.configs[stackId];
  const parts = [all, own].filter((c): c is KitStackConfig => c !== undefined);
  const flags = new Set(questions.map((q) => q.flag));
  const merged: KitStackConfig = { images: [], packages: [], labels: {}, caCertificates: [], defaults: {}, locked: {}, files: [], templates: {}, partials: {} };
  merged.images = [...(own?.images ?? []), ...(all?.images ?? [])];
  const packages = new Map<string, string>();
  for (const config of parts) {
    for (const pkg of config.packages) packages.set(pkg.split('=')[0]!, pkg);
    Object.assign(merged.labels, config.labels);
    for (const ca of config.caCertificates) {
      merged.caCertificates = [...merged.caCertificates.filter((c) => c.fileName !== ca.fileName), ca];
    }
    for (const [flag, value] of Object.entries(config.defaults)) {
      if (!flags.has(flag)) continue;
      merged.defaults[flag] = value;
      delete merged.locked[flag];
    }
    for (const [flag, value] of Object.entries(config.locked)) {
      if (!flags.has(flag)) continue;
      merged.locked[flag] = value;
      delete merged.defaults[flag];
    }
    for (const file of config.files) merged.files = [...merged.files.filter((f) => f.path !== file.path), file];
    Object.assign(merged.templates, config.templates);
    Object.assign(merged.partials, config.partials);
  }
  merged.packages = [...packages.values()];
  return merged;
}

/** True when the kit changes nothing for this stack. */
export function isEmptyConfig(config: KitStackConfig): boolean {
  return (
    config.images.length === 0 &&
    config.packages.length === 0 &&
    Object.keys(config.labels).length === 0 &&
    config.caCertificates.length === 0 &&
    Object.keys(config.defaults).length === 0 &&
    Object.keys(config.locked).length === 0 &&
    config.files.length === 0 &&
    Object.keys(config.templates).length === 0 &&
    Object.keys(config.partials).length === 0
  );
}
