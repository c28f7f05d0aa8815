import fs from 'node:fs';
import path from 'node:path';
import { invalidUtf8Offset } from '../safe-fs.js';
import { KitError, KitPathEscapeError, KitTargetPathError } from './errors.js';

/** Caps that keep a hostile or broken kit from exhausting memory. */
export const MAX_KIT_FILE_BYTES = 1024 * 1024;
export const MAX_KIT_DIR_FILES = 500;

// Control characters, and characters Windows refuses in file names: a path
// the user's teammates cannot check out is not a path a kit may write.

const BAD_PATH_CHARS = /[\u0000-\u001f\u007f<>:"|?*\\]/;

/**
 * Splits a relative POSIX path into its parts, refusing what could point
 * anywhere else: absolute paths (`/x`, `C:/x`, `\\server`), backslashes,
 * `..` parts. `.` parts and repeated slashes are dropped.
 */
function relativeParts(raw: string): { parts: string[]; problem?: string } {
  if (raw === '') return { parts: [], problem: 'must not be empty' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || raw.startsWith('\\')) return { parts: [], problem: 'must be a relative path, not an absolute one' };
  if (BAD_PATH_CHARS.test(raw)) return { parts: [], problem: 'must use "/" separators and no control characters or any of < > : " | ? * \\' };
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return { parts, problem: 'must not contain ".." (it would leave its folder)' };
  if (parts.length === 0) return { parts, problem: 'must name a file, not the folder itself' };
  if (raw.length > 512) return { parts, problem: 'is too long (at most 512 characters)' };
  return { parts };
}

/** A path inside the kit (template, certificate, folder), normalised; throws KitPathEscapeError naming the field. */
export function kitRelativePath(raw: string, field: string): string {
  const { parts, problem } = relativeParts(raw);
  if (problem) throw new KitPathEscapeError(`${field} ${problem}; got ${JSON.stringify(raw)}`);
  return parts.join('/');
}

/**
 * A path in the target project a kit wants to write. Besides leaving the
 * project, `.git/` is refused: writing there could plant hooks that run code.
 */
export function projectTargetPath(raw: string, field: string): string {
  const { parts, problem } = relativeParts(raw);
  if (problem) throw new KitTargetPathError(`${field} ${problem}; got ${JSON.stringify(raw)}`);
  if (parts.some((part) => part.toLowerCase() === '.git')) {
    throw new KitTargetPathError(`${field} must not write into .git/ (it could install hooks that run code); got ${JSON.stringify(raw)}`);
  }
  if (parts.some((part) => /[. ]$/.test(part))) {
    throw new KitTargetPathError(`${field} must not have a part ending in "." or a space; got ${JSON.stringify(raw)}`);
  }
  return parts.join('/');
}

/** Templates are text; any other file that is not UTF-8 is kept as bytes (one per character) so it is copied exactly. */
function kitFileText(rel: string, bytes: Buffer): { text: string; binary?: boolean } {
  if (!rel.endsWith('.hbs') && invalidUtf8Offset(bytes) !== undefined) return { text: bytes.toString('latin1'), binary: true };
  return { text: bytes.toString('utf8') };
}

/** True when `candidate` is `root` or below it (both real paths). */
function within(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Reads kit files through real paths, so a symlink inside the kit that leads
 * out of it (to ~/.ssh, /etc...) is refused instead of followed.
 */
export class KitFiles {
  readonly root: string;

  constructor(root: string) {
    try {
      this.root = fs.realpathSync(root);
    } catch {
      throw new KitError(`The kit folder ${root} cannot be read.`);
    }
  }

  /** The real absolute path of `rel`, checked to stay inside the kit. */
  private resolve(rel: string, field: string): string {
    const abs = path.join(this.root, ...rel.split('/'));
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      throw new KitError(`${field}: ${rel} does not exist in the kit.`);
    }
    if (!within(this.root, real)) {
      throw new KitPathEscapeError(`${field}: ${rel} is a symbolic link that leads out of the kit (to ${real}); a kit may only use its own files.`);
    }
    return real;
  }

  exists(rel: string): boolean {
    return fs.existsSync(path.join(this.root, ...rel.split('/')));
  }

  /**
   * A file of the kit; `raw` is the manifest value, `field` its path for
   * messages. A file that is not a template and not UTF-8 (an image, a font)
   * comes back as bytes, one per character, flagged `binary`: it is copied as is.
   */
  readText(raw: string, field: string): { rel: string; text: string; binary?: boolean } {
    const rel = kitRelativePath(raw, field);
    const real = this.resolve(rel, field);
    const stat = fs.statSync(real);
    if (!stat.isFile()) throw new KitError(`${field}: ${rel} is not a file.`);
    if (stat.size > MAX_KIT_FILE_BYTES) throw new KitError(`${field}: ${rel} is larger than ${MAX_KIT_FILE_BYTES} bytes.`);
    return { rel, ...kitFileText(rel, fs.readFileSync(real)) };
  }

  /** Every file below a kit folder (relative to it, sorted), each read through the same checks. */
  readFolder(raw: string, field: string): { rel: string; files: { rel: string; text: string; binary?: boolean }[] } {
    const rel = kitRelativePath(raw, field);
    const real = this.resolve(rel, field);
    if (!fs.statSync(real).isDirectory()) throw new KitError(`${field}: ${rel} is not a folder.`);
    const files: { rel: string; text: string; binary?: boolean }[] = [];
    // A link to a folder that contains it would loop forever: enter each real folder once.
    const entered = new Set<string>([real]);
    const visit = (sub: string): void => {
      const dir = sub ? `${rel}/${sub}` : rel;
      for (const name of fs.readdirSync(path.join(this.root, ...dir.split('/'))).sort()) {
        const child = sub ? `${sub}/${name}` : name;
        const childReal = this.resolve(`${rel}/${child}`, field);
        const stat = fs.statSync(childReal);
        if (stat.isDirectory()) {
          if (entered.has(childReal)) throw new KitError(`${field}: ${rel}/${child} links back to a folder already read.`);
          entered.add(childReal);
          visit(child);
        } else if (stat.isFile()) {
          if (files.length >= MAX_KIT_DIR_FILES) throw new KitError(`${field}: ${rel} holds more than ${MAX_KIT_DIR_FILES} files.`);
          if (stat.size > MAX_KIT_FILE_BYTES) throw new KitError(`${field}: ${rel}/${child} is larger than ${MAX_KIT_FILE_BYTES} bytes.`);
          files.push({ rel: child, ...kitFileText(child, fs.readFileSync(childReal)) });
        } else {
          throw new KitError(`${field}: ${rel}/${child} is not a regular file.`);
        }
      }
    };
    visit('');
    return { rel, files };
  }
}
