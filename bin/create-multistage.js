#!/usr/bin/env node
// Thin launcher: the CLI is bundled (with its libraries) into dist/index.js.
// CommonJS (bin/package.json), so that `--version` is answered without the ES
// module loader, which alone costs a run about 10 ms (issue 12); everything
// else imports the bundle.
/* global require */
'use strict';

// `create-multistage --dry-run | head -3`: the reader has gone. Drop the rest of
// the output quietly (as cat and grep do) and let the run finish with its own
// exit code: stopping here could cut a real run short before it writes.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // What dist/index.js prints for a lone version flag: the version it was built from.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  import('../dist/index.js').then(({ main }) =>
    main(argv).then((code) => {
      process.exitCode = code;
    }),
  );
}
