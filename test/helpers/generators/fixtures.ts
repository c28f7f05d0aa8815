import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** A fixture tree as a map of POSIX relative path → text, for writing into a fresh directory. */
export function loadFixture(rel: string): Record<string, string> {
  const root = path.join(FIXTURES, rel);
  const files: Record<string, string> = {};
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const child = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(child);
      else files[child] = fs.readFileSync(path.join(root, child), 'utf8');
    }
  };
  visit('');
  return files;
}
