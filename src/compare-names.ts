/**
 * The order files are listed and walked in: case-folded, then by code unit.
 *
 * This was `localeCompare`, whose first call loads ICU's collator: about
 * 14 ms of every run's start-up (issue 12). For the ASCII names we list the
 * two orders agree but for `_` and `@` against letters and digits, and which
 * of two names differing only in case comes first.
 */
export function compareNames(a: string, b: string): number {
  const foldedA = a.toLowerCase();
  const foldedB = b.toLowerCase();
  if (foldedA !== foldedB) return foldedA < foldedB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
