import path from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import type { Plugin } from '../plugin.js';
import { Project } from '../project.js';
import type { AnyStack } from '../stacks/types.js';
import { paint, type Output } from '../ui.js';
import { templateSource, type TemplateSourceOptions } from '../upgrade/upgrade.js';
import { attempt, validateDirectory, valueOr } from '../validate.js';
import { driftOf, type DriftReport, type DriftState } from './drift.js';
import { findDockerfiles, lintDockerfile, type DockerfileFindings } from './lint.js';

export interface CheckEnvironment extends Omit<TemplateSourceOptions, 'env'> {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  stacks: AnyStack[];
  /** The project's pinned kit as a plugin, loaded by the caller; a load failure is a note. */
  loadPlugin?: (projectDir: string) => Plugin | undefined;
}

export interface CheckReport extends DriftReport {
  directory: string;
  dockerfiles: DockerfileFindings[];
  ok: boolean;
}

export const CHECK_USAGE = 'Usage: create-multistage check [dir] [--json]';

export function checkHelp(): string {
  return [
    CHECK_USAGE,
    '',
    'Reports, without writing anything, whether the generated files are as generated,',
    'edited by you, out of date with the current templates, or both; and checks every',
    'Dockerfile in the directory (generated or not) against the Dockerfile rules,',
    'each finding with its rule id, its line and a one-line fix.',
    '',
    '  --json       print the report as JSON on stdout',
    '  -h, --help   show this help',
    '',
    'Exit codes: 0 every rule holds (edits alone do not fail), 1 a rule fails, 2 bad usage.',
  ].join('\n');
}

function parseCheckArgs(args: string[]): { dir: string; json: boolean; help: boolean } {
  let dir: string | undefined;
  let json = false;
  let help = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg.startsWith('-')) throw new UsageError(`check: unknown flag ${arg}.\n${CHECK_USAGE}`);
    else if (dir !== undefined) throw new UsageError(`check takes at most one directory.\n${CHECK_USAGE}`);
    else {
      dir = valueOr(
        attempt(() => validateDirectory(arg)),
        (why) => new UsageError(`check: the directory ${why}.`),
      );
    }
  }
  return { dir: dir ?? '.', json, help };
}

const STATE_COLOR: Record<DriftState, (s: string) => string> = {
  'as-generated': paint.green,
  edited: paint.cyan,
  outdated: paint.yellow,
  'edited+outdated': paint.yellow,
  missing: paint.red,
  unknown: paint.dim,
};

/** `create-multistage check [dir]`: drift of the generated files and the rule checks of every Dockerfile. Writes nothing. */
export async function runCheckCommand(args: string[], environment: CheckEnvironment): Promise<{ code: number; report?: CheckReport; json: boolean }> {
  const { out } = environment;
  const options = parseCheckArgs(args);
  if (options.help) {
    out.info(checkHelp());
    return { code: EXIT.ok, json: false };
  }
  const project = new Project(path.resolve(environment.cwd, options.dir));
  if (!project.exists()) throw new UsageError(`check: ${options.dir} is not a directory.`);

  const notes: string[] = [];
  let plugin: Plugin | undefined;
  try {
    plugin = environment.loadPlugin?.(project.dir);
  } catch (error) {
    notes.push(`the project's kit could not be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  const stacks = plugin ? [...environment.stacks, ...plugin.stacks] : environment.stacks;
  const drift = await driftOf(project, stacks, plugin, templateSource(environment));
  const dockerfiles = findDockerfiles(project).map((rel) => lintDockerfile(project, rel));
  const ok = dockerfiles.every((d) => d.findings.length === 0);
  const report: CheckReport = { directory: project.dir, ...drift, notes: [...notes, ...drift.notes, ...project.notes], dockerfiles, ok };

  if (!options.json) printCheck(report, environment.cwd, out);
  return { code: ok ? EXIT.ok : EXIT.failed, report, json: options.json };
}

function printCheck(report: CheckReport, cwd: string, out: Output): void {
  out.info(`check ${paint.cyan(path.relative(cwd, report.directory) || '.')}`);
  if (report.generated) {
    const kit = report.generated.kit ? `, kit ${report.generated.kit.name} ${report.generated.kit.version}` : '';
    out.info(`\nGenerated files (${report.generated.stack}, create-multistage ${report.generated.version}${kit}):`);
    for (const file of report.files) out.info(`  ${STATE_COLOR[file.state](file.state.padEnd(16))} ${file.path}`);
  }
  for (const note of report.notes) out.info(paint.yellow(`  note: ${note}`));
  if (report.dockerfiles.length === 0) out.info('\nNo Dockerfile found.');
  for (const dockerfile of report.dockerfiles) {
    out.info(
      `\n${dockerfile.path}: ${dockerfile.findings.length === 0 ? paint.green('every rule holds') : paint.red(`${dockerfile.findings.length} finding${dockerfile.findings.length === 1 ? '' : 's'}`)}`,
    );
    for (const finding of dockerfile.findings) {
      out.info(`  ${dockerfile.path}:${finding.line ?? '-'}  ${paint.bold(finding.rule)}  ${finding.message}`);
      out.info(`      fix: ${finding.fix}`);
    }
  }
  out.info(report.ok ? paint.green('\nAll checks passed.') : paint.red('\nSome rules fail (exit 1).'));
}
