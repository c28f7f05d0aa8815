// dist/index.js: what the launcher imports. Only `--version` is answered here;
// every other command loads the CLI (src/index.ts) and what it needs, in chunks.
import type { MainIo } from './index.js';

declare const __PACKAGE_VERSION__: string | undefined;
const VERSION = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';

/** The whole CLI: argv in, exit code out (see src/index.ts). */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  // Exactly what the full parse prints for a lone version flag, without loading the stacks to parse it.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    (io.stdout ?? process.stdout).write(`${VERSION}\n`);
    return 0;
  }
  const cli = await import('./index.js');
  return cli.main(argv, io);
}
