// Checker for the rules in shared/DOCKERFILE-RULES.md.
//
// hadolint and `docker build --check` cannot run on the project's machines, so
// the rules they implement (and the CIS Docker Benchmark items the contract
// names) are re-implemented here on top of dockerfile-ast (structure) and
// dockerfile-utils (its own diagnostics). Each violation carries the public
// rule id so a reader can look it up; where a rule has two public names the
// message names the other one.
//
// The checks are deliberately static and somewhat conservative: they must
// never flag the Dockerfiles the generator is supposed to produce, and they
// must catch each planted fault in test/unit/check/dockerfile-rules.test.ts. It ships in
// the CLI for `create-multistage check` and is loaded only by that command.

import { checkCacheMounts, checkCopyIgnoredFile, checkDockerignoreCoverage, checkInstallCacheMounts, checkManifestsFirst } from './rules/context.js';
import { checkApt, checkExecForm, checkForbiddenSyntax, checkInstructionForms, checkOciLabels, checkPipefail, checkSecrets, checkWorkdirAndCopyDest } from './rules/instructions.js';
import { buildModel, type CheckOptions, type Report, type Violation } from './rules/model.js';
import { checkHealthcheck, checkProductionContents, checkUser } from './rules/production.js';
import { runInfos } from './rules/shell.js';
import { checkBaseImages, checkCopyFrom, checkDockerfileUtils, checkFromAsCasing, checkInstructionCounts, checkStageNames, checkStageOrder, checkSyntaxDirective } from './rules/stages.js';

export type { CheckOptions, Violation } from './rules/model.js';

// ---------------------------------------------------------------------------
// Public API

export function checkDockerfile(text: string, options: CheckOptions = {}): Violation[] {
  const violations: Violation[] = [];
  const report: Report = (rule, message, line) => {
    violations.push(line === undefined ? { rule, message } : { rule, message, line });
  };
  const model = buildModel(text, options);
  const runs = runInfos(model);

  checkDockerfileUtils(model, report);
  checkSyntaxDirective(model, report);
  checkStageNames(model, report);
  checkFromAsCasing(model, report);
  checkCopyFrom(model, runs, report);
  checkInstructionCounts(model, report);
  checkBaseImages(model, report);
  checkExecForm(model, report);
  checkWorkdirAndCopyDest(model, runs, report);
  checkInstructionForms(model, report);
  checkPipefail(runs, report);
  checkApt(runs, report);
  checkUser(model, report);
  checkSecrets(model, report);
  checkProductionContents(model, runs, report);
  checkHealthcheck(model, report);
  checkOciLabels(model, report);
  checkStageOrder(model, options, report);
  checkForbiddenSyntax(model, report);
  checkCopyIgnoredFile(model, runs, options, report);
  checkDockerignoreCoverage(runs, options, report);
  checkCacheMounts(runs, report);
  checkInstallCacheMounts(runs, report);
  checkManifestsFirst(model, runs, report);

  // Stable sort by line so a failure message reads top to bottom; file-level findings last.
  return violations
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.line ?? Infinity) - (b.v.line ?? Infinity) || a.i - b.i)
    .map(({ v }) => v);
}

export function formatViolations(v: Violation[]): string {
  if (v.length === 0) return 'no Dockerfile rule violations';
  const lines = v.map((x) => `  ${x.line !== undefined ? `line ${String(x.line).padStart(3)}` : 'file    '}  [${x.rule}] ${x.message}`);
  return `${v.length} Dockerfile rule violation${v.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}
