/**
 * What an existing Go project tells us: go.mod (module path, `go` and
 * `toolchain` lines, local `replace` targets), its main packages, go.sum,
 * vendor/, cgo use and, when the code makes it obvious, the port.
 *
 * Everything here reads through Project (read-only, bounded walks) and returns
 * plain data. Paths and names that reach a template are checked here against a
 * strict grammar; anything else is dropped with a note, never passed on.
 */
import { DEFAULTS } from '../defaults.js';
import type { Project } from '../project.js';
import { toProjectName, validatePort } from '../validate.js';

/** A main package: one binary, one production target. */
export interface GoMain {
  /** Target and binary name: `cmd/api` → `api`; the root package is named after the module path. */
  name: string;
  /** Directory relative to the project, POSIX: `.` or `cmd/api`. */
  dir: string;
  /** The binary has a `-healthcheck` flag (as generated projects do), so HEALTHCHECK can run it on any runtime. */
  selfHealthcheck: boolean;
  /** The package's own code listens (ListenAndServe, net.Listen, a port): it is a server, not a command. */
  server: boolean;
}

export interface GoFacts {
  modulePath: string;
  /** The `go` line (`1.24`, `1.24.2`), or ''. */
  goLine: string;
  /** The `toolchain` line without its `go` prefix (`1.25.1`), or ''. */
  toolchain: string;
  hasGoSum: boolean;
  /** A vendor/ directory next to go.mod: build with -mod=vendor and download nothing. */
  vendor: boolean;
  /** The code imports "C" (or needs a cgo-only module): build with cgo on the target platform. */
  cgo: boolean;
  mains: GoMain[];
  /** Directories inside the project that `replace` directives point to: their go.mod is needed before `go mod download`. */
  localReplaces: string[];
  /** Build-output directories safe to leave out of the build context (no Go source in them). */
  ignoredOutputDirs: string[];
}

export interface GoDetection {
  facts: GoFacts;
  /** Major.minor Go line the project asks for, or undefined when go.mod names none usable. */
  goVersion: string | undefined;
  port: number | undefined;
  notes: string[];
}

/** A directory path that is safe to put into a Dockerfile line: plain segments, no `..`, no leading `/`. */
const SAFE_DIR = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]*)(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

export function isSafeDir(dir: string): boolean {
  return dir === '.' || (SAFE_DIR.test(dir) && !dir.split('/').includes('..'));
}

/** Modules that only work with cgo: a project requiring them needs CGO_ENABLED=1 even without `import "C"` of its own. */
const CGO_ONLY_MODULES = ['github.com/mattn/go-sqlite3', 'github.com/confluentinc/confluent-kafka-go'];

/** The oldest Go the images and validators accept. */
const OLDEST_MINOR = 18;

export interface GoMod {
  modulePath: string;
  goLine: string;
  toolchain: string;
  /** Replacement paths of `replace ... => <local path>` directives, as written. */
  localReplacePaths: string[];
  requires: string[];
}

function stripComment(line: string): string {
  const at = line.indexOf('//');
  return (at === -1 ? line : line.slice(0, at)).trim();
}

/** A small go.mod reader: the directives we need, single-line and block forms. */
export function parseGoMod(text: string): GoMod {
  const result: GoMod = { modulePath: '', goLine: '', toolchain: '', localReplacePaths: [], requires: [] };
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw);
    if (line === '') continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      handleDirective(block, line, result);
      continue;
    }
    const open = /^(\w+)\s*\($/.exec(line);
    if (open) {
      block = open[1];
      continue;
    }
    const directive = /^(\w+)\s+(.*)$/.exec(line);
    if (directive) handleDirective(directive[1]!, directive[2]!, result);
  }
  return result;
}

function handleDirective(verb: string, rest: string, mod: GoMod): void {
  const unquote = (s: string): string => s.replace(/^"(.*)"$/, '$1').replace(/^`(.*)`$/, '$1');
  switch (verb) {
    case 'module':
      mod.modulePath = unquote(rest.trim());
      break;
    case 'go':
      if (/^1\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?$/.test(rest.trim())) mod.goLine = rest.trim();
      break;
    case 'toolchain': {
      const match = /^go(1\.\d+(?:\.\d+)?)(?:[-+].*)?$/.exec(rest.trim());
      if (match) mod.toolchain = match[1]!;
      break;
    }
    case 'require':
      mod.requires.push(unquote(rest.trim().split(/\s+/)[0] ?? ''));
      break;
    case 'replace': {
      const [, target] = rest.split('=>');
      const replacement = unquote((target ?? '').trim().split(/\s+/)[0] ?? '');
      if (/^\.{1,2}\//.test(replacement) || replacement.startsWith('/')) mod.localReplacePaths.push(replacement);
      break;
    }
    default:
      break;
  }
}

/** `1.24.2` → [1, 24, 2]; used to compare Go versions. */
export function goVersionParts(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

export function compareGoVersions(a: string, b: string): number {
  const pa = goVersionParts(a);
  const pb = goVersionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `1.24.2` → `1.24`: images are picked by release line, whose newest patch satisfies any patch go.mod asks for. */
export function goLineOf(version: string): string {
  const [major, minor] = goVersionParts(version);
  return `${major}.${minor}`;
}

/** Build constraints that keep a file out of a normal build (`//go:build ignore`, generator scripts). */
function excludedByBuildTag(source: string): boolean {
  const constraint = /^\/\/go:build\s+(.+)$/m.exec(source)?.[1] ?? '';
  return /(^|[\s(!&|])ignore\b/.test(constraint) && !/!ignore\b/.test(constraint);
}

/** A file that imports "C", unless it is guarded by a `cgo` build tag (then a pure-Go variant exists). */
function importsC(source: string): boolean {
  const single = /^\s*import\s+"C"\s*$/m.test(source);
  const grouped = /^\s*import\s*\(([^)]*)\)/gm;
  let inGroup = false;
  for (const match of source.matchAll(grouped)) {
    if (/^\s*"C"\s*$/m.test(match[1]!)) inGroup = true;
  }
  if (!single && !inGroup) return false;
  const constraint = /^\/\/go:build\s+(.+)$/m.exec(source)?.[1] ?? '';
  return !/(^|[\s(&|])cgo\b/.test(constraint);
}

function isMainFile(source: string): boolean {
  return /^\s*package\s+main\s*(?:\/\/.*)?$/m.test(source) && !excludedByBuildTag(source);
}

const HEALTHCHECK_FLAG = /flag\.Bool(?:Var)?\([^)]*"healthcheck"/;

/**
 * The binary name for the root main package: the module path's last element,
 * skipping a major-version suffix (`example.com/tool/v2` → `tool`), as `go build` names it.
 */
export function rootMainName(modulePath: string): string | undefined {
  const parts = modulePath.split('/').filter(Boolean);
  let last = parts[parts.length - 1] ?? '';
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  return toProjectName(last);
}

function goFilesIn(project: Project, dir: string): string[] {
  return project
    .listDir(dir)
    .filter((file) => file.endsWith('.go') && !file.endsWith('_test.go'))
    .map((file) => (dir === '.' ? file : `${dir}/${file}`))
    .filter((rel) => project.isFile(rel));
}

/** Code that serves: the standard library's listeners, an http.Server, gRPC. */
const SERVER_CODE = /\b(?:ListenAndServe(?:TLS)?|net\.Listen(?:TCP|UDP|Packet)?|http\.Server\s*\{|grpc\.NewServer|\.Serve\()/;

function mainPackageAt(project: Project, dir: string): { selfHealthcheck: boolean; server: boolean } | undefined {
  const files = goFilesIn(project, dir);
  const sources = files.map((rel) => project.readText(rel) ?? '').filter(isMainFile);
  if (!sources.some((source) => /^func\s+main\s*\(\s*\)/m.test(source))) return undefined;
  const server = sources.some((source) => SERVER_CODE.test(source)) || portsIn(project, files).size > 0;
  return { selfHealthcheck: sources.some((source) => HEALTHCHECK_FLAG.test(source)), server };
}

/** Main packages: the root and `cmd/*`; elsewhere (two levels deep) only when those have none. */
function detectMains(project: Project, modulePath: string, goFiles: string[], notes: string[]): GoMain[] {
  const candidates: { dir: string; name: string | undefined }[] = [{ dir: '.', name: rootMainName(modulePath) ?? 'app' }];
  for (const entry of project.listDir('cmd')) {
    if (project.isDir(`cmd/${entry}`)) candidates.push({ dir: `cmd/${entry}`, name: toProjectName(entry) });
  }
  let found = collectMains(project, candidates, notes);
  if (found.length === 0) {
    // No conventional layout: any directory up to two levels down with a main package,
    // except examples and test data, which are not what a service image ships.
    const dirs = [...new Set(goFiles.map((file) => file.split('/').slice(0, -1).join('/')).filter((dir) => dir !== '' && dir.split('/').length <= 2))];
    const others = dirs.filter((dir) => !/(^|\/)(testdata|examples?|_[^/]*)(\/|$)/.test(dir));
    found = collectMains(
      project,
      others.map((dir) => ({ dir, name: toProjectName(dir.split('/').pop()!) })),
      notes,
    );
    if (found.length > 0) notes.push(`no main package in ./ or cmd/*/; using ${found.map((m) => `./${m.dir}`).join(', ')}`);
  }
  return found;
}

/**
 * The main package in a directory the user named (`--targets ./services/api/cmd/server`),
 * wherever it sits: detection looks only so deep, the user may point deeper.
 */
export function goMainAt(project: Project, dir: string): GoMain | undefined {
  if (!isSafeDir(dir) || !project.isDir(dir)) return undefined;
  const main = mainPackageAt(project, dir);
  const name = toProjectName(dir.split('/').pop()!);
  if (!main || !name) return undefined;
  return { name, dir, selfHealthcheck: main.selfHealthcheck, server: main.server };
}

function collectMains(project: Project, candidates: { dir: string; name: string | undefined }[], notes: string[]): GoMain[] {
  const mains: GoMain[] = [];
  for (const { dir, name } of candidates) {
    const main = mainPackageAt(project, dir);
    if (!main) continue;
    if (!isSafeDir(dir) || !name) {
      notes.push(`skipped the main package in ${JSON.stringify(dir)}: its directory name cannot be used as an image target`);
      continue;
    }
    // Two directories can map to one name (cmd/API and cmd/api): keep names unique.
    let unique = name;
    for (let n = 2; mains.some((m) => m.name === unique); n++) unique = `${name}-${n}`;
    mains.push({ name: unique, dir, selfHealthcheck: main.selfHealthcheck, server: main.server });
  }
  return mains;
}

const LISTEN_LINE = /Listen|Addr|addr|[Pp]ort/;
const ADDRESS_LITERAL = /"(?:0\.0\.0\.0|localhost|127\.0\.0\.1|\[::\])?:(\d{2,5})"/g;
const PORT_DEFAULTS = [/\b\w*[Pp]ort\w*\s*(?::=|=)\s*"(\d{2,5})"/g, /Getenv\(\s*"PORT"\s*\)\s*,\s*"(\d{2,5})"/g, /flag\.(?:String|Int)(?:Var)?\([^)]*"(?:port|addr|listen|http)"\s*,\s*":?(\d{2,5})"/g];

/** Ports a set of files names where it listens (`":8080"` on a Listen/Addr line, `port := "8080"`, a PORT default). */
function portsIn(project: Project, files: string[]): Set<number> {
  const ports = new Set<number>();
  const add = (raw: string): void => {
    try {
      ports.add(validatePort(raw));
    } catch {
      /* not a port */
    }
  };
  for (const file of files) {
    const source = project.readText(file) ?? '';
    for (const line of source.split('\n')) {
      if (!LISTEN_LINE.test(line)) continue;
      for (const match of line.matchAll(ADDRESS_LITERAL)) add(match[1]!);
    }
    for (const pattern of PORT_DEFAULTS) {
      for (const match of source.matchAll(pattern)) add(match[1]!);
    }
  }
  return ports;
}

/** The port, when the main packages (or, failing that, the rest of the code) name exactly one. */
function detectPort(project: Project, mainFiles: string[], allFiles: string[], notes: string[]): number | undefined {
  let ports = portsIn(project, mainFiles);
  if (ports.size === 0) ports = portsIn(project, allFiles);
  if (ports.size === 1) return [...ports][0];
  if (ports.size > 1) notes.push(`the code names several ports (${[...ports].sort((a, b) => a - b).join(', ')}): pass --port to pick the one the image publishes`);
  return undefined;
}

export function detectGo(project: Project): GoDetection {
  const notes: string[] = [];
  const mod = parseGoMod(project.readText('go.mod') ?? '');
  if (!mod.modulePath) notes.push('go.mod has no module line');

  // Non-test Go files of the module itself; the walk skips vendor/, VCS data and build outputs.
  const goFiles = project.walk({ maxDepth: 8, limit: 5000, accept: (file) => file.endsWith('.go') && !file.endsWith('_test.go') });

  let goVersion: string | undefined;
  const wanted = [mod.goLine, mod.toolchain].filter(Boolean).sort(compareGoVersions).pop();
  if (wanted) {
    const line = goLineOf(wanted);
    if (goVersionParts(line)[1]! > goVersionParts(DEFAULTS.goVersion)[1]!) {
      // Newer than any release this version knows: used as asked, but said, since the image may not exist yet.
      notes.push(
        `go.mod asks for Go ${wanted}, newer than any release this version of create-multistage knows (newest ${DEFAULTS.goVersion}): the Dockerfile uses golang:${line} as asked; check that the image exists, or pass --go-version`,
      );
    }
    if (goVersionParts(line)[1]! >= OLDEST_MINOR) goVersion = line;
    else notes.push(`go.mod asks for Go ${wanted}, older than the images support: building with a newer Go (the go line is a minimum)`);
  }

  // Go itself switches to -mod=vendor when a vendor directory sits next to go.mod;
  // detection looks at the directory only and never reads inside it.
  const vendor = project.isDir('vendor');
  const hasGoSum = project.isFile('go.sum');
  if (!hasGoSum && !vendor && mod.requires.length > 0) {
    notes.push('go.mod requires modules but there is no go.sum: run `go mod tidy` and commit go.sum, or the build will stop at "missing go.sum entry"');
  }

  const cgoFiles = goFiles.filter((file) => importsC(project.readText(file) ?? ''));
  const cgoModules = mod.requires.filter((path) => CGO_ONLY_MODULES.includes(path));
  const cgo = cgoFiles.length > 0 || cgoModules.length > 0;
  if (cgo) {
    const why = cgoFiles.length > 0 ? `${cgoFiles[0]} imports "C"` : `${cgoModules[0]} needs cgo`;
    notes.push(`${why}: the binary is built with cgo on the target platform and runs on an image with the C library`);
  }

  const localReplaces: string[] = [];
  for (const target of mod.localReplacePaths) {
    const dir = target.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!target.startsWith('./') || !isSafeDir(dir) || dir === '.') {
      notes.push(`go.mod replaces a module with ${target}, outside the build context: the image build cannot see it`);
      continue;
    }
    if (project.isFile(`${dir}/go.mod`)) localReplaces.push(dir);
  }

  const mains = detectMains(project, mod.modulePath, goFiles, notes);
  if (project.isFile('go.work')) notes.push('go.work found: the image builds the module in the project root on its own');

  // bin/ and tmp/ usually hold build output (go build -o bin/, air): keep them out of the build
  // context unless the project keeps Go source there. dist/ (goreleaser) is output by convention
  // and, like every build-output directory, never entered.
  const ignoredOutputDirs = ['bin', 'dist', 'tmp'].filter(
    (dir) => dir === 'dist' || !project.isDir(dir) || project.walk({ rel: dir, maxDepth: 4, limit: 1, accept: (file) => file.endsWith('.go') }).length === 0,
  );

  const mainFiles = goFiles.filter((file) => mains.some((m) => (m.dir === '.' ? !file.includes('/') : file.startsWith(`${m.dir}/`))));
  const port = detectPort(project, mainFiles, goFiles, notes);

  return {
    facts: { modulePath: mod.modulePath, goLine: mod.goLine, toolchain: mod.toolchain, hasGoSum, vendor, cgo, mains, localReplaces, ignoredOutputDirs },
    goVersion,
    port,
    notes,
  };
}
