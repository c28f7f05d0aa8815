import { isIgnored } from '../dockerignore.js';

/**
 * Keeps the kit's CA certificates in the build context: when a .dockerignore
 * (a stack's, or a kit's override) would leave them out, a re-include is
 * appended. Returns the text unchanged when nothing is needed.
 */
export function keepInContext(dockerignore: string, files: string[], kitName: string): string {
  if (!files.some((file) => isIgnored(dockerignore, file))) return dockerignore;
  const dirs = [...new Set(files.map((file) => file.split('/').slice(0, -1).join('/')))];
  const addition = [`# The ${kitName} kit's CA certificates are copied into the image.`, ...dirs.map((dir) => `!${dir}/`)].join('\n');
  const next = `${dockerignore.replace(/\n*$/, '')}\n\n${addition}\n`;
  const still = files.filter((file) => isIgnored(next, file));
  if (still.length > 0) throw new Error(`.dockerignore still excludes ${still.join(', ')} after re-including it`);
  return next;
}
