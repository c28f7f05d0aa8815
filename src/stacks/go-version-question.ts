/**
 * The `--go-version` question of the Go stacks (a module, a go.work
 * workspace): checked against the oldest Go the project's own file names.
 */
import { DEFAULTS } from '../defaults.js';
import { validateGoVersion } from '../validate.js';
import { compareGoVersions, goLineOf, goVersionParts } from './go-detect.js';
import type { Detection, Question } from './types.js';

export interface GoMinimum<Facts> {
  /** The file whose `go`/`toolchain` line sets the minimum: `go.mod` or `go.work`. */
  file: string;
  /** That minimum, when detection found one. */
  of(detection: Detection<Facts>): string | undefined;
  /** What else the user can do about a version below it (`lower the go line in go.mod`). */
  orElse?: string;
}

export function goVersionQuestion<Facts>(source: GoMinimum<Facts>): Question<Facts> {
  return {
    flag: 'go-version',
    message: 'Go version',
    type: 'text',
    parse: validateGoVersion,
    defaultValue: () => DEFAULTS.goVersion,
    // The `go`/`toolchain` line is the minimum the project builds with: an older
    // builder would try to download a newer toolchain during the build (or fail).
    fits: (value, ctx) => {
      const minimum = source.of(ctx.detection);
      if (!minimum) return undefined;
      // A line (1.24) means its newest patch, which meets any 1.24.x; a patch release is compared exactly.
      const version = String(value);
      const floor = goVersionParts(version).length > 2 ? minimum : goLineOf(minimum);
      if (compareGoVersions(version, floor) >= 0) return undefined;
      return `${version} is older than ${source.file}'s minimum Go ${minimum}; use ${goLineOf(minimum)} or newer${source.orElse ? ` (or ${source.orElse})` : ''}`;
    },
  };
}
