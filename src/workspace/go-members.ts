/**
 * Go members of a go.work workspace: the `use` modules, plus modules inside
 * the repository that a `replace` points to (Go builds them too), each with
 * its main packages and its edges to other members.
 *
 * An edge A → B exists when A requires or imports B's module path (resolved
 * through A's own local replaces first, then go.work's, then the `use`
 * modules: Go's order), and for every local replace in A's go.mod, which Go
 * needs on disk whether or not a package of it is imported.
 */
import path from 'node:path';
import { Project } from '../project.js';
import { detectGo, parseGoMod } from '../stacks/go-detect.js';
import { dirProblem, readText } from './contained-fs.js';
import { goDirectives, goImports, localReplaces, type GoWork } from './go-work.js';
import { workspaceError, type GoMember, type GoReplace, type InternalDependency, type Result, type WorkspaceError } from './types.js';

interface Module {
  dir: string;
  listedBy: string;
  modulePath: string;
  goLine: string;
  requires: string[];
  replaces: GoReplace[];
}

function goModFile(dir: string): string {
  return dir === '.' ? 'go.mod' : `${dir}/go.mod`;
}

/** The go.mod of `dir`, or an error at `at` (the go.work or go.mod line that names the folder). */
function readModule(root: string, dir: string, listedBy: string, at: { file: string; line: number | undefined }, errors: WorkspaceError[]): Module | undefined {
  const problem = dirProblem(root, dir);
  if (problem !== undefined) {
    errors.push(workspaceError(at.file, at.line, `${dir}: ${problem}`));
    return undefined;
  }
  const file = goModFile(dir);
  const read = readText(root, file);
  if (read.kind !== 'text') {
    errors.push(workspaceError(at.file, at.line, `${dir} has no readable go.mod${read.kind === 'refused' ? ` (${read.reason})` : ''}: Go needs one in every module of the workspace`));
    return undefined;
  }
  const mod = parseGoMod(read.text);
  if (mod.modulePath === '') {
    errors.push(workspaceError(file, undefined, 'has no module line'));
    return undefined;
  }
  const replaced = localReplaces(goDirectives(read.text), file);
  errors.push(...replaced.errors);
  return { dir, listedBy, modulePath: mod.modulePath, goLine: mod.goLine, requires: mod.requires, replaces: replaced.replaces };
}

function isUnder(dir: string, parent: string): boolean {
  return parent === '.' ? dir !== '.' : dir.startsWith(`${parent}/`);
}

/** `file` relative to a module is inside the nested module at `nested` (relative to the same module). */
function inNested(file: string, nested: string[]): boolean {
  return nested.some((dir) => file.startsWith(`${dir}/`));
}

export function goMembers(root: string, work: GoWork, notes: string[]): Result<GoMember[]> {
  const errors: WorkspaceError[] = [];
  const modules = new Map<string, Module>();
  for (const use of work.uses) {
    const module = readModule(root, use.dir, `go.work:${use.line}`, { file: 'go.work', line: use.line }, errors);
    if (module) modules.set(module.dir, module);
  }
  // Replacement targets inside the repository are modules the build needs too, whether go.work lists them or not.
  const pending: GoReplace[] = [...work.replaces, ...[...modules.values()].flatMap((m) => m.replaces)];
  while (pending.length > 0) {
    const replace = pending.shift()!;
    if (modules.has(replace.dir)) continue;
    const [file, line] = replace.at.split(/:(?=\d+$)/);
    const module = readModule(root, replace.dir, replace.at, { file: file!, line: Number(line) }, errors);
    if (!module) continue;
    modules.set(module.dir, module);
    pending.push(...module.replaces);
  }

  const byPath = new Map<string, string>();
  for (const module of modules.values()) {
    const other = byPath.get(module.modulePath);
    if (other !== undefined && work.uses.some((u) => u.dir === module.dir) && work.uses.some((u) => u.dir === other)) {
      errors.push(workspaceError('go.work', work.uses.find((u) => u.dir === module.dir)?.line, `module ${module.modulePath} appears twice in the workspace (${other} and ${module.dir})`));
    }
    if (other === undefined) byPath.set(module.modulePath, module.dir);
  }
  if (errors.length > 0) return { ok: false, errors: errors as [WorkspaceError, ...WorkspaceError[]] };

  const workReplaces = new Map(work.replaces.map((r) => [r.from, r]));
  const members: GoMember[] = [];
  for (const module of [...modules.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1))) {
    const project = new Project(module.dir === '.' ? root : path.join(root, ...module.dir.split('/')));
    // Sub-folders with a go.mod of their own are other modules: their code is not this module's.
    const files = project.walk({ maxDepth: 8, limit: 5000, accept: (file) => file.endsWith('.go') || file.endsWith('/go.mod') });
    const nested = [
      ...new Set([
        ...files.filter((file) => file.endsWith('/go.mod')).map((file) => file.slice(0, -'/go.mod'.length)),
        ...[...modules.keys()].filter((dir) => isUnder(dir, module.dir)).map((dir) => (module.dir === '.' ? dir : dir.slice(module.dir.length + 1))),
      ]),
    ];
    // Test files count too: a test stage builds them, and one extra module in a closure costs only a copy.
    const imports = new Set<string>();
    for (const file of files) {
      if (!file.endsWith('.go') || inNested(file, nested)) continue;
      for (const imported of goImports(project.readText(file) ?? '')) imports.add(imported);
    }

    const own = new Map(module.replaces.map((r) => [r.from, r]));
    const known = [...new Set([...own.keys(), ...workReplaces.keys(), ...byPath.keys()])].sort((a, b) => b.length - a.length);
    const resolve = (wanted: string): { dir: string; via: string } | undefined => {
      const modulePath = known.find((p) => wanted === p || wanted.startsWith(`${p}/`));
      if (modulePath === undefined) return undefined;
      const replace = own.get(modulePath) ?? workReplaces.get(modulePath);
      if (replace) return { dir: replace.dir, via: `replace (${replace.at})` };
      const dir = byPath.get(modulePath);
      return dir === undefined ? undefined : { dir, via: '' };
    };
    const edges = new Map<string, string>();
    const add = (dir: string, via: string): void => {
      if (dir !== module.dir && !edges.has(dir)) edges.set(dir, via);
    };
    for (const replace of module.replaces) add(replace.dir, `replace (${replace.at})`);
    for (const required of module.requires) {
      const target = resolve(required);
      if (target) add(target.dir, target.via || `require ${required}`);
    }
    for (const imported of [...imports].sort()) {
      const target = resolve(imported);
      if (target) add(target.dir, target.via || `import "${imported}"`);
    }
    const internal: InternalDependency[] = [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([dir, via]) => ({ dir, via }));

    const detection = detectGo(project);
    const mains = detection.facts.mains.filter((main) => !nested.some((dir) => main.dir === dir || main.dir.startsWith(`${dir}/`)));
    notes.push(...detection.notes.filter((note) => !note.startsWith('go.work found')).map((note) => `${module.dir}: ${note}`));
    members.push({
      ecosystem: 'go',
      name: module.modulePath,
      dir: module.dir,
      kind: mains.length > 0 ? 'go-app' : 'library',
      modulePath: module.modulePath,
      goLine: module.goLine,
      mains,
      port: detection.port,
      cgo: detection.facts.cgo,
      internal,
      localPaths: [],
      listedBy: module.listedBy,
    });
  }
  return { ok: true, value: members };
}
