/**
 * Which executables a C++ image ships: the new project's pair (a service and
 * a command-line tool around one library), or the --targets of an existing
 * project checked against what detection found. Separate from the context
 * (cpp-context.ts), which turns each shipped executable into its stages.
 */
import { DEFAULTS } from '../defaults.js';
import { UsageError } from '../errors.js';
import type { CppExecutable, CppFacts } from './cpp-detect.js';

/** The new project: a service (first) and a command-line tool sharing one static library. */
export const NEW_PROJECT_TARGETS = ['server', 'cli'];
export const NEW_PROJECT_LIBRARY = 'common';
export const NEW_PROJECT_VERSION = '0.1.0';

export function newProjectFacts(targets: string[]): CppFacts {
  return {
    buildSystem: 'cmake',
    projectName: '',
    projectVersion: NEW_PROJECT_VERSION,
    cxxStandard: DEFAULTS.cppStandard,
    executables: targets.map((name, index) => ({ name, outputName: name, dir: 'apps', test: false, selfProbe: index === 0, links: [] })),
    libraries: [],
    unknownPackages: [],
    // The new CMakeLists.txt includes CTest and adds tests/http_test.cpp under if(BUILD_TESTING).
    usesBuildTesting: true,
    definesTests: true,
    fetchesSources: false,
    makeAllTargets: [],
  };
}

export function checkTargets(mode: 'new' | 'existing', facts: CppFacts, targets: string[]): CppExecutable[] {
  if (targets.length === 0) {
    const hint = facts.makeAllTargets.length ? ` (e.g. --targets ${facts.makeAllTargets.join(',')})` : ' (e.g. --targets server,cli)';
    throw new UsageError(`--targets is required for a Makefile project: name the binaries \`make <name>\` builds${hint}.`);
  }
  if (mode === 'new') {
    if (targets.length !== 2) throw new UsageError(`--targets for a new project names its two executables, the service and the command-line tool (e.g. server,cli); got ${targets.join(',')}.`);
    if (targets.includes(NEW_PROJECT_LIBRARY)) throw new UsageError(`--targets: "${NEW_PROJECT_LIBRARY}" is the name of the new project's shared library; choose another executable name.`);
    return newProjectFacts(targets).executables;
  }
  if (facts.buildSystem !== 'cmake') {
    // A program found in the Makefiles carries its directory; any other name is the user's word for what `make <name>` builds.
    return targets.map((name) => facts.executables.find((e) => e.name === name) ?? { name, outputName: name, dir: '', test: false, selfProbe: false, links: null });
  }
  return targets.map((name) => {
    const found = facts.executables.find((e) => e.name === name);
    if (!found) {
      const known = facts.executables.map((e) => e.name);
      throw new UsageError(`--targets: ${name} is not an add_executable() target of this CMake project (${known.length ? `found: ${known.join(', ')}` : 'none found'}).`);
    }
    return found;
  });
}
