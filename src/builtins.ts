import { createRequire } from 'node:module';

// Node built-ins that only some runs use, loaded on first use: node:zlib and
// node:child_process cost a run about 12 and 6 ms to load (issue 12), and a
// plain generation uses neither (zlib: a kit archive; child_process: npm, an install).
const load = createRequire(import.meta.url);

export function childProcess(): typeof import('node:child_process') {
  return load('node:child_process') as typeof import('node:child_process');
}

export function zlib(): typeof import('node:zlib') {
  return load('node:zlib') as typeof import('node:zlib');
}
