import { UsageError } from '../errors.js';
import { readProjectFile } from '../safe-fs.js';

/**
 * The kit a project pins in package.json: `"multistage": { "kit": "<spec>" }`.
 * A relative path there is relative to the project.
 */
export function readKitPin(projectDir: string): string | undefined {
  // Through the project guard: a FIFO or /dev/zero named package.json is never read (the plan reports it).
  const read = readProjectFile(projectDir, 'package.json');
  if (read.kind !== 'file') return undefined;
  const text = read.bytes.toString('utf8');
  let pkg: unknown;
  try {
    pkg = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined; // a broken package.json is reported by the plan, with its position
  }
  if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) return undefined;
  const multistage = (pkg as Record<string, unknown>)['multistage'];
  if (multistage === undefined) return undefined;
  const kit = multistage !== null && typeof multistage === 'object' && !Array.isArray(multistage) ? (multistage as Record<string, unknown>)['kit'] : undefined;
  if (multistage === null || typeof multistage !== 'object' || Array.isArray(multistage) || (kit !== undefined && (typeof kit !== 'string' || kit === ''))) {
    throw new UsageError('package.json "multistage" must be an object whose "kit" is a kit: a directory, a .tgz file or an npm package name.');
  }
  return kit as string | undefined;
}
