import { DEFAULTS } from '../defaults.js';
import { validateChoice, validateNodeVersion } from '../validate.js';
import { asString, commonQuestions, textQuestion } from './common.js';
import { parseSwitch } from './cpp.js';
import type { NextFacts } from './nextjs-detect.js';
import { PACKAGE_MANAGERS } from './node-package-managers.js';
import type { Question, QuestionContext } from './types.js';

export const RUNTIMES = ['slim', 'distroless'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** The oldest Node.js each Next.js major runs on (its package.json `engines`). */
const NEXT_NODE_MINIMUM: Record<number, string> = { 14: '18.17.0', 15: '18.18.0', 16: '20.9.0' };

/** A line (`20`) means its newest release; a full version is compared as written. */
function meetsMinimum(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  const need = minimum.split('.').map(Number);
  if (have.length === 1) return have[0]! >= need[0]!;
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  return true;
}

/** Why a Node.js version cannot work here: no image for its line, or older than Next.js or engines.node allow. */
function nodeVersionProblem(version: string, ctx: QuestionContext<NextFacts>): string | undefined {
  const major = version.split('.')[0]!;
  if (!(DEFAULTS.nodeLines as readonly string[]).includes(major)) {
    return `${version} is not a Node.js line with ${DEFAULTS.debian} images (${DEFAULTS.nodeLines.join(', ')})`;
  }
  const nextVersion = ctx.mode === 'new' ? DEFAULTS.next : ctx.detection.facts.nextVersion;
  const nextMajor = Number(/(\d+)/.exec(nextVersion)?.[1] ?? 0);
  const nextMinimum = NEXT_NODE_MINIMUM[nextMajor];
  if (nextMinimum && !meetsMinimum(version, nextMinimum)) return `${version} is too old for Next.js ${nextMajor}, which needs Node.js ${nextMinimum} or newer`;
  const engines = ctx.detection.facts.enginesNode;
  const enginesMinimum = /^\s*(?:>=|\^|~|=)?\s*v?(\d+(?:\.\d+){0,2})/.exec(engines)?.[1];
  if (enginesMinimum && !meetsMinimum(version, enginesMinimum)) return `${version} is older than package.json's engines.node "${engines}"`;
  return undefined;
}

export const questions: Question<NextFacts>[] = [
  ...commonQuestions<NextFacts>(DEFAULTS.nextPort),
  textQuestion('node-version', 'Node.js version', validateNodeVersion, () => DEFAULTS.nodeMajor, {
    fits: (value, ctx) => nodeVersionProblem(String(value), ctx),
  }),
  {
    flag: 'pm',
    message: 'Package manager',
    type: 'select',
    choices: () => PACKAGE_MANAGERS.map((pm) => ({ title: pm, value: pm })),
    parse: (raw) => validateChoice(raw, PACKAGE_MANAGERS),
    defaultValue: (ctx) => ctx.detection.facts.invokingPm || 'npm',
  },
  {
    flag: 'runtime',
    message: 'Production runtime',
    type: 'select',
    // distroless ships Node images for LTS (even) majors only.
    choices: (ctx) => {
      const major = Number(asString(ctx.answers['node-version']).split('.')[0]);
      const choices = [{ title: 'slim', value: 'slim', description: `node:<version>-${DEFAULTS.debian}-slim, with a shell` }];
      if (!ctx.answers['node-version'] || major % 2 === 0) {
        choices.push({ title: 'distroless', value: 'distroless', description: 'gcr.io/distroless/nodejs, no shell or package manager' });
      }
      return choices;
    },
    parse: (raw) => validateChoice(raw, RUNTIMES),
    defaultValue: () => 'slim',
  },
  {
    flag: 'standalone',
    message: "Add output: 'standalone' to next.config (a much smaller production image)?",
    type: 'confirm',
    parse: parseSwitch,
    // Editing the user's source needs a yes: --yes alone leaves next.config as it is.
    defaultValue: () => false,
    // Only for an existing app without standalone output whose next.config the tool can edit safely
    // (otherwise a note says what to add by hand).
    when: (ctx) => ctx.mode === 'existing' && ctx.detection.facts.standaloneEdit?.ok === true,
    // A consent to edit next.config, not a choice the generated files record.
    header: false,
  },
];
