/**
 * `kit check`: validates a kit and renders every stack (built-in and the
 * kit's own) with it, for a new project and for an existing one, through the
 * same answers → render → kit post-processing → plan steps a run takes.
 * Nothing is written to the user's tree: the sample projects live in a
 * temporary folder that is removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveAnswers, type AnswerSource } from '../answers.js';
import { generate } from '../pipeline.js';
import { TOOL_VERSION } from '../upgrade/version.js';
import { Project } from '../project.js';
import type { Answers, Mode, AnyStack } from '../stacks/types.js';
import { paint, type Output } from '../ui.js';
import { attempt, validateImageRef, valueOr } from '../validate.js';
import { kitPlugin } from './plugin.js';
import { describeDockerfile } from './dockerfile.js';
import type { Kit } from './load.js';

export interface StackCheck {
  stack: string;
  mode: Mode;
  ok: boolean;
  /** Why it failed, or why it was skipped. */
  problem?: string;
  skipped?: boolean;
  files: string[];
  images: string[];
  kitAnswers: string[];
}

const SAMPLE_NAME = 'sample-app';

async function renderSample(stack: AnyStack, kit: Kit, projectDir: string, mode: Mode): Promise<{ files: Map<string, string>; images: string[]; kitAnswers: string[] }> {
  const project = new Project(projectDir);
  const detection = await stack.detect(project);
  detection.values['name'] ??= SAMPLE_NAME;
  const plugin = kitPlugin(kit, []).forStack(stack);
  const resolved = await resolveAnswers({
    stackId: stack.id,
    questions: stack.questions,
    flags: {},
    detection,
    mode,
    yes: true,
    plugin: { name: kit.name, ...plugin.answers },
  });
  const answers: Answers = { ...resolved.answers, compose: true };
  const { rendered, plan } = await generate(stack, { answers, detection, project, mode }, { plugin, scripts: true, version: TOOL_VERSION });
  const blocked = plan.filter((entry) => entry.action === 'blocked');
  if (blocked.length > 0) throw new Error(blocked.map((entry) => entry.reason).join('; '));
  const dockerfile = rendered.docker.find((file) => file.path === 'Dockerfile');
  if (!dockerfile) throw new Error('no Dockerfile was rendered');
  const { stages, images } = await describeDockerfile(dockerfile.content);
  if (!stages.includes('production')) throw new Error(`the Dockerfile has no production stage (stages: ${stages.join(', ')})`);
  for (const image of images) {
    valueOr(
      attempt(() => validateImageRef(image)),
      (why) => new Error(`the Dockerfile uses the image ${image}, which ${why}`),
    );
  }
  const files = new Map<string, string>();
  for (const entry of plan) files.set(entry.path, entry.content);
  const kitAnswers = Object.entries(resolved.sources)
    .filter((entry): entry is [string, AnswerSource] => entry[1] === 'locked' || entry[1] === 'kit')
    .map(([key, source]) => `--${key} ${String(answers[key])} (${source === 'locked' ? 'locked' : 'kit default'})`);
  return { files, images, kitAnswers };
}

/** Renders every stack with the kit; the result per stack and mode. */
export async function checkStacks(kit: Kit, builtins: AnyStack[]): Promise<StackCheck[]> {
  const stacks = [...builtins, ...kit.dataStacks.map((d) => d.module)];
  const results: StackCheck[] = [];
  // Ctrl-C (or SIGTERM) while the samples render: remove the scratch folder, then stop as cancelled.
  // Node restores a signal's default action (die on the spot) whenever it has no listener, so the
  // listeners go on before the folder exists and come off only after it is gone: there is no moment
  // at which a signal can end the process with the folder still on disk.
  const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  let root: string | undefined = undefined; // set once the listeners are on (below)
  const removeScratch = (): void => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    removeScratch();
    process.exit(SIGNAL_CODES[signal] ?? 1);
  };
  const signals = Object.keys(SIGNAL_CODES) as NodeJS.Signals[];
  // First in line: another SIGINT listener that exits would otherwise end the process before this one runs;
  // and any other way out of the process (process.exit elsewhere) still removes the folder.
  for (const signal of signals) process.prependListener(signal, onSignal);
  process.on('exit', removeScratch);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-kit-check-'));
  try {
    for (const stack of stacks.filter((s) => !s.existingOnly)) {
      const newDir = path.join(root, stack.id, 'new', SAMPLE_NAME);
      let sample: Map<string, string> | undefined;
      try {
        const rendered = await renderSample(stack, kit, newDir, 'new');
        sample = rendered.files;
        results.push({ stack: stack.id, mode: 'new', ok: true, files: [...rendered.files.keys()], images: rendered.images, kitAnswers: rendered.kitAnswers });
      } catch (error) {
        results.push({ stack: stack.id, mode: 'new', ok: false, problem: (error as Error).message, files: [], images: [], kitAnswers: [] });
      }

      // The existing sample is the new project as it would be written (or, for a
      // kit stack without app files, its marker files), then detected again.
      const existingDir = path.join(root, stack.id, 'existing', SAMPLE_NAME);
      fs.mkdirSync(existingDir, { recursive: true });
      for (const [rel, content] of sample ?? []) {
        const target = path.join(existingDir, ...rel.split('/'));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
      const data = kit.dataStacks.find((d) => d.module === stack);
      for (const marker of data?.markers ?? []) {
        const target = path.join(existingDir, ...marker.split('/'));
        if (fs.existsSync(target)) continue;
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, '');
      }
      if (!stack.matches(new Project(existingDir))) {
        const why = sample ? 'no existing sample could be made from the new project' : 'the new project did not render, so there is no existing sample';
        results.push({ stack: stack.id, mode: 'existing', ok: true, skipped: true, problem: why, files: [], images: [], kitAnswers: [] });
        continue;
      }
      try {
        const rendered = await renderSample(stack, kit, existingDir, 'existing');
        results.push({ stack: stack.id, mode: 'existing', ok: true, files: [...rendered.files.keys()], images: rendered.images, kitAnswers: rendered.kitAnswers });
      } catch (error) {
        results.push({ stack: stack.id, mode: 'existing', ok: false, problem: (error as Error).message, files: [], images: [], kitAnswers: [] });
      }
    }
  } finally {
    removeScratch();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', removeScratch);
  }
  return results;
}

export function printKitSummary(kit: Kit, out: Output): void {
  out.info(`Kit ${paint.bold(kit.name)} ${kit.version} ${paint.dim(`(${kit.origin})`)}`);
  if (kit.description) out.info(`  ${kit.description}`);
  const configured = Object.keys(kit.configs);
  if (configured.length) out.info(`  configures: ${configured.join(', ')}`);
  for (const data of kit.dataStacks) {
    const flags = data.module.questions.map((q) => `--${q.flag}`).join(' ');
    out.info(`  adds the stack ${paint.bold(data.module.id)} (${data.module.title}): ${flags}`);
  }
}

export function printStackChecks(results: StackCheck[], out: Output): void {
  for (const result of results) {
    const label = `${result.stack} ${result.mode}`.padEnd(22);
    if (!result.ok) {
      out.info(`  ${paint.red('✗')} ${label} ${result.problem}`);
      continue;
    }
    if (result.skipped) {
      out.info(`  ${paint.dim('-')} ${label} ${paint.dim(`skipped: ${result.problem}`)}`);
      continue;
    }
    out.info(`  ${paint.green('✓')} ${label} ${result.files.join(', ')}`);
    if (result.images.length) out.info(paint.dim(`      images: ${result.images.join(', ')}`));
    if (result.kitAnswers.length) out.info(paint.dim(`      kit answers: ${result.kitAnswers.join(', ')}`));
  }
}
