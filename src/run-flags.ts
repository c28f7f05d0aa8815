/**
 * The names of the run's own flags (cli.ts holds their behaviour). They live
 * apart so a kit's manifest can refuse a question that would take one of them
 * without importing the command line: src/kit/ sits below the run's entry.
 */
export const RUN_FLAG_NAMES = ['stack', 'kit', 'ci', 'yes', 'compose', 'no-compose', 'no-scripts', 'skip-install', 'dry-run', 'force', 'json', 'help', 'version'] as const;

export type RunFlagName = (typeof RUN_FLAG_NAMES)[number];

/** Flag names a stack question (for example one a kit defines) may not take. */
export const RESERVED_FLAGS: readonly string[] = [...RUN_FLAG_NAMES, 'scripts'];
