/**
 * Detection of a CMake project: reads its CMake files (cpp-cmake-read.ts),
 * resolves what each executable links (cpp-cmake-libraries.ts) and returns
 * the project's facts: the executables to ship or skip as tests, whether one
 * can probe itself, the libraries, the C++ standard, the project version, and
 * notes on package managers and presets the image does not use.
 */
import type { Project } from '../project.js';
import type { CppExecutable, CppFacts } from './cpp-detect.js';
import { resolveTarget } from './cpp-cmake-libraries.js';
import { projectPath, readCmakeFile, TEST_WORD } from './cpp-cmake-read.js';
import type { ReadState, TargetRecord } from './cpp-cmake-state.js';

function hasSelfProbe(project: Project, target: TargetRecord): boolean {
  for (const source of target.sources) {
    const file = projectPath(target.dir, source);
    if (file === undefined || !/\.(c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|ipp)$/i.test(file)) continue;
    if (project.readText(file)?.includes('"--healthcheck"')) return true;
  }
  return false;
}

function isTestTarget(target: TargetRecord): boolean {
  return target.conditional || TEST_WORD.test(target.name) || target.dir.split('/').some((part) => TEST_WORD.test(part));
}

/** Files that bring dependencies or settings the generated image does not apply, and what to do about each. */
const DEPENDENCY_MANIFESTS: [string, string][] = [
  [
    'vcpkg.json',
    'vcpkg dependencies are not installed in the image; the Dockerfile installs Debian packages for find_package — add the ones missing with --packages, or add a vcpkg install step to the dependencies stage',
  ],
  [
    'conanfile.*',
    'Conan dependencies are not installed in the image; the Dockerfile installs Debian packages for find_package — add the ones missing with --packages, or add a conan install step to the dependencies stage',
  ],
  ['CMakePresets.json', 'the presets are not used: the image configures with plain cmake -G Ninja -DCMAKE_BUILD_TYPE=Release; put the cache variables a build needs into the builder stage'],
];

export function detectCmake(project: Project): { facts: CppFacts; notes: string[] } {
  const state: ReadState = {
    project,
    targets: new Map(),
    aliases: new Map(),
    libraries: [],
    unknownPackages: [],
    pkgConfigPrefixes: new Map(),
    globalLinks: [],
    cxxStandards: [],
    projectName: '',
    projectVersion: '',
    usesBuildTesting: false,
    definesTests: false,
    fetchesSources: false,
    filesRead: 0,
    notes: [],
  };
  readCmakeFile(state, 'CMakeLists.txt', '', new Map(), 0);
  // Package managers and presets the image does not use: say what the user must do.
  for (const [file, advice] of DEPENDENCY_MANIFESTS) {
    const found = file === 'conanfile.*' ? project.entries().find((name) => /^conanfile\.(txt|py)$/.test(name)) : project.isFile(file) ? file : undefined;
    if (found) state.notes.push(`${found}: ${advice}`);
  }
  const executables: CppExecutable[] = [...state.targets.values()]
    .filter((t) => t.kind === 'executable')
    .map((t) => ({
      name: t.name,
      outputName: t.outputName,
      dir: t.dir,
      test: isTestTarget(t),
      selfProbe: hasSelfProbe(project, t),
      links: resolveTarget(state, t, new Set()),
    }));
  const standard = state.cxxStandards.length ? String(Math.max(...state.cxxStandards)) : '';
  return {
    facts: {
      buildSystem: 'cmake',
      projectName: state.projectName,
      projectVersion: state.projectVersion,
      cxxStandard: standard,
      executables,
      libraries: state.libraries,
      unknownPackages: state.unknownPackages,
      usesBuildTesting: state.usesBuildTesting,
      definesTests: state.definesTests,
      fetchesSources: state.fetchesSources,
      makeAllTargets: [],
    },
    notes: state.notes,
  };
}
