/**
 * Just enough of BuildKit's .dockerignore matching to answer one question:
 * does this file reach the build context? Patterns are anchored at the
 * context root, `*` stays within a path part, `**` crosses parts, a pattern
 * that matches a parent folder excludes everything below it, and the last
 * matching line wins (`!` re-includes).
 */
function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(?:.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\' && i + 1 < pattern.length) {
      re += `\\${pattern[++i]}`;
    } else if ('.+()|{}$^'.includes(ch)) {
      re += `\\${ch}`;
    } else {
      re += ch;
    }
  }
  try {
    return new RegExp(`${re}$`);
  } catch {
    return /$^/;
  }
}

function clean(p: string): string {
  return p
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

export function isIgnored(dockerignore: string, file: string): boolean {
  const target = clean(file);
  const parents = target.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of dockerignore.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    const pattern = compile(clean(line));
    if (pattern.test(target) || parents.some((dir) => pattern.test(dir))) ignored = !negated;
  }
  return ignored;
}

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
