/**
 * .dockerignore matching, shared by the rule checker (CopyIgnoredFile and the
 * coverage rule) and the kit (keeping its CA certificates in the context).
 */

/** A context-relative path with `.`/`..` parts resolved and `/` separators. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

// .dockerignore matching: a port of moby/patternmatcher as BuildKit uses it.
// Patterns are anchored at the context root (`node_modules` does NOT match
// `a/node_modules`, unlike .gitignore; `**/node_modules` does), a pattern that
// matches a parent directory excludes everything below it, and the last
// matching line wins (`!` lines re-include).

interface IgnorePattern {
  text: string;
  exclusion: boolean;
  re: RegExp;
}

function compileIgnorePattern(p: string): RegExp {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*') {
      if (p[i + 1] === '*') {
        i++;
        if (p[i + 1] === '/') i++; // `**/` is `**`
        re += i + 1 >= p.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if ('.+()|{}$^'.includes(ch)) {
      re += '\\' + ch;
    } else if (ch === '\\') {
      re += i + 1 < p.length ? '\\' + p[++i] : '\\\\';
    } else {
      re += ch;
    }
  }
  try {
    return new RegExp(re + '$');
  } catch {
    return /$^/; // an invalid pattern matches nothing (BuildKit would reject the build anyway)
  }
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let p = rawLine.trim();
    if (!p || p.startsWith('#')) continue;
    let exclusion = false;
    if (p.startsWith('!')) {
      exclusion = true;
      p = p.slice(1).trim();
    }
    p = cleanPath(p);
    if (!p) continue;
    out.push({ text: rawLine.trim(), exclusion, re: compileIgnorePattern(p) });
  }
  return out;
}

/** Whether `file` (context-relative) is excluded; returns the deciding pattern. */
export function ignoredBy(patterns: IgnorePattern[], file: string): string | null {
  const path = cleanPath(file);
  const dirs = path.split('/').slice(0, -1);
  let matched = false;
  let by: string | null = null;
  for (const pat of patterns) {
    // Same short-cut as patternmatcher: an exclusion can only flip a match, an inclusion only a non-match.
    if (pat.exclusion !== matched) continue;
    let m = pat.re.test(path);
    for (let i = 0; !m && i < dirs.length; i++) m = pat.re.test(dirs.slice(0, i + 1).join('/'));
    if (m) {
      matched = !pat.exclusion;
      by = matched ? pat.text : null;
    }
  }
  return matched ? by : null;
}

/** Whether `file` (context-relative) is left out of the build context by this .dockerignore text. */
export function isIgnored(dockerignore: string, file: string): boolean {
  return ignoredBy(parseDockerignore(dockerignore), file) !== null;
}
