import type { NextContext } from './nextjs-context.js';

/** What to run next: the dev server and the production image, and how to get a smaller image when the output is not standalone. */
export function nextSteps(ctx: NextContext, run: (script: string) => string): string[] {
  return [
    run('docker:dev') + (ctx.compose ? '   # dev server in Docker, source synced on save (compose watch)' : '   # dev server in Docker (rebuild to pick up edits; compose gives live sync)'),
    run('docker:build') + '   # production image',
    // The fallback works, but standalone output makes a much smaller image: say how to switch.
    // A re-run with --standalone only when it can make the edit (it exits 2 otherwise).
    ...(ctx.standalone || ctx.staticExport
      ? []
      : ctx.standaloneEditable
        ? [`run create-multistage again with --standalone   # adds output: 'standalone' to ${ctx.nextConfigFile}: a much smaller production image`]
        : [`add output: 'standalone' to ${ctx.nextConfigFile || 'next.config.mjs'} yourself, then run create-multistage again   # a much smaller production image`]),
  ];
}
