#!/usr/bin/env node
// Thin launcher: the CLI is bundled (with its libraries) into dist/index.js.
import { main } from '../dist/index.js';

// `create-multistage --dry-run | head -3`: the reader has gone. Drop the rest of
// the output quietly (as cat and grep do) and let the run finish with its own
// exit code: stopping here could cut a real run short before it writes.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
