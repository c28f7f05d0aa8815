/** Exit codes promised in the help text and PRODUCT.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** Bad flags, bad values or a missing answer: exit 2. The message names the flag. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user pressed Ctrl-C (or Esc) at a prompt: exit 130 with nothing written. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled: nothing was written.') {
    super(message);
  }
}

/** The run could not complete (conflicts without --force, unreadable project, write failure): exit 1. */
export class FailedError extends Error {
  override name = 'FailedError';
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CancelledError) return EXIT.cancelled;
  return EXIT.failed;
}

/** A flag contradicts an answer the run's kit locks (without --force): a usage error, exit 2. */
export class LockedAnswerError extends UsageError {
  override name = 'LockedAnswerError';
}
