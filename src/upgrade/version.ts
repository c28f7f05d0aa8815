import fs from 'node:fs';

declare const __PACKAGE_VERSION__: string | undefined;

/**
 * The running version, as stamped into generated files: set by the bundler,
 * else (tests running the sources) read from package.json, so a file written
 * in-process and one written by the built CLI carry the same stamp.
 */
export const TOOL_VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : sourceVersion();

function sourceVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0-dev';
  } catch {
    return '0.0.0-dev';
  }
}
