/** A kit's image rules: which generated base images it points at a mirror, and how. */
import { InvalidValue, validateImageRef } from '../validate.js';
import { child, fail, object, show, string, validated } from './manifest-fields.js';

export interface ImageRule {
  /** The manifest key, for messages. */
  key: string;
  /** Canonical repository (`docker.io/library/node`) or, for a key ending in `/`, a canonical prefix. */
  match: string;
  prefix: boolean;
  /** A repository (the generated tag is kept), a full reference (used as is), or a prefix replacement. */
  replacement: string;
  replacementHasTag: boolean;
}

/** Splits `registry:5000/path/name:tag@sha256:…`: a colon is a tag only after the last slash. */
export function splitImage(ref: string): { repository: string; tag: string; digest: string } {
  const at = ref.indexOf('@');
  const digest = at === -1 ? '' : ref.slice(at);
  const rest = at === -1 ? ref : ref.slice(0, at);
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, tag: '', digest };
}

/** `node` and `docker.io/library/node` are the same repository; so are `bitnami/x` and `docker.io/bitnami/x`. */
export function canonicalRepository(repository: string): string {
  const parts = repository.split('/');
  const first = parts[0]!;
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return repository;
  return parts.length === 1 ? `docker.io/library/${repository}` : `docker.io/${repository}`;
}

const REPOSITORY_HELP = 'an image repository such as registry.example.com/library/node (the generated tag is kept) or an image reference with a tag (used as is)';

export function imageRules(value: unknown, field: string): ImageRule[] {
  const map = object(value, field);
  const rules: ImageRule[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const keyField = child(field, key);
    const prefix = key.endsWith('/');
    const keyBody = prefix ? `${key}x` : key;
    const parts = splitImage(keyBody);
    if (parts.tag || parts.digest) fail(keyField, `must name a repository without a tag or digest (the key is matched against generated images, whatever their tag)`);
    validated(keyField, () => {
      try {
        validateImageRef(`${keyBody}:t`);
      } catch {
        throw new InvalidValue(`is not an image repository name${prefix ? ' prefix' : ''} (e.g. ${prefix ? 'gcr.io/distroless/' : 'node, golang or gcr.io/distroless/static-debian13'})`);
      }
    });
    const replacement = string(raw, keyField, { max: 255 });
    let replacementHasTag = false;
    if (prefix) {
      if (!replacement.endsWith('/'))
        fail(keyField, `replaces a prefix (the key ends in "/"), so it must be a prefix ending in "/" too, such as registry.example.com/distroless/; got ${show(replacement)}`);
      validated(keyField, () => {
        try {
          validateImageRef(`${replacement}x:t`);
        } catch {
          throw new InvalidValue(`must be an image repository prefix such as registry.example.com/distroless/; got ${show(replacement)}`);
        }
      });
    } else {
      const split = splitImage(replacement);
      replacementHasTag = split.tag !== '' || split.digest !== '';
      if (replacementHasTag) {
        validated(keyField, () => validateImageRef(replacement));
      } else {
        validated(keyField, () => {
          try {
            validateImageRef(`${replacement}:t`);
          } catch {
            throw new InvalidValue(`must be ${REPOSITORY_HELP}; got ${show(replacement)}`);
          }
        });
      }
    }
    const matchBody = prefix ? key : parts.repository;
    rules.push({ key, match: canonicalRepository(matchBody), prefix, replacement, replacementHasTag });
  }
  return rules;
}

/** The mirror reference for `ref`, or undefined when no rule matches. Exact rules beat prefixes; the longest prefix wins. */
export function mapImage(ref: string, rules: ImageRule[]): string | undefined {
  if (ref.includes('$') || ref.toLowerCase() === 'scratch') return undefined;
  const { repository, tag, digest } = splitImage(ref);
  const canonical = canonicalRepository(repository);
  const suffix = `${tag ? `:${tag}` : ''}${digest}`;
  const exact = rules.find((rule) => !rule.prefix && rule.match === canonical);
  if (exact) return exact.replacementHasTag ? exact.replacement : `${exact.replacement}${suffix}`;
  const prefix = rules.filter((rule) => rule.prefix && canonical.startsWith(rule.match)).sort((a, b) => b.match.length - a.match.length)[0];
  if (prefix) return `${prefix.replacement}${canonical.slice(prefix.match.length)}${suffix}`;
  return undefined;
}
