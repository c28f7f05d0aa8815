import fs from 'node:fs';
import path from 'node:path';
import { zlib } from './builtins.js';
import { UsageError } from './errors.js';

/** An archive (a kit's .tgz, a release tarball) holds something unsafe or is damaged: bad input, exit 2. */
export class ArchiveError extends UsageError {
  override name = 'ArchiveError';
}

/**
 * A small reader for gzipped ustar archives (what `npm pack` and `tar -czf`
 * write), just enough for kits: regular files and directories, with pax and
 * GNU long names. Everything that could reach outside the extraction folder
 * or is not plain data is refused: absolute names, `..`, symbolic and hard
 * links, devices and FIFOs.
 */

const BLOCK = 512;
export const ARCHIVE_LIMITS = { entries: 2000, totalBytes: 20 * 1024 * 1024, unpackedBytes: 64 * 1024 * 1024 };

export interface ArchiveEntry {
  /** Normalised relative POSIX path. */
  path: string;
  type: 'file' | 'dir';
  content: Buffer;
}

function field(header: Buffer, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Numeric header fields are octal text, or big-endian base-256 when the top bit is set (GNU, large files). */
function numeric(header: Buffer, offset: number, length: number, what: string): number {
  const bytes = header.subarray(offset, offset + length);
  if ((bytes[0]! & 0x80) !== 0) {
    let value = bytes[0]! & 0x7f;
    for (const byte of bytes.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const text = field(header, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError(`The kit archive is damaged: the ${what} field reads ${JSON.stringify(text)}.`);
  return parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  const stored = numeric(header, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === stored;
}

/** pax extended header records: "<length> <key>=<value>\n". */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || offset + length > data.length) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return records;
}

/** The entry name as a safe relative path, or a refusal naming the entry. */
function safeName(raw: string): string {
  const shown = JSON.stringify(raw);

  if (/[\u0000-\u001f\\]/.test(raw)) throw new ArchiveError(`The kit archive entry ${shown} has control characters or backslashes in its name; refused.`);
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw new ArchiveError(`The kit archive entry ${shown} has an absolute path; refused.`);
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new ArchiveError(`The kit archive entry ${shown} climbs out with ".."; refused.`);
  return parts.join('/');
}

const REFUSED_TYPES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO',
  K: 'a long link name',
};

export function readTarGz(archive: Buffer): ArchiveEntry[] {
  let tar: Buffer;
  try {
    tar = zlib().gunzipSync(archive, { maxOutputLength: ARCHIVE_LIMITS.unpackedBytes });
  } catch (error) {
    throw new ArchiveError(`The kit archive is not a readable .tgz: ${(error as Error).message}.`);
  }
  const entries: ArchiveEntry[] = [];
  let total = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end-of-archive marker
    if (!checksumMatches(header)) throw new ArchiveError(`The kit archive is damaged: bad header checksum at byte ${offset}.`);
    const typeflag = String.fromCharCode(header[156]!);
    const size = pax['size'] !== undefined ? Number(pax['size']) : numeric(header, 124, 12, 'size');
    const dataStart = offset + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0 || dataStart + size > tar.length) throw new ArchiveError('The kit archive is truncated.');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    // Headers that describe the next entry.
    if (typeflag === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (typeflag === 'g') continue; // global pax defaults: nothing a kit needs
    if (typeflag === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }

    const ustarPrefix = header.subarray(257, 262).toString('ascii') === 'ustar' ? field(header, 345, 155) : '';
    const rawName = pax['path'] ?? longName ?? (ustarPrefix ? `${ustarPrefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    pax = {};
    longName = undefined;

    if (REFUSED_TYPES[typeflag]) throw new ArchiveError(`The kit archive entry ${JSON.stringify(rawName)} is ${REFUSED_TYPES[typeflag]}; kits hold plain files only.`);
    const name = safeName(rawName);
    if (typeflag === '5') {
      if (name) entries.push({ path: name, type: 'dir', content: Buffer.alloc(0) });
    } else if (typeflag === '0' || typeflag === '\0' || typeflag === '7') {
      if (!name) throw new ArchiveError(`The kit archive has a file entry without a name.`);
      total += size;
      if (total > ARCHIVE_LIMITS.totalBytes) throw new ArchiveError(`The kit archive holds more than ${ARCHIVE_LIMITS.totalBytes} bytes of files.`);
      entries.push({ path: name, type: 'file', content: Buffer.from(data) });
    } else {
      throw new ArchiveError(`The kit archive entry ${JSON.stringify(rawName)} has the unsupported type ${JSON.stringify(typeflag)}.`);
    }
    if (entries.length > ARCHIVE_LIMITS.entries) throw new ArchiveError(`The kit archive has more than ${ARCHIVE_LIMITS.entries} entries.`);
  }
  return entries;
}

/**
 * npm tarballs put everything under `package/`, and `tar -czf kit.tgz kit`
 * under `kit/`: when the manifest is not at the top and every entry shares
 * one top folder, that folder is the kit.
 */
export function stripCommonFolder(entries: ArchiveEntry[], manifest: string): ArchiveEntry[] {
  if (entries.some((e) => e.type === 'file' && e.path === manifest)) return entries;
  const tops = new Set(entries.map((e) => e.path.split('/')[0]!));
  if (tops.size !== 1) return entries;
  const [top] = [...tops];
  return entries.filter((e) => e.path !== top).map((e) => ({ ...e, path: e.path.slice(top!.length + 1) }));
}

/** Writes the entries below `dir` (a fresh temporary folder); never overwrites, never follows links. */
export function extractEntries(entries: ArchiveEntry[], dir: string): void {
  for (const entry of entries) {
    const target = path.join(dir, ...entry.path.split('/'));
    try {
      if (entry.type === 'dir') {
        fs.mkdirSync(target, { recursive: true, mode: 0o755 });
      } else {
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
        fs.writeFileSync(target, entry.content, { flag: 'wx', mode: 0o644 });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The same name twice, or a file where a folder should be: the archive contradicts itself.
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new ArchiveError(`The kit archive holds ${entry.path} twice or as both a file and a folder.`);
      throw error;
    }
  }
}
