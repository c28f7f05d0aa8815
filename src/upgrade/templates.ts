import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NpmRunner } from '../npm.js';
import { extractEntries, readTarGz } from '../tar.js';

/** This package's name on npm: an older version's templates are fetched from there. */
export const PACKAGE_NAME = 'create-multistage';

/** A version from a file's stamp reaches `npm pack` and a cache path: only plain semver passes. */
const SEMVER = /^\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]{1,64})?(?:\+[0-9A-Za-z.-]{1,64})?$/;

export function isPlainVersion(version: string): boolean {
  return SEMVER.test(version);
}

export interface TemplateSource {
  /** The running version and its templates folder. */
  version: string;
  templatesDir: string;
  /** Runs npm with the user's configuration (registry, auth, proxy). */
  npm: NpmRunner;
  /** Where fetched versions are kept; default: $XDG_CACHE_HOME or ~/.cache, then create-multistage/. */
  cacheDir: string;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const root = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(root, PACKAGE_NAME);
}

export type TemplatesResult = { templatesDir: string } | { note: string };

/**
 * The templates folder of `version`: the running one's, a cached copy, or the
 * published package fetched with `npm pack` (the user's own npm configuration)
 * and kept in the cache. Never throws: a failure is a note for the user, and
 * the caller falls back to a two-way conflict.
 */
export function templatesForVersion(version: string, source: TemplateSource): TemplatesResult {
  if (version === source.version) return { templatesDir: source.templatesDir };
  if (!isPlainVersion(version)) return { note: `the recorded version "${version}" is not a version number` };
  const cached = path.join(source.cacheDir, version, 'templates');
  if (fs.existsSync(cached)) return { templatesDir: cached };
  const spec = `${PACKAGE_NAME}@${version}`;
  let staging: string | undefined;
  try {
    fs.mkdirSync(source.cacheDir, { recursive: true });
    staging = fs.mkdtempSync(path.join(source.cacheDir, `.fetch-${version}-`));
    // --ignore-scripts: we want the files, not to run anything of that version.
    const result = source.npm(['pack', spec, '--pack-destination', staging, '--ignore-scripts', '--json'], staging);
    const tarball = fs.readdirSync(staging).find((file) => file.endsWith('.tgz'));
    if (result.status !== 0 || !tarball) {
      const detail = `${result.stderr}${result.stdout}`.trim().split(/\r?\n/).filter(Boolean).pop();
      return { note: `could not fetch ${spec} with npm pack (offline or unpublished${detail ? `: ${detail}` : ''})` };
    }
    const entries = readTarGz(fs.readFileSync(path.join(staging, tarball)))
      .filter((entry) => entry.path === 'package/templates' || entry.path.startsWith('package/templates/'))
      .map((entry) => ({ ...entry, path: entry.path.slice('package/'.length) }));
    if (!entries.some((entry) => entry.type === 'file')) return { note: `${spec} has no templates folder` };
    const unpacked = path.join(staging, 'unpacked');
    extractEntries(entries, unpacked);
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    try {
      fs.renameSync(path.join(unpacked, 'templates'), cached);
    } catch (error) {
      // Another run filled the cache first: its copy is as good.
      if (!fs.existsSync(cached)) throw error;
    }
    return { templatesDir: cached };
  } catch (error) {
    return { note: `could not use the templates of ${spec}: ${(error as Error).message}` };
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  }
}
