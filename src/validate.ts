/**
 * Validators for every user-supplied value. Each value that reaches a template
 * passes one of these first: they accept a small, explicit grammar, so a value
 * can never carry a newline, quote, `$()` or line continuation into a Dockerfile,
 * a YAML file or a shell command.
 *
 * A validator returns the normalised value or throws InvalidValue with a
 * sentence that the caller prefixes with the flag name.
 */
export class InvalidValue extends Error {
  override name = 'InvalidValue';
}

/** A validation's outcome as a value: callers branch on `ok` instead of catching. */
export type Result<T, E = InvalidValue> = { ok: true; value: T } | { ok: false; error: E };

/** The valid value, or the error `fail` makes of the reason it is not valid. */
export function valueOr<T>(result: Result<T>, fail: (why: string) => Error): T {
  if (result.ok) return result.value;
  throw fail(result.error.message);
}

/** Runs a throwing validator and returns its outcome; anything but InvalidValue (a bug) still throws. */
export function attempt<T>(validate: () => T): Result<T> {
  try {
    return { ok: true, value: validate() };
  } catch (error) {
    if (error instanceof InvalidValue) return { ok: false, error };
    throw error;
  }
}

const MAX_NAME = 64;
// Docker image name component grammar, which is also a valid npm name and a
// compose project name: lowercase alphanumerics separated by single . _ or -.
const NAME_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function show(raw: string): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return JSON.stringify(shown);
}

export function validateName(raw: string): string {
  if (raw.length === 0) throw new InvalidValue('must not be empty');
  if (raw.length > MAX_NAME) throw new InvalidValue(`must be at most ${MAX_NAME} characters (got ${raw.length})`);
  if (!NAME_RE.test(raw)) {
    throw new InvalidValue(`must be lowercase letters and digits, separated by single ".", "_" or "-" (e.g. my-app); got ${show(raw)}`);
  }
  return raw;
}

/** Turns a directory or npm package name into a valid project name, or undefined. */
export function toProjectName(raw: string): string | undefined {
  const candidate = raw
    .replace(/^@[^/]+\//, '') // npm scope
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_NAME)
    .replace(/[._-]+$/g, '');
  return NAME_RE.test(candidate) ? candidate : undefined;
}

export function validatePort(raw: string | number): number {
  const text = String(raw);
  if (!/^[0-9]{1,5}$/.test(text)) throw new InvalidValue(`must be a whole number from 1 to 65535; got ${show(text)}`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new InvalidValue(`must be a whole number from 1 to 65535; got ${text}`);
  return port;
}

/** Node.js version as used in image tags: a major (26) or major.minor[.patch]. */
export function validateNodeVersion(raw: string): string {
  const text = raw.replace(/^v/, '');
  if (!/^[0-9]{2}(?:\.[0-9]{1,3}){0,2}$/.test(text)) {
    throw new InvalidValue(`must be a Node.js version such as 26 or 24.11.1; got ${show(raw)}`);
  }
  if (Number(text.split('.')[0]) < 18) throw new InvalidValue(`must be Node.js 18 or newer; got ${text}`);
  return text;
}

/** Go version as used in golang image tags: 1.x or 1.x.y. */
export function validateGoVersion(raw: string): string {
  const text = raw.replace(/^go/, '');
  if (!/^1\.[0-9]{1,2}(?:\.[0-9]{1,2})?$/.test(text)) {
    throw new InvalidValue(`must be a Go version such as 1.27 or 1.26.3; got ${show(raw)}`);
  }
  if (Number(text.split('.')[1]) < 18) throw new InvalidValue(`must be Go 1.18 or newer; got ${text}`);
  return text;
}

export function validateChoice<T extends string>(raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new InvalidValue(`must be one of ${choices.join(', ')}; got ${show(raw)}`);
}

/** A comma-separated list of names (targets, executables). */
export function validateNameList(raw: string): string[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === '')) {
    throw new InvalidValue(`must be a comma-separated list of names (e.g. api,worker); got ${show(raw)}`);
  }
  const names = items.map((item) => {
    try {
      return validateName(item);
    } catch (error) {
      throw new InvalidValue(`item ${show(item)} ${(error as Error).message}`);
    }
  });
  if (new Set(names).size !== names.length) throw new InvalidValue(`lists a name twice; got ${show(raw)}`);
  return names;
}

// Image reference: [registry[:port]/]path[:tag][@sha256:digest], tag or digest required.
const IMAGE_RE =
  /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;

export function validateImageRef(raw: string): string {
  const match = IMAGE_RE.exec(raw);
  if (!match || raw.length > 255) {
    throw new InvalidValue(`must be an image reference such as registry.example.com/library/node:26-trixie-slim; got ${show(raw)}`);
  }
  const tag = match[1];
  if (!tag && !raw.includes('@sha256:')) throw new InvalidValue(`must have an explicit tag or digest; got ${show(raw)}`);
  if (tag === 'latest') throw new InvalidValue(`must not use the "latest" tag; pin a version; got ${show(raw)}`);
  return raw;
}

/** A version string for an OCI label (from package.json, git tags...). */
export function validateLabelVersion(raw: string): string {
  if (!/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/.test(raw)) throw new InvalidValue(`must be a version such as 1.2.3; got ${show(raw)}`);
  return raw;
}

/** A source URL for an OCI label: http(s), no whitespace, quotes, `$`, backticks or backslashes. */
export function validateSourceUrl(raw: string): string {
  if (!/^https?:\/\/[A-Za-z0-9._~:/?#@!&*+,;=%[\]-]{1,300}$/.test(raw)) {
    throw new InvalidValue(`must be an http(s) URL; got ${show(raw)}`);
  }
  return raw;
}

/** The target directory: any path the OS accepts, minus control characters. */
export function validateDirectory(raw: string): string {
  if (raw.length === 0) throw new InvalidValue('must not be empty');
  if (raw.length > 1024) throw new InvalidValue('is too long');

  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new InvalidValue('must not contain control characters such as newlines');
  return raw;
}
