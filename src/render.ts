import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import Runtime from 'handlebars/runtime';
import { FailedError } from './errors.js';
import { precompiled } from './precompiled-templates.js';

/**
 * The Handlebars compiler, loaded only when a template has no precompiled form
 * (a kit's templates and partials, an older version's templates, a template
 * edited after the build). In dist/ it is a CommonJS bundle of its own beside
 * the chunks (scripts/build.mjs), so a plain run never parses it; rendering is
 * synchronous, hence require and not import().
 */
declare const __HANDLEBARS_COMPILER__: string | undefined;
const COMPILER_MODULE = typeof __HANDLEBARS_COMPILER__ === 'string' ? __HANDLEBARS_COMPILER__ : 'handlebars';
let compilerInstance: typeof Handlebars | undefined;
export function templateCompiler(): typeof Handlebars {
  if (!compilerInstance) {
    const loaded: unknown = createRequire(import.meta.url)(COMPILER_MODULE);
    // dist/'s compiler bundle builds on the runtime this module already holds, which it is given.
    compilerInstance = typeof __HANDLEBARS_COMPILER__ === 'string' ? (loaded as (runtime: typeof Runtime) => typeof Handlebars)(Runtime) : (loaded as typeof Handlebars);
  }
  return compilerInstance;
}

/** The options every template and partial is compiled with (also at build time: keep them in step). */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** templates/ sits next to src/ in the repository and next to dist/ in the package. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url));

export interface RenderedFile {
  /** Path relative to the project, POSIX separators. */
  path: string;
  content: string;
  /** `docker` files are what the tool adds; `app` files make up a new project. */
  kind: 'docker' | 'app';
  /** Other names that count as the same file (compose.yaml vs docker-compose.yml). */
  aliases?: string[];
  /** `content` holds raw bytes, one per character (a kit file that is not UTF-8 text, such as a PNG): copied byte for byte. */
  binary?: boolean;
}

/** Files that count as the same file as the key when planning. */
const ALIASES: Record<string, string[]> = {
  'compose.yaml': ['compose.yml', 'docker-compose.yaml', 'docker-compose.yml'],
};

/**
 * A private Handlebars instance: `noEscape` because we write Dockerfiles, not
 * HTML (the default would turn `=` into `&#x3D;`), and `strict` so a missing
 * context key is an error instead of a silently empty string. Only these few
 * helpers exist; templates cannot run anything else.
 */
function createEngine(partialDirs: string[], extraPartials: Record<string, string> = {}, allPrecompiled = false): typeof Handlebars {
  const partials = readPartials(partialDirs);
  // Runtime only when nothing needs compiling at run time: every built-in
  // partial and every template of the render was compiled at build time.
  const runtimeOnly = allPrecompiled && Object.keys(extraPartials).length === 0 && [...partials.values()].every((source) => precompiled(source) !== undefined);
  const engine = runtimeOnly ? Runtime.create() : templateCompiler().create();
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  engine.registerHelper('json', (value: unknown) => JSON.stringify(value));
  engine.registerHelper('join', (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ',') : ''));
  // Each built-in partial is registered as a template, never as a string: a
  // string partial is compiled when first called, with the options of the
  // template calling it, and a precompiled template carries none, so its
  // partials would lose noEscape (a kit partial of its own once turned a
  // Dockerfile's `=` into `&#x3D;`).
  for (const [name, source] of partials) {
    const spec = precompiled(source);
    engine.registerPartial(name, spec ? engine.template(spec) : engine.compile(source, COMPILE_OPTIONS));
  }
  // A kit's partials come last, so one of the same name replaces the built-in
  // (say `stage-production`) and every template that includes it follows.
  // Each is wrapped to count its calls and output against the render budget:
  // 40 partials that each include the next twice must fail fast, not run for ever.
  const budget: RenderBudget = { calls: 0, depth: 0, bytes: 0 };
  BUDGETS.set(engine, budget);
  for (const [name, source] of Object.entries(extraPartials)) {
    let compiled: HandlebarsTemplateDelegate | undefined;
    const partial: HandlebarsTemplateDelegate = (context: unknown, options?: Handlebars.RuntimeOptions) => {
      if (++budget.calls > MAX_PARTIAL_CALLS) throw new RenderLimitError(`more than ${MAX_PARTIAL_CALLS} partial calls (partial "${name}"): do partials include each other over and over?`);
      if (budget.depth >= MAX_PARTIAL_DEPTH) throw new RenderLimitError(`partials nested more than ${MAX_PARTIAL_DEPTH} deep (partial "${name}"): does a partial include itself?`);
      compiled ??= engine.compile(source, COMPILE_OPTIONS);
      budget.depth++;
      try {
        const out = compiled(context, options);
        budget.bytes += out.length;
        if (budget.bytes > MAX_RENDER_BYTES) throw new RenderLimitError(`partials produced more than ${MAX_RENDER_BYTES} characters (partial "${name}")`);
        return out;
      } finally {
        budget.depth--;
      }
    };
    engine.registerPartial(name, partial);
  }
  return engine;
}

/** Bounds on one template's rendering, so a hostile or broken kit cannot hang a run or exhaust memory. */
export const MAX_PARTIAL_CALLS = 5_000;
export const MAX_PARTIAL_DEPTH = 32;
export const MAX_RENDER_BYTES = 2 * 1024 * 1024;
interface RenderBudget {
  calls: number;
  depth: number;
  bytes: number;
}
const BUDGETS = new WeakMap<typeof Handlebars, RenderBudget>();
class RenderLimitError extends Error {}

/** The `.hbs` partials of the folders by name, in registration order (a later folder's replaces an earlier one's). */
function readPartials(dirs: string[]): Map<string, string> {
  const partials = new Map<string, string>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir)) {
      if (file.endsWith('.hbs')) partials.set(file.slice(0, -4), fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  return partials;
}

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else out.push(child);
  }
  return out.sort();
}

/**
 * `_gitignore` → `.gitignore`: npm drops dotfiles like .gitignore from
 * published packages. A part starting with `__` (Python's `__init__.py`,
 * `__main__.py` in a kit's templates) is kept as it is.
 */
export function outputName(rel: string): string {
  return rel
    .split('/')
    .map((part) => (part.startsWith('_') && !part.startsWith('__') ? `.${part.slice(1)}` : part))
    .join('/')
    .replace(/\.hbs$/, '');
}

/** Docker files: at most one blank line in a row (conditional blocks leave gaps) and one final newline. */
function tidy(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** A template held in memory: its path (for names and messages) and its text. */
export interface TemplateFile {
  rel: string;
  source: string;
  /** Not a template and not UTF-8: `source` holds the bytes one per character (latin1). */
  binary?: boolean;
}

export interface RenderOptions {
  /** The stack's folder under templates/, whose partials/ are registered; '' for a stack a kit defines. */
  stackDir: string;
  kind: 'docker' | 'app';
  /** The stack's context (each stack has its own interface); Handlebars reads its fields by name. */
  context: object;
  templatesDir?: string;
  /** Partials registered after the built-in ones (a kit's), replacing any of the same name. */
  partials?: Record<string, string>;
  /** Replacement templates by output path (a kit's `templates`); a `.hbs` replacement is rendered. */
  overrides?: Record<string, TemplateFile>;
  /** The files to render instead of reading the folder (a kit-defined stack's templates, held in memory). */
  files?: TemplateFile[];
}

/** The template files of templates/<folder>, relative paths sorted. */
export function readTemplateFolder(folder: string, templatesDir = TEMPLATES_DIR): TemplateFile[] {
  const root = path.join(templatesDir, folder);
  return listFiles(root).map((rel) => ({ rel, source: fs.readFileSync(path.join(root, rel), 'utf8') }));
}

/**
 * Engines for the built-in templates, one per stack folder. Compiling is most
 * of a run's time (a Dockerfile template pulls in a dozen partials), and an
 * engine keeps the partials it compiled, so a process that renders many
 * projects (the test-suite, a kit check) compiles each template once. A kit's
 * partials get a fresh engine: they are data of that run only.
 */
const builtInEngines = new Map<string, typeof Handlebars>();
/** Compiled templates per engine and source text. */
const compiledTemplates = new WeakMap<typeof Handlebars, Map<string, HandlebarsTemplateDelegate>>();

function engineFor(options: Pick<RenderOptions, 'stackDir' | 'templatesDir' | 'partials'>, templates: TemplateFile[]): typeof Handlebars {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const dirs = [path.join(templatesDir, 'shared', 'partials')];
  if (options.stackDir) dirs.push(path.join(templatesDir, options.stackDir, 'partials'));
  if (options.partials && Object.keys(options.partials).length > 0) return createEngine(dirs, options.partials);
  const allPrecompiled = templates.every((file) => !file.rel.endsWith('.hbs') || precompiled(file.source) !== undefined);
  const key = `${allPrecompiled ? 'runtime' : 'compiler'}\0${dirs.join('\0')}`;
  let engine = builtInEngines.get(key);
  if (!engine) {
    engine = createEngine(dirs, {}, allPrecompiled);
    builtInEngines.set(key, engine);
  }
  return engine;
}

function compiled(engine: typeof Handlebars, source: string): HandlebarsTemplateDelegate {
  let cache = compiledTemplates.get(engine);
  if (!cache) {
    cache = new Map();
    compiledTemplates.set(engine, cache);
  }
  let template = cache.get(source);
  if (!template) {
    // A runtime-only engine exists only when every template of the render has a precompiled form.
    const spec = precompiled(source);
    template = spec ? engine.template(spec) : engine.compile(source, COMPILE_OPTIONS);
    cache.set(source, template);
  }
  return template;
}

/** Renders one template with the same engine rules; '' when it renders to whitespace only. */
function renderOne(engine: typeof Handlebars, file: TemplateFile, label: string, kind: RenderOptions['kind'], context: object): string | undefined {
  if (!file.rel.endsWith('.hbs')) return file.source;
  let content: string;
  const budget = BUDGETS.get(engine);
  if (budget) Object.assign(budget, { calls: 0, depth: 0, bytes: 0 });
  try {
    content = compiled(engine, file.source)(context);
    if (content.length > MAX_RENDER_BYTES) throw new RenderLimitError(`the output is larger than ${MAX_RENDER_BYTES} characters`);
  } catch (error) {
    const message = `Rendering ${label} failed: ${(error as Error).message}`;
    // Overstepping a bound is the template's fault, not ours: a plain message (exit 1), no stack trace.
    throw error instanceof RenderLimitError ? new FailedError(message) : new Error(message);
  }
  if (content.trim() === '') return undefined;
  return kind === 'docker' ? tidy(content) : content;
}

/**
 * Renders every file of templates/<stackDir>/<kind folder>. A `.hbs` file is a
 * template; anything else is copied as is. A template that renders to nothing
 * but whitespace is left out, which is how a template says "not for this
 * project" declaratively.
 */
export function renderFolder(folder: string, options: RenderOptions): RenderedFile[] {
  const templates = options.files ?? readTemplateFolder(folder, options.templatesDir);
  const overrides = options.overrides ? Object.values(options.overrides) : [];
  const engine = engineFor(options, [...templates, ...overrides]);
  const files: RenderedFile[] = [];
  for (const template of templates) {
    const outPath = outputName(template.rel);
    // Own keys only: a file named `toString` or `constructor` must not find Object.prototype's.
    const override = options.overrides && Object.hasOwn(options.overrides, outPath) ? options.overrides[outPath] : undefined;
    const source = override ?? template;
    const content = renderOne(engine, source, override ? override.rel : `${folder}/${template.rel}`, options.kind, options.context);
    if (content === undefined) continue;
    files.push({ path: outPath, content, kind: options.kind, ...(Object.hasOwn(ALIASES, outPath) ? { aliases: ALIASES[outPath] } : {}), ...(source.binary ? { binary: true } : {}) });
  }
  return files;
}

/** Renders a single extra file (a kit's `files` entry) to `outPath`; undefined when it renders to nothing. */
export function renderExtraFile(template: TemplateFile, outPath: string, options: Omit<RenderOptions, 'overrides' | 'files'>): RenderedFile | undefined {
  const content = renderOne(engineFor(options, [template]), template, template.rel, options.kind, options.context);
  return content === undefined ? undefined : { path: outPath, content, kind: options.kind, ...(template.binary ? { binary: true } : {}) };
}
