import path from 'node:path';
import { UsageError } from '../errors.js';
import { EXIT } from '../errors.js';
import type { AnyStack } from '../stacks/types.js';
import { paint, type Output } from '../ui.js';
import { attempt, validateDirectory, valueOr } from '../validate.js';
import { checkStacks, printKitSummary, printStackChecks } from './check.js';
import { KitError, KitFetchError } from './errors.js';
import { initKit } from './init.js';
import { loadKit } from './load.js';
import type { NpmRunner } from '../npm.js';

export interface KitCommandEnvironment {
  cwd: string;
  out: Output;
  npm: NpmRunner;
  stacks: AnyStack[];
  version: string;
}

const USAGE = 'Usage: create-multistage kit init <dir> | create-multistage kit check <dir | file.tgz | npm package>';

function oneArgument(args: string[], what: string): string {
  const rest = args.slice(1);
  if (rest.length !== 1 || rest[0]!.startsWith('-')) throw new UsageError(`kit ${args[0]} takes one argument, ${what}.\n${USAGE}`);
  return valueOr(
    attempt(() => validateDirectory(rest[0]!)),
    (why) => new UsageError(`kit ${args[0]}: the argument ${why}.`),
  );
}

/** `kit init <dir>` and `kit check <spec>`. Exit 0 when the kit is good, 1 when it is not, 2 for bad usage. */
export async function runKitCommand(args: string[], environment: KitCommandEnvironment): Promise<number> {
  const { out } = environment;
  if (args[0] === 'init') {
    const dir = oneArgument(args, 'the directory to create the kit in');
    const result = initKit(dir, environment.cwd, environment.version);
    out.info(`Kit skeleton written to ${paint.cyan(path.relative(environment.cwd, result.dir) || '.')}:`);
    for (const file of result.files) out.info(`  ${paint.green('create')}    ${file}`);
    out.info('Next steps:');
    out.info(`  edit ${path.join(path.relative(environment.cwd, result.dir) || '.', 'multistage-kit.json')} (replace registry.example.com with your mirror)`);
    out.info(`  create-multistage kit check ${path.relative(environment.cwd, result.dir) || '.'}`);
    return EXIT.ok;
  }

  const spec = oneArgument(args, 'the kit: a directory, a .tgz file or an npm package name');
  let kit;
  try {
    kit = loadKit(spec, { baseDir: environment.cwd, projectDir: environment.cwd, npm: environment.npm }, environment.stacks);
  } catch (error) {
    // An invalid kit is the answer to "check", not a usage error.
    if (error instanceof KitError || error instanceof KitFetchError) {
      out.error(paint.red(`✗ ${error.message}`));
      return EXIT.failed;
    }
    throw error;
  }
  printKitSummary(kit, out);
  out.info('');
  const results = await checkStacks(kit, environment.stacks);
  printStackChecks(results, out);
  const failed = results.filter((r) => !r.ok);
  const rendered = results.filter((r) => r.ok && !r.skipped).length;
  out.info('');
  if (failed.length > 0) {
    out.error(paint.red(`Kit check failed: ${failed.length} of ${results.length} renders failed. Nothing was written.`));
    return EXIT.failed;
  }
  out.info(paint.green(`Kit check passed: ${rendered} renders, nothing written.`));
  return EXIT.ok;
}
