import { FailedError, UsageError } from '../errors.js';

/**
 * Everything wrong with a kit is the input's fault, like a malformed flag
 * value: exit 2 with a message that names the field or file. Each kind of
 * refusal has its own class so tests (and callers) can tell them apart.
 */
export class KitError extends UsageError {
  override name = 'KitError';
}

/** multistage-kit.json does not match the schema; the message starts with the field path. */
export class KitManifestError extends KitError {
  override name = 'KitManifestError';
}

/** The manifest declares something that would be code (helpers, scripts, hooks): a kit is data only. */
export class KitCodeError extends KitError {
  override name = 'KitCodeError';
}

/** A template or certificate path is absolute, climbs out with `..`, or is a symlink leading out of the kit. */
export class KitPathEscapeError extends KitError {
  override name = 'KitPathEscapeError';
}

/** A target path for a generated file is absolute, climbs out of the project, or goes into .git/. */
export class KitTargetPathError extends KitError {
  override name = 'KitTargetPathError';
}

/** A kit template uses a helper, decorator or dynamic partial outside the allowed few. */
export class KitHelperError extends KitError {
  override name = 'KitHelperError';
}

/** A caCertificates entry is not a PEM certificate (or carries a private key). */
export class KitCertificateError extends KitError {
  override name = 'KitCertificateError';
}

/** A kit archive holds an entry that could write outside the extraction directory or is not a plain file. */
export class KitArchiveError extends KitError {
  override name = 'KitArchiveError';
}

/** The spec names no directory, archive or package that could be found. */
export class KitNotFoundError extends KitError {
  override name = 'KitNotFoundError';
}

/** The kit's output cannot be applied to what the stack generated (no base stage, Alpine with Debian packages...). */
export class KitApplyError extends KitError {
  override name = 'KitApplyError';
}

/** `npm pack` (or `npm root -g`) failed: a network or registry problem, not bad input. Exit 1. */
export class KitFetchError extends FailedError {
  override name = 'KitFetchError';
}

/** Names main() prints without a stack trace. */
export const KIT_ERROR_NAMES = [
  'KitError',
  'KitManifestError',
  'KitCodeError',
  'KitPathEscapeError',
  'KitTargetPathError',
  'KitHelperError',
  'KitCertificateError',
  'KitArchiveError',
  'KitNotFoundError',
  'KitApplyError',
  'KitFetchError',
];
