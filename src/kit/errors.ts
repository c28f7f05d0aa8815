import { FailedError, UsageError } from '../errors.js';

/**
 * Everything wrong with a kit is the input's fault, like a malformed flag
 * value: exit 2 with a message that names the field or file. Each kind of
 * refusal has its own class so tests (and callers) can tell them apart.
 */
export class KitError extends UsageError {
  override name = 'KitError';
}

/** A refusal class of its own name (a subclass of KitError), so tests and callers can tell the kinds apart. */
function refusal(name: string): typeof KitError {
  return class extends KitError {
    override name = name;
  };
}

/** multistage-kit.json does not match the schema; the message starts with the field path. */
export const KitManifestError = refusal('KitManifestError');
/** The manifest declares something that would be code (helpers, scripts, hooks): a kit is data only. */
export const KitCodeError = refusal('KitCodeError');
/** A template or certificate path is absolute, climbs out with `..`, or is a symlink leading out of the kit. */
export const KitPathEscapeError = refusal('KitPathEscapeError');
/** A target path for a generated file is absolute, climbs out of the project, or goes into .git/. */
export const KitTargetPathError = refusal('KitTargetPathError');
/** A kit template uses a helper, decorator or dynamic partial outside the allowed few. */
export const KitHelperError = refusal('KitHelperError');
/** A caCertificates entry is not a PEM certificate (or carries a private key). */
export const KitCertificateError = refusal('KitCertificateError');
/** A kit archive holds an entry that could write outside the extraction directory or is not a plain file. */
export const KitArchiveError = refusal('KitArchiveError');
/** The spec names no directory, archive or package that could be found. */
export const KitNotFoundError = refusal('KitNotFoundError');
/** The kit's output cannot be applied to what the stack generated (no base stage, Alpine with Debian packages...). */
export const KitApplyError = refusal('KitApplyError');

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
