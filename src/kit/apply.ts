import path from 'node:path';
import { renderExtraFile, type RenderedFile } from '../render.js';
import type { StackContext, AnyStack } from '../stacks/types.js';
import type { DataStack } from './data-stack.js';
import { applyKitToDockerfile, replaceImageMentions, rewriteImages, type ImageReplacement } from './dockerfile.js';
import { keepInContext } from './dockerignore.js';
import { KitApplyError, KitTargetPathError } from './errors.js';
import { kitForStack, type Kit, type KitStackConfig } from './load.js';
import { CA_DIR } from './manifest.js';
import { neededParts, takeMarkers } from './partials.js';

/** A kit as one run uses it: its merged configuration for the stack, and the stack's kit templates if the kit defines it. */
export interface KitRun {
  kit: Kit;
  config: KitStackConfig;
  /** The stack's folder under templates/ for built-in partials; '' for a kit's own stack. */
  stackDir: string;
  data?: DataStack;
}

export function kitRunFor(kit: Kit, stack: AnyStack): KitRun {
  const data = kit.dataStacks.find((d) => d.module === stack);
  return { kit, config: kitForStack(kit, stack.id, stack.questions), stackDir: data ? '' : stack.id, ...(data ? { data } : {}) };
}

/**
 * The file was rendered from text the kit wrote: its own stack's templates, a
 * template override of that file, or a built-in Dockerfile with the kit's
 * partials (a stage of its own may name an image). Only those need the image
 * rules applied to the text; the built-in templates wrote the mirror already.
 */
function fromKitTemplate(run: KitRun, rel: string, context: StackContext): boolean {
  if (run.data) return true;
  const templates = run.config.templates;
  // The override of `Dockerfile` is written under the context's name beside the user's own.
  const templatePath = rel === context.dockerfile ? 'Dockerfile' : rel;
  if (Object.hasOwn(templates, templatePath)) return true;
  return isDockerfile(rel) && Object.keys(run.config.partials).length > 0;
}

export interface KitSummary {
  images: ImageReplacement[];
  files: string[];
}

const isDockerfile = (rel: string): boolean => {
  const base = path.posix.basename(rel);
  return base === 'Dockerfile' || base.startsWith('Dockerfile.') || base.endsWith('.Dockerfile');
};

/**
 * Where a Dockerfile writes the mirrored images, in order, as the summary
 * lists them: every reference in an instruction (an ARG default, `--from=`,
 * `from=`, FROM) and the `# syntax=` line; other comments and text in
 * commands (an error message naming the runtime image) do not count.
 */
export function mirroredMentions(text: string, mirrored: ImageReplacement[]): ImageReplacement[] {
  const found: { at: number; mapping: ImageReplacement }[] = [];
  const lines = text.split('\n');
  let offset = 0;
  for (const [i, line] of lines.entries()) {
    if (!line.trimStart().startsWith('#') || (i === 0 && line.startsWith('# syntax='))) {
      for (const mapping of mirrored) {
        for (let at = line.indexOf(mapping.to); at !== -1; at = line.indexOf(mapping.to, at + 1)) {
          const before = line.slice(0, at);
          const after = line[at + mapping.to.length] ?? '';
          const placed = /[="]$/.test(before) || /^\s*FROM\s+(?:--\S+\s+)*$/i.test(before);
          if (placed && /^[\s,"]?$/.test(after)) found.push({ at: offset + at, mapping });
        }
      }
    }
    offset += line.length + 1;
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.mapping);
}

/**
 * Applies the kit to the rendered Docker files. The templates did most of it:
 * the context held the mirrored images (`mirrored` says which) and the kit's
 * partials wrote its CA certificates, packages and labels. What is left:
 * their markers come out; a Dockerfile from the kit's own templates gets the
 * mirror and whatever parts its templates lack (src/kit/dockerfile.ts), as
 * does one from templates without the partials; README.Docker.md from the
 * kit's templates names the mirrored images; .dockerignore keeps the
 * certificates in the build context; the certificates and the kit's extra
 * files join the plan like any other file. `taken` are the other paths this
 * run generates (app files, package.json).
 */
export async function applyKit(docker: RenderedFile[], taken: string[], run: KitRun, context: StackContext, mirrored: ImageReplacement[]): Promise<{ files: RenderedFile[]; summary: KitSummary }> {
  const { kit, config } = run;
  const caPaths = config.caCertificates.map((ca) => `${CA_DIR}/${ca.fileName}`);
  const summary: KitSummary = { images: [], files: [] };
  const rewritten: ImageReplacement[] = [];
  const needed = neededParts(run);
  const out: RenderedFile[] = [];
  for (const file of docker) {
    const { text, placed } = takeMarkers(file.content);
    if (!isDockerfile(file.path)) {
      out.push({ ...file, content: text });
      continue;
    }
    let content = text;
    const ownTemplate = fromKitTemplate(run, file.path, context);
    summary.images.push(...mirroredMentions(content, mirrored));
    try {
      if (ownTemplate && config.images.length > 0) {
        const images = await rewriteImages(content, config.images, new Set(mirrored.map((m) => m.to)));
        content = images.text;
        rewritten.push(...images.replaced);
      }
      // Templates that rendered every part the kit adds placed each where it belongs.
      const complete = [...needed].every((part) => placed.some((p) => p.part === part));
      if (needed.size > 0 && (ownTemplate || !complete)) {
        const result = await applyKitToDockerfile(content, {
          kitName: kit.name,
          packages: config.packages,
          labels: config.labels,
          caFiles: config.caCertificates.map((ca) => ca.fileName),
          placed,
        });
        content = result.text;
      }
    } catch (error) {
      if (error instanceof KitApplyError) error.message = `${file.path}: ${error.message}`;
      throw error;
    }
    out.push({ ...file, content });
  }
  summary.images.push(...rewritten);
  for (const [i, file] of out.entries()) {
    // The kit's own README may name the public images the Dockerfile no longer uses.
    if (file.path.endsWith('.md') && summary.images.length > 0 && fromKitTemplate(run, file.path, context)) out[i] = { ...file, content: replaceImageMentions(file.content, summary.images) };
    if (path.posix.basename(file.path) === '.dockerignore' && caPaths.length > 0) {
      // The certificates are copied from the context next to this .dockerignore.
      const prefix = path.posix.dirname(file.path) === '.' ? '' : `${path.posix.dirname(file.path)}/`;
      const relative = caPaths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
      try {
        out[i] = { ...file, content: keepInContext(file.content, relative, kit.name) };
      } catch (error) {
        throw new KitApplyError(`${file.path}: ${(error as Error).message}`);
      }
    }
  }

  const used = new Set([...out.map((f) => f.path), ...taken]);
  for (const ca of config.caCertificates) {
    out.push({ path: `${CA_DIR}/${ca.fileName}`, content: ca.content, kind: 'docker' });
    summary.files.push(`${CA_DIR}/${ca.fileName}`);
  }
  for (const entry of config.files) {
    if (used.has(entry.path)) {
      throw new KitTargetPathError(`The ${kit.name} kit's file ${entry.path} (from ${entry.template.rel}) is a file this run already generates; override it with "templates" instead.`);
    }
    const rendered = renderExtraFile(entry.template, entry.path, {
      stackDir: run.stackDir,
      kind: 'docker',
      context,
      partials: config.partials,
    });
    if (rendered === undefined) continue; // the template decided this project does not get the file
    out.push(rendered);
    summary.files.push(entry.path);
  }
  return { files: out, summary };
}
