/**
 * What the CMake reader keeps while it walks a project's CMake files: the
 * targets and aliases found, library keys and unknown packages, C++
 * standards, project name and version, test and fetch flags, notes. Its own
 * module because two readers fill it, the file reader (cpp-cmake-read.ts) and
 * the library resolution (cpp-cmake-libraries.ts), and cpp-cmake.ts turns it
 * into the project's facts.
 */
import type { Project } from '../project.js';

export interface TargetRecord {
  kind: 'executable' | 'library';
  name: string;
  dir: string;
  conditional: boolean;
  sources: string[];
  links: string[];
  outputName: string;
}

export interface ReadState {
  project: Project;
  targets: Map<string, TargetRecord>;
  aliases: Map<string, string>;
  /** Library keys found, in order. */
  libraries: string[];
  unknownPackages: string[];
  /** pkg_check_modules prefix → library keys (for PkgConfig::<prefix>). */
  pkgConfigPrefixes: Map<string, string[]>;
  /** Directory-wide link_libraries(): apply to every target. */
  globalLinks: string[];
  cxxStandards: number[];
  projectName: string;
  projectVersion: string;
  usesBuildTesting: boolean;
  definesTests: boolean;
  fetchesSources: boolean;
  filesRead: number;
  notes: string[];
}

export function addLibrary(state: ReadState, key: string): void {
  if (!state.libraries.includes(key)) state.libraries.push(key);
}
