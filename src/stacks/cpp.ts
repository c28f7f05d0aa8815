/**
 * The C++ stack (CMake, plain Makefile and autotools projects, or a new CMake
 * project): which trees it takes, what detection reports, and the stack
 * definition wiring its questions (cpp-questions.ts) and context
 * (cpp-context.ts) together. The build-file readers are cpp-cmake*.ts,
 * cpp-make.ts and cpp-autotools.ts.
 */
import type { Project } from '../project.js';
import { toProjectName } from '../validate.js';
import { defineStack, type DetectInput } from './define.js';
import { configureAcOf, isAutotools } from './cpp-autotools.js';
import { detectCmake } from './cpp-cmake.js';
import { context, headerAnswers } from './cpp-context.js';
import { detectAutotools, detectMakefile, libraryInfo, makefileOf, type CppDetection, type CppExecutable, type CppFacts } from './cpp-detect.js';
import { questions } from './cpp-questions.js';
import { detectSourcePort, hasCppSources } from './cpp-sources.js';
import type { Answers, Detection } from './types.js';

// The Next.js stacks take their yes/no parser from this, the stack's entry module.
export { parseSwitch } from './cpp-questions.js';

function projectNameFrom(project: Project, facts: CppFacts): string | undefined {
  const pkgName = project.readJson('package.json')?.['name'];
  if (typeof pkgName === 'string' && toProjectName(pkgName)) return toProjectName(pkgName);
  return facts.projectName ? toProjectName(facts.projectName) : undefined;
}

function describeLibraries(keys: string[]): string {
  return keys
    .map((key) => libraryInfo(key))
    .filter((info) => info !== undefined && info.build.length > 0)
    .map((info) => `${info!.name} (${info!.build.filter((p) => p !== 'ca-certificates').join(', ')})`)
    .join(', ');
}

/** Where a program lands, for the plan: `src/kvd`, or `./kvd`. */
const programPath = (e: CppExecutable): string => (e.dir ? `${e.dir}/${e.outputName}` : `./${e.outputName}`);

function makeNotes(facts: CppFacts, makefile: string): string[] {
  const notes: string[] = [];
  const make = facts.make!;
  const shipped = facts.executables.filter((e) => !e.test);
  const skipped = facts.executables.filter((e) => e.test);
  if (facts.buildSystem === 'autotools') {
    const steps = facts.autotools!.hasConfigure ? './configure' : `autoreconf -fi (no configure script is shipped), then ./configure`;
    notes.push(`autotools project (${facts.autotools!.configureAc || 'configure'}): the builder runs ${steps} --prefix=/usr/local; each target runs make and make install DESTDIR=/staging`);
  } else if (make.delegatesTo.length > 0) {
    const how = make.catchAll ? 'a catch-all rule forwards every goal' : 'its rules run make there';
    notes.push(`${makefile} hands the build to ${make.delegatesTo.map((d) => `${d}/`).join(', ')} (${how})`);
  }
  if (shipped.length > 0) notes.push(`programs: ${shipped.map((e) => `${e.name} (built as ${programPath(e)})`).join(', ')}`);
  else if (facts.buildSystem === 'make') {
    const hint = facts.makeAllTargets.length ? ` (its all: target lists ${facts.makeAllTargets.join(' ')})` : '';
    notes.push(`${makefile} project: no rule that links a program was found; --targets names the binaries \`make <name>\` builds${hint}`);
  }
  if (skipped.length > 0) notes.push(`not shipping test or benchmark programs: ${skipped.map((e) => e.name).join(', ')} (name them with --targets to ship them)`);
  if (make.bundled.length > 0) notes.push(`bundled dependencies, built by the project's own build: ${make.bundled.map((d) => `${d.dir} (${d.build})`).join(', ')}`);
  if (make.tools.length > 0) notes.push(`build tools the Makefiles run: ${make.tools.join(', ')}`);
  if (make.install && facts.buildSystem === 'make') notes.push(`the install rule stages with ${make.install}: --make-install takes the binaries from \`make install ${make.install}=/staging\``);
  return notes;
}

async function detect(project: Project, { previous }: DetectInput): Promise<Detection<CppDetection>> {
  const values: Answers = { ...previous };
  const notes: string[] = [];
  const makefile = makefileOf(project);
  const hasCmake = project.isFile('CMakeLists.txt');
  const autotools = !hasCmake && isAutotools(project);
  if (!hasCmake && !makefile && !autotools) return { existing: false, values, facts: undefined, notes };
  if (hasCmake && (makefile || configureAcOf(project))) {
    const other = configureAcOf(project) ?? makefile!;
    notes.push(`found both CMakeLists.txt and ${other}: using CMake (the ${other} build is not used; delete or rename CMakeLists.txt to build with it)`);
  }

  const { facts, notes: readNotes } = hasCmake ? detectCmake(project) : autotools ? detectAutotools(project) : detectMakefile(project, makefile!);
  notes.push(...readNotes);
  const name = projectNameFrom(project, facts);
  if (name && values['name'] === undefined) values['name'] = name;

  if (facts.buildSystem === 'cmake') {
    const shipped = facts.executables.filter((e) => !e.test);
    const skipped = facts.executables.filter((e) => e.test);
    if (values['targets'] === undefined && shipped.length > 0) values['targets'] = shipped.map((e) => e.name);
    if (facts.executables.length === 0) notes.push('CMakeLists.txt defines no add_executable(): there is nothing to ship');
    if (skipped.length > 0) notes.push(`not shipping test, benchmark or example executables: ${skipped.map((e) => e.name).join(', ')} (name them with --targets to ship them)`);
  } else {
    const shipped = facts.executables.filter((e) => !e.test);
    if (values['targets'] === undefined && shipped.length > 0) values['targets'] = shipped.map((e) => e.name);
    notes.push(...makeNotes(facts, makefile ?? 'Makefile'));
  }
  if (values['port'] === undefined) {
    const port = detectSourcePort(project);
    if (port !== undefined) {
      values['port'] = port;
      notes.push(`port ${port}: the only listening port the sources name`);
    }
  }
  const libraries = describeLibraries(facts.libraries);
  if (libraries) notes.push(`libraries: ${libraries}`);
  for (const unknown of facts.unknownPackages) {
    notes.push(`no Debian package known for ${unknown}: add its -dev package and its runtime library with --packages (e.g. --packages libfoo-dev,libfoo1)`);
  }
  if (facts.fetchesSources) notes.push('the build downloads sources at configure time (FetchContent / ExternalProject): git and CA certificates are installed and the build needs network access');
  return { existing: true, values, facts, notes };
}

function matches(project: Project): boolean {
  if (project.isFile('CMakeLists.txt')) return true;
  if (isAutotools(project) && !project.isFile('go.mod') && hasCppSources(project)) return true;
  // A Makefile alone could drive any language: count it only next to C/C++ sources and without go.mod.
  return makefileOf(project) !== undefined && !project.isFile('go.mod') && hasCppSources(project);
}

export const cpp = defineStack({
  id: 'cpp',
  title: 'C++',
  matches,
  detect,
  questions,
  context,
  headerAnswers,
  nextSteps: (ctx, run) => {
    const { extra, main } = ctx;
    return [
      `${run('docker:dev')}   # debug build in Docker, rebuilt on each start`,
      `${run('docker:build')}   # production image: ${main.outputName}`,
      ...extra.map((t) => `${run(`docker:build:${t.suffix}`)}   # production image: ${t.outputName}`),
    ];
  },
});
