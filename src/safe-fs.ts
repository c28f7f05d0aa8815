import fs from 'node:fs';
import path from 'node:path';

/**
 * The one guard every read of and write into the user's project goes through.
 * Reads: regular files only (a FIFO would block forever, a device such as
 * /dev/zero never ends), at most MAX_PROJECT_FILE_BYTES, and never through a
 * link that leads out of the project. Writes: no part of the path may be a
 * link at all, so a symlinked folder can never carry a write elsewhere.
 */
export const MAX_PROJECT_FILE_BYTES = 8 * 1024 * 1024;

export type GuardedRead =
  | { kind: 'missing' }
  | { kind: 'file'; bytes: Buffer }
  /** Present but not read: the reason says why (a FIFO, too big, a link out of the project...). */
  | { kind: 'refused'; reason: string };

function isWithin(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The real path of the project root (the root itself may be a link the user chose), or the path as given when it does not exist. */
export function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

/** Reads `rel` (POSIX) below `root` through the guard. */
export function readProjectFile(root: string, rel: string): GuardedRead {
  const abs = path.join(root, ...rel.split('/'));
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A dangling link is present, just not readable.
      try {
        if (fs.lstatSync(abs).isSymbolicLink()) return { kind: 'refused', reason: `${rel} is a symbolic link to ${fs.readlinkSync(abs)}, which does not exist` };
      } catch {
        /* missing */
      }
      return { kind: 'missing' };
    }
    if (code === 'ELOOP') return { kind: 'refused', reason: `${rel} is a symbolic link that loops` };
    return { kind: 'refused', reason: `${rel} cannot be read (${code ?? 'error'})` };
  }
  if (!isWithin(realRoot(root), real)) return { kind: 'refused', reason: `${rel} leads outside the project (to ${real})` };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch (error) {
    return { kind: 'refused', reason: `${rel} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (stat.isDirectory()) return { kind: 'refused', reason: `${rel} is a directory` };
  if (!stat.isFile()) return { kind: 'refused', reason: `${rel} is not a regular file (a FIFO, socket or device is never read)` };
  if (stat.size > MAX_PROJECT_FILE_BYTES) return { kind: 'refused', reason: `${rel} is larger than ${MAX_PROJECT_FILE_BYTES} bytes` };
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the file have been swapped for a FIFO since the stat, opening it cannot hang.
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    if (!fs.fstatSync(fd).isFile()) return { kind: 'refused', reason: `${rel} is not a regular file` };
    // Read in chunks up to the cap, whatever the size said: a file that grows cannot exhaust memory.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 4096), MAX_PROJECT_FILE_BYTES + 1 - length));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > MAX_PROJECT_FILE_BYTES) return { kind: 'refused', reason: `${rel} is larger than ${MAX_PROJECT_FILE_BYTES} bytes` };
    }
    return { kind: 'file', bytes: Buffer.concat(chunks, length) };
  } catch (error) {
    return { kind: 'refused', reason: `${rel} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The byte offset of the first byte that is not valid UTF-8, or undefined when all of it is. */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let extra: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [extra, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [extra, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [extra, min] = [3, 0x10000];
    else return i;
    if (i + extra >= bytes.length) return i; // truncated sequence
    let code = b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += extra + 1;
  }
  return undefined;
}

/** Decodes guarded bytes as UTF-8, refusing (with the byte offset) what is not. */
export function decodeUtf8(rel: string, bytes: Buffer): { text: string } | { reason: string } {
  const offset = invalidUtf8Offset(bytes);
  if (offset !== undefined) return { reason: `${rel} is not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset}); save it as UTF-8 first` };
  return { text: bytes.toString('utf8') };
}

/**
 * Why a write to `rel` below `root` must not happen, or undefined: any folder
 * on the way that is a symbolic link (even one that stays inside: a link is
 * the user's arrangement, not ours to write through) or is not a folder.
 */
export function writePathProblem(root: string, rel: string): string | undefined {
  const parts = rel.split('/');
  let current = root;
  for (let i = 0; i < parts.length - 1; i++) {
    current = path.join(current, parts[i]!);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch {
      return undefined; // missing from here on: the writer creates real folders
    }
    const shown = parts.slice(0, i + 1).join('/');
    if (stat.isSymbolicLink()) {
      let target = '';
      try {
        target = fs.readlinkSync(current);
      } catch {
        /* unreadable link */
      }
      return `${shown} is a symbolic link${target ? ` (to ${target})` : ''}; create-multistage never writes through a link, so ${rel} is not written`;
    }
    if (!stat.isDirectory()) return `${shown} is not a folder, so ${rel} cannot be written`;
  }
  return undefined;
}
