import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

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
function createEngine(partialDirs: string[]): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  engine.registerHelper('json', (value: unknown) => JSON.stringify(value));
  engine.registerHelper('join', (list: unknown, separator: unknown) =>
    Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ',') : '',
  );
  for (const dir of partialDirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir)) {
      if (file.endsWith('.hbs')) engine.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(dir, file), 'utf8'));
    }
  }
  return engine;
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

/** `_gitignore` → `.gitignore`: npm drops dotfiles like .gitignore from published packages. */
function outputName(rel: string): string {
  return rel
    .split('/')
    .map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part))
    .join('/')
    .replace(/\.hbs$/, '');
}

/** Docker files: at most one blank line in a row (conditional blocks leave gaps) and one final newline. */
function tidy(text: string): string {
  return `${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

export interface RenderOptions {
  stackDir: string;
  kind: 'docker' | 'app';
  context: Record<string, unknown>;
  templatesDir?: string;
}

/**
 * Renders every file of templates/<stackDir>/<kind folder>. A `.hbs` file is a
 * template; anything else is copied as is. A template that renders to nothing
 * but whitespace is left out, which is how a template says "not for this
 * project" declaratively.
 */
export function renderFolder(folder: string, options: RenderOptions): RenderedFile[] {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  const root = path.join(templatesDir, folder);
  const engine = createEngine([path.join(templatesDir, 'shared', 'partials'), path.join(templatesDir, options.stackDir, 'partials')]);
  const files: RenderedFile[] = [];
  for (const rel of listFiles(root)) {
    const source = fs.readFileSync(path.join(root, rel), 'utf8');
    let content = source;
    if (rel.endsWith('.hbs')) {
      try {
        content = engine.compile(source, { noEscape: true, strict: true })(options.context);
      } catch (error) {
        throw new Error(`Rendering ${folder}/${rel} failed: ${(error as Error).message}`);
      }
      if (content.trim() === '') continue;
      if (options.kind === 'docker') content = tidy(content);
    }
    const outPath = outputName(rel);
    files.push({ path: outPath, content, kind: options.kind, ...(ALIASES[outPath] ? { aliases: ALIASES[outPath] } : {}) });
  }
  return files;
}
