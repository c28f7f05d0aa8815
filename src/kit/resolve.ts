import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KitError, KitFetchError, KitNotFoundError, KitArchiveError } from './errors.js';
import { MANIFEST_FILE } from './manifest.js';
import { ArchiveError, extractEntries, readTarGz, stripCommonFolder } from '../tar.js';

import type { NpmRunner } from '../npm.js';

export interface ResolveOptions {
  /** Where a relative spec is resolved: the working directory for --kit, the project for a package.json pin. */
  baseDir: string;
  /** The target project: its node_modules (and its parents') are searched for an installed kit. */
  projectDir: string;
  npm: NpmRunner;
}

export interface ResolvedKit {
  root: string;
  /** How the kit was found, for people: "directory ./kits/acme", "package @acme/kit 1.2.0 (node_modules)". */
  origin: string;
  /** Removes temporary folders (archives are extracted into one). */
  cleanup(): void;
}

const MAX_ARCHIVE_BYTES = 20 * 1024 * 1024;

// npm's package name rules: lowercase, URL-safe, optionally scoped; a version, range or tag after "@".
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const NPM_VERSION = /^[A-Za-z0-9.^~<>=*+_-][A-Za-z0-9.^~<>=*+_|-]{0,63}$/;

export function parsePackageSpec(spec: string): { name: string; version?: string } | undefined {
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : undefined;
  if (name.length > 214 || !NPM_NAME.test(name)) return undefined;
  if (version !== undefined && !NPM_VERSION.test(version)) return undefined;
  return version === undefined ? { name } : { name, version };
}

function isArchive(spec: string): boolean {
  return /\.(tgz|tar\.gz)$/i.test(spec);
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('~') || spec.includes('\\') || /^[A-Za-z]:/.test(spec);
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The shared tar reader's refusals, as kit errors (named after the kit by the loader). */
function asKitError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ArchiveError) throw new KitArchiveError(error.message);
    throw error;
  }
}

function extractArchive(file: string, origin: string, extraCleanup?: () => void): ResolvedKit {
  const size = fs.statSync(file).size;
  if (size > MAX_ARCHIVE_BYTES) throw new KitError(`The kit archive ${file} is larger than ${MAX_ARCHIVE_BYTES} bytes.`);
  const entries = asKitError(() => stripCommonFolder(readTarGz(fs.readFileSync(file)), MANIFEST_FILE));
  const dir = tempDir('cms-kit-');
  const cleanup = (): void => {
    fs.rmSync(dir, { recursive: true, force: true });
    extraCleanup?.();
  };
  try {
    asKitError(() => extractEntries(entries, dir));
  } catch (error) {
    cleanup();
    throw error;
  }
  return { root: dir, origin, cleanup };
}

function installedVersion(dir: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '';
  } catch {
    return '';
  }
}

function packageOrigin(name: string, dir: string, where: string): string {
  const version = installedVersion(dir);
  return `package ${name}${version ? ` ${version}` : ''} (${where})`;
}

/** node_modules/<name> in the project and its parents (how Node resolves packages), first hit wins. */
function findInstalled(name: string, projectDir: string): string | undefined {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(candidate, MANIFEST_FILE))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

function globalRoot(npm: NpmRunner, cwd: string): string | undefined {
  const result = npm(['root', '-g'], cwd);
  const root = result.stdout.trim().split(/\r?\n/).pop();
  return result.status === 0 && root ? root : undefined;
}

function npmPack(spec: string, options: ResolveOptions): ResolvedKit {
  const destination = tempDir('cms-kit-pack-');
  const removeDestination = (): void => fs.rmSync(destination, { recursive: true, force: true });
  const cwd = fs.existsSync(options.projectDir) ? options.projectDir : options.baseDir;
  // --ignore-scripts: a kit never runs code, not even npm lifecycle scripts while packing.
  const result = options.npm(['pack', spec, '--pack-destination', destination, '--ignore-scripts', '--json'], cwd);
  const tarball = fs.existsSync(destination) ? fs.readdirSync(destination).find((f) => f.endsWith('.tgz')) : undefined;
  if (result.status !== 0 || !tarball) {
    removeDestination();
    const detail = `${result.stderr}${result.stdout}`.trim().split(/\r?\n/).slice(-6).join('\n');
    throw new KitFetchError(`Could not fetch the kit ${spec} with \`npm pack\` (exit ${result.status ?? 'killed'}):\n${detail || '(no output)'}`);
  }
  return extractArchive(path.join(destination, tarball), `package ${spec} (npm pack)`, removeDestination);
}

/**
 * Finds the kit a spec names: a directory, a .tgz/.tar.gz file, or an npm
 * package — installed in the project (or a parent, as Node resolves it),
 * installed globally, or else fetched with `npm pack` so the user's own npm
 * configuration (private registry, auth) applies. A spec that names an
 * existing directory is that directory, so a local kit is never mistaken
 * for a registry package of the same name.
 */
export function resolveKit(spec: string, options: ResolveOptions): ResolvedKit {
  const local = path.resolve(options.baseDir, spec);
  if (isArchive(spec)) {
    if (!fs.existsSync(local) || !fs.statSync(local).isFile()) throw new KitNotFoundError(`The kit archive ${spec} does not exist (looked for ${local}).`);
    return extractArchive(local, `archive ${spec}`);
  }
  if (fs.existsSync(local) && fs.statSync(local).isDirectory()) {
    return { root: local, origin: `directory ${spec}`, cleanup: () => undefined };
  }
  if (looksLikePath(spec)) throw new KitNotFoundError(`The kit directory ${spec} does not exist (looked for ${local}).`);
  const pkg = parsePackageSpec(spec);
  if (!pkg) throw new KitNotFoundError(`The kit ${JSON.stringify(spec)} is not a directory, a .tgz file or an npm package name.`);

  // An installed copy is used when no version is asked for, or exactly its version;
  // a range or tag goes to npm, which knows how to match it.
  const acceptable = (dir: string): boolean => pkg.version === undefined || installedVersion(dir) === pkg.version;
  const installed = findInstalled(pkg.name, options.projectDir);
  if (installed && acceptable(installed)) {
    return { root: installed, origin: packageOrigin(pkg.name, installed, path.relative(options.baseDir, installed) || installed), cleanup: () => undefined };
  }
  const globalDir = globalRoot(options.npm, fs.existsSync(options.projectDir) ? options.projectDir : options.baseDir);
  if (globalDir) {
    const candidate = path.join(globalDir, ...pkg.name.split('/'));
    if (fs.existsSync(path.join(candidate, MANIFEST_FILE)) && acceptable(candidate)) {
      return { root: candidate, origin: packageOrigin(pkg.name, candidate, 'global'), cleanup: () => undefined };
    }
  }
  return npmPack(spec, options);
}

// The pin reader has a module of its own: every run reads the pin, and only a run with a kit loads the rest of this one.
export { readKitPin } from './pin.js';
