// Shared by the kit tests: kit folders on disk, hand-built tar archives (to
// plant entries `tar` refuses to write), and the acme fixture kit.

import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadKitFromDir } from '../../src/kit/load.js';
import { STACKS } from '../../src/stacks/index.js';
import { FIXTURES_DIR, makeTree, type TreeEntry } from './tree.js';

export const ACME_KIT = path.join(FIXTURES_DIR, 'kits', 'acme');
export const ACME_CA = fs.readFileSync(path.join(ACME_KIT, 'ca', 'acme-root-ca.pem'), 'utf8');

/** A minimal valid manifest, merged with `extra` at the top level. */
export function manifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'test-kit', version: '1.0.0', stacks: { '*': { labels: { 'com.example.team': 'platform' } } }, ...extra };
}

/** A kit folder: multistage-kit.json from `json` plus `files`. */
export function makeKit(json: unknown, files: Record<string, TreeEntry> = {}): string {
  return makeTree({ 'multistage-kit.json': typeof json === 'string' ? json : JSON.stringify(json, null, 2), ...files }, 'cms-kit-');
}

export interface TarEntry {
  name: string;
  /** '0' file, '5' directory, '1' hard link, '2' symlink, '3'/'4' devices, '6' FIFO, 'x' pax header. */
  type?: string;
  content?: string | Buffer;
  linkname?: string;
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number): void => void block.write(text, offset, length, 'utf8');
  const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;
  put(entry.name, 0, 100);
  put(octal(entry.type === '5' ? 0o755 : 0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put(entry.type ?? '0', 156, 1);
  put(entry.linkname ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** A .tgz written byte by byte, so a test can plant any entry (absolute names, `..`, links, devices). */
export function tarGz(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content ?? '', 'utf8');
    parts.push(header(entry, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A pax extended header record list for one entry. */
export function paxHeader(records: Record<string, string>): TarEntry {
  let body = '';
  for (const [key, value] of Object.entries(records)) {
    const text = ` ${key}=${value}\n`;
    let length = text.length + 1;
    while (`${length}${text}`.length !== length) length = `${length}${text}`.length;
    body += `${length}${text}`;
  }
  return { name: 'PaxHeader', type: 'x', content: body };
}

/** The error of loading a kit folder with every built-in stack (stack-aware checks included). */
export function kitLoadError(json: unknown, files: Record<string, TreeEntry> = {}): Error {
  const dir = makeKit(json, files);
  try {
    loadKitFromDir(dir, 'test kit', STACKS);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the kit to be refused');
}
