import { DEFAULTS, IMAGES } from '../defaults.js';
import { UsageError } from '../errors.js';
import type { Project } from '../project.js';
import { attempt, InvalidValue, validateChoice, validateGoVersion, validateNameList, validateSourceUrl } from '../validate.js';
import { asString, commonQuestions, labelsFor, detectName } from './common.js';
import { defineStack, type DetectInput, type OwnContext, type StackContextInput } from './define.js';
import { goVersionQuestion } from './go-version-question.js';
import { compareGoVersions, detectGo, goLineOf, goMainAt, isSafeDir, rootMainName, type GoFacts, type GoMain } from './go-detect.js';
import type { Answers, Choice, ContextInput, Detection, Question, QuestionContext, StackContext } from './types.js';

const RUNTIMES = ['distroless', 'scratch', 'slim'] as const;
type Runtime = (typeof RUNTIMES)[number];

/** Non-root uid:gid of every production image: distroless's `nonroot`, also used on scratch and slim. */
const NONROOT = '65532:65532';

/**
 * `--targets`: binary names (`api,worker`) or the paths of main packages,
 * written with a slash (`./services/api/cmd/server`) for a package deeper
 * than detection looks. A path is kept as `./<dir>`; its binary is named
 * after its last directory.
 */
export function parseGoTargets(raw: string): string[] {
  const items = raw.split(',').map((item) => item.trim());
  const paths = items.filter((item) => item.includes('/'));
  for (const item of paths) {
    const dir = item.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!isSafeDir(dir) || dir === '.' || dir === '') {
      throw new InvalidValue(`item ${JSON.stringify(item)} must be a package directory inside the module such as ./cmd/api or ./services/api/cmd/server`);
    }
  }
  // Names follow the usual rules; each path stands in the list as a placeholder name for that check.
  validateNameList(items.map((item) => (item.includes('/') ? 'path' : item)).join(','));
  const normalised = items.map((item) => (item.includes('/') ? `./${item.replace(/^\.\//, '').replace(/\/+$/, '')}` : item));
  if (new Set(normalised).size !== normalised.length) throw new InvalidValue(`lists a target twice; got ${JSON.stringify(raw)}`);
  return normalised;
}

const isPathTarget = (target: string): boolean => target.startsWith('./');

/** What detection found: a module's facts, or nothing (no go.mod yet). */
export type GoDetection = GoFacts | undefined;

function factsOf(detection: Detection<GoDetection>): GoFacts | undefined {
  return detection.existing ? detection.facts : undefined;
}

/** The Go line go.mod asks for at least (its `go` or `toolchain` line, whichever is newer), when detection found one. */
function goModMinimum(detection: Detection<GoDetection>): string | undefined {
  const facts = factsOf(detection);
  if (!facts) return undefined;
  const wanted = [facts.goLine, facts.toolchain].filter(Boolean).sort(compareGoVersions).pop();
  return wanted || undefined;
}

function runtimeChoices(ctx: QuestionContext<GoDetection>): Choice[] {
  const cgo = factsOf(ctx.detection)?.cgo ?? false;
  const choices: Choice[] = [
    {
      title: 'distroless',
      value: 'distroless',
      description: cgo ? 'gcr.io/distroless/cc: glibc, no shell, nonroot' : 'gcr.io/distroless/static: CA certificates and tzdata, no shell, nonroot',
    },
  ];
  // A cgo binary links the C library dynamically: scratch has none.
  if (!cgo) choices.push({ title: 'scratch', value: 'scratch', description: 'empty image plus CA certificates, tzdata and a nonroot user' });
  choices.push({ title: 'slim', value: 'slim', description: `${IMAGES.debianSlim()}, with a shell` });
  return choices;
}

const questions: Question<GoDetection>[] = [
  ...commonQuestions<GoDetection>(DEFAULTS.goPort),
  goVersionQuestion<GoDetection>({ file: 'go.mod', of: goModMinimum, orElse: 'lower the go line in go.mod' }),
  {
    flag: 'targets',
    message: 'Binaries to ship',
    hint: 'names or package paths (./svc/cmd/api), comma-separated; the first is production',
    type: 'text',
    parse: parseGoTargets,
    defaultValue: (ctx) => (factsOf(ctx.detection)?.mains ?? []).map((main) => main.name),
    // A new project has one main package, named after the project; an existing one
    // with a single main package is answered by detection and never asked.
    // With none detected, the flag can still name one by its path.
    when: (ctx) => ctx.mode === 'existing',
  },
  {
    flag: 'runtime',
    message: 'Production runtime',
    type: 'select',
    choices: runtimeChoices,
    parse: (raw) => validateChoice(raw, RUNTIMES),
    defaultValue: () => 'distroless',
  },
];

/** A raw header value that passes its validator, else undefined. */
function valid<T>(raw: unknown, validate: (value: string) => T): T | undefined {
  if (typeof raw !== 'string') return undefined;
  const checked = attempt(() => validate(raw));
  return checked.ok ? checked.value : undefined;
}

async function detect(project: Project, { previous }: DetectInput): Promise<Detection<GoDetection>> {
  const values: Answers = { ...previous };
  if (values['name'] === undefined && project.readJson('package.json')) {
    const name = detectName(project);
    if (name) values['name'] = name;
  }
  if (!project.isFile('go.mod')) return { existing: false, values, facts: undefined, notes: [] };

  const found = detectGo(project);
  const notes = [...found.notes];
  // The module path names a Go project better than the directory it was cloned into.
  if (values['name'] === undefined) {
    const fromModule = rootMainName(found.facts.modulePath);
    if (fromModule) values['name'] = fromModule;
  }

  // go.mod's line is a minimum: a recorded newer choice stays, an older one gives way.
  const recorded = valid(values['go-version'], validateGoVersion);
  if (found.goVersion && (!recorded || compareGoVersions(recorded, found.goVersion) < 0)) values['go-version'] = found.goVersion;

  if (values['port'] === undefined && found.port !== undefined) values['port'] = found.port;

  const mainNames = found.facts.mains.map((main) => main.name);
  const recordedTargets = valid(values['targets'], parseGoTargets);
  const stillThere = (target: string): boolean => (isPathTarget(target) ? goMainAt(project, target.slice(2)) !== undefined : mainNames.includes(target));
  if (!recordedTargets || !recordedTargets.every(stillThere)) {
    delete values['targets'];
    if (mainNames.length === 1) values['targets'] = mainNames;
  }
  if (mainNames.length === 0 && !recordedTargets?.every(stillThere)) {
    notes.push('no main package found (looked at ./, cmd/*/ and two levels down); name a deeper one with --targets ./path/to/package');
  }

  return { existing: true, values, facts: found.facts, notes };
}

/** A source URL for the OCI label from a hosted module path (github.com/acme/api → https://github.com/acme/api). */
function sourceFromModulePath(modulePath: string): string {
  const match = /^((?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+)/.exec(modulePath);
  return match ? (valid(`https://${match[1]}`, validateSourceUrl) ?? '') : '';
}

/** What a new project is: one main package at the root, module path = project name, no dependencies yet. */
function newProjectFacts(name: string): GoFacts {
  return {
    modulePath: name,
    goLine: '',
    toolchain: '',
    hasGoSum: false,
    vendor: false,
    cgo: false,
    mains: [{ name: rootMainName(name) ?? name, dir: '.', selfHealthcheck: true, server: true }],
    localReplaces: [],
    ignoredOutputDirs: ['bin', 'dist', 'tmp'],
  };
}

interface Binary {
  name: string;
  /** Package path for go build / go run: `.` or `./cmd/api`. */
  pkg: string;
  /** How comments and the README name the package. */
  pkgLabel: string;
  stage: string;
  hasHealthcheck: boolean;
  healthcheck: string[];
  healthcheckWhy: string;
  /** Listens on the port: ENV PORT, EXPOSE and a HEALTHCHECK. A command gets none of them. */
  server: boolean;
  /** OCI labels of this image: the main one is titled after the project, another `<project>-<binary>`. */
  labels: StackContext['labels'];
}

function chooseMains(mode: ContextInput<GoFacts>['mode'], facts: GoFacts, answers: Answers, project: Project): GoMain[] {
  if (mode === 'new') return facts.mains;
  const named = Array.isArray(answers['targets']) && answers['targets'].length > 0 ? (answers['targets'] as string[]) : undefined;
  if (facts.mains.length === 0 && !named) {
    throw new UsageError(
      'No main package found in this Go module (looked at ./, cmd/*/ and two levels down): there is no binary to put into an image. Name a deeper one with --targets ./path/to/package.',
    );
  }
  const targets = named ?? facts.mains.map((main) => main.name);
  const chosen = targets.map((target) => {
    if (isPathTarget(target)) {
      const dir = target.slice(2);
      const main = facts.mains.find((m) => m.dir === dir) ?? goMainAt(project, dir);
      if (!main) throw new UsageError(`--targets names ${target}, which holds no main package (a package main with func main).`);
      return main;
    }
    const main = facts.mains.find((m) => m.name === target);
    if (!main) {
      const known = facts.mains.map((m) => `${m.name} (./${m.dir === '.' ? '' : m.dir})`).join(', ');
      throw new UsageError(`--targets names "${target}", which is not a main package here. Main packages: ${known}.`);
    }
    return main;
  });
  const names = chosen.map((main) => main.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new UsageError(`--targets gives two binaries the name "${twice}": each image target needs its own.`);
  return chosen;
}

/** The Go templates' context (templates/go). */
export interface GoContext extends OwnContext {
  /** How the header names each target: a package found by its path keeps the path. */
  recordedTargets: string[];
  goVersion: string;
  goImage: string;
  /** The Go image as IMAGES names it, whatever mirror `goImage` comes from. */
  goImagePublic: string;
  runtime: Runtime;
  runtimeImage: string;
  runtimeDescription: string;
  scratch: boolean;
  slim: boolean;
  filesImage: string;
  user: string;
  cgo: boolean;
  crossCompile: boolean;
  vendor: boolean;
  goSumSource: string;
  localReplaces: GoFacts['localReplaces'];
  /** The builder's `go build` lines come from templates/go/partials/go-build.hbs. */
  binaries: Binary[];
  devCommand: string[];
  ignoredOutputDirs: string[];
  anyHealthcheck: boolean;
  hasTests: boolean;
  goModLine: string;
  modulePath: string;
}

function context({ answers, detection, project, mode, images }: StackContextInput<GoDetection>): GoContext {
  const name = asString(answers['name']);
  const port = Number(answers['port']);
  const goVersion = asString(answers['go-version']);
  const runtime = asString(answers['runtime']) as Runtime;
  const facts = (mode === 'new' ? undefined : factsOf(detection)) ?? newProjectFacts(name);
  const mains = chooseMains(mode, facts, answers, project);
  // The header records a target the way it was named, so a package found by its path is found again.
  const recordedTargets = mains.map((main, index) => {
    const named = Array.isArray(answers['targets']) ? (answers['targets'] as string[])[index] : undefined;
    return named !== undefined && isPathTarget(named) ? named : main.name;
  });

  const crossCompile = !facts.cgo;
  const scratch = runtime === 'scratch';
  const slim = runtime === 'slim';
  const runtimeImage = scratch ? '' : slim ? images.debianSlim() : facts.cgo ? images.distrolessCc() : images.distrolessStatic();
  const runtimeDescription = scratch ? 'scratch' : slim ? 'Debian slim' : facts.cgo ? 'distroless cc (glibc, no shell)' : 'distroless static (no shell)';
  const modFlag = facts.vendor ? ['-mod=vendor'] : [];

  const labels = labelsFor(mode, project, name);
  if (!labels.source) labels.source = sourceFromModulePath(facts.modulePath);

  const binaries: Binary[] = mains.map((main, index) => {
    // The production target is the project's image (a server unless the code is plainly not);
    // another binary is a server only when its own code listens.
    const server = index === 0 || main.server;
    const binary = `/app/${main.name}`;
    // Distroless and scratch have no shell or probe tool: only a binary that can probe
    // itself gets a HEALTHCHECK there (the documented exception). Slim has bash.
    const healthcheck = !server ? [] : main.selfHealthcheck ? [binary, '-healthcheck'] : slim ? ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`] : [];
    return {
      name: main.name,
      pkg: main.dir === '.' ? '.' : `./${main.dir}`,
      pkgLabel: main.dir === '.' ? 'the root package' : `./${main.dir}`,
      stage: index === 0 ? 'production' : `production-${main.name}`,
      hasHealthcheck: healthcheck.length > 0,
      healthcheck,
      server,
      labels: { ...labels, title: index === 0 ? labels.title : `${labels.title}-${main.name}` },
      healthcheckWhy: !server
        ? 'none: a command that runs to completion, not a service'
        : main.selfHealthcheck
          ? 'the binary probes its own /healthz'
          : slim
            ? 'a TCP connect to the port (bash /dev/tcp)'
            : `none: ${runtime} has no shell or probe tool (give the binary a -healthcheck flag to get one)`,
    };
  });

  return {
    name,
    port,
    compose: Boolean(answers['compose']),
    extraTargets: binaries.slice(1).map((b) => b.stage),
    recordedTargets,
    labels,
    goVersion,
    goImage: images.golang(goVersion),
    // The public name on purpose: the Dockerfile's comment shows how to put a mirror in front of it.
    goImagePublic: IMAGES.golang(goVersion),
    runtime,
    runtimeImage,
    runtimeDescription,
    scratch,
    slim,
    filesImage: images.distrolessStatic(),
    user: NONROOT,
    cgo: facts.cgo,
    crossCompile,
    vendor: facts.vendor,
    // Without go.sum (no dependencies yet) the wildcard copies nothing and picks the file up once one is added.
    goSumSource: facts.hasGoSum ? 'go.sum' : 'go.sum*',
    localReplaces: facts.localReplaces,
    binaries,
    devCommand: ['go', 'run', ...modFlag, binaries[0]!.pkg],
    ignoredOutputDirs: facts.ignoredOutputDirs,
    anyHealthcheck: binaries.some((b) => b.hasHealthcheck),
    // go vet and go test run on any module (a module without tests still gets vetted).
    hasTests: true,
    // New project files
    goModLine: goLineOf(goVersion),
    modulePath: facts.modulePath,
  };
}

export const go = defineStack({
  id: 'go',
  title: 'Go',
  matches: (project) => project.isFile('go.mod'),
  detect,
  questions,
  context,
  headerAnswers: (answers, ctx) => ({ ...answers, targets: ctx.recordedTargets }),
  nextSteps: (ctx, run) => [
    // No watcher in the development stage: say how an edit gets in.
    ctx.compose
      ? `${run('docker:dev')}   # go run in Docker, source mounted; after an edit: docker compose restart dev`
      : `${run('docker:dev')}   # go run in Docker; after an edit: Ctrl-C and run it again`,
    `${run('docker:build')}   # production image`,
    ...ctx.extraTargets.map((target) => `${run(`docker:build:${target.replace(/^production-/, '')}`)}   # ${target} image`),
  ],
});
