import { asString } from './common.js';
import { defineStack } from './define.js';
import { context, sourceEdits } from './nextjs-context.js';
import { dependencyVersion, detect } from './nextjs-detect.js';
import { nextSteps } from './nextjs-next-steps.js';
import { questions } from './nextjs-questions.js';
import { runScriptCommand, type PackageManagerId } from './node-package-managers.js';

// Other modules (the Next.js workspace stack, workspace detection, tests) import these from here.
export { detectPackageManager, nodeMajorFrom, publicEnvNames, type NextFacts } from './nextjs-detect.js';
export type { NextContext } from './nextjs-context.js';

export const nextjs = defineStack({
  id: 'nextjs',
  title: 'Next.js',
  matches: (project) => dependencyVersion(project.readJson('package.json'), 'next') !== undefined,
  detect,
  questions,
  context,
  sourceEdits,
  installCommand: (ctx) => ({ command: ctx.pm.id, args: ['install'] }),
  // The chosen package manager runs the scripts, whichever ran us.
  runScript: (answers) => (script) => runScriptCommand(asString(answers['pm']) as PackageManagerId, script),
  nextSteps,
});
