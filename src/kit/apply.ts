import path from 'node:path';
import { renderExtraFile, type RenderedFile } from '../render.js';
import type { StackContext, AnyStack } from '../stacks/types.js';
import type { DataStack } from './data-stack.js';
import { applyKitToDockerfile, replaceImageMentions, type ImageReplacement } from './dockerfile.js';
import { keepInContext } from './dockerignore.js';
import { KitApplyError, KitTargetPathError } from './errors.js';
import { kitForStack, type Kit, type KitStackConfig } from './load.js';
import { CA_DIR } from './manifest.js';

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

export interface KitSummary {
  images: ImageReplacement[];
  caStages: string[];
  labelledStages: string[];
  files: string[];
}

const isDockerfile = (rel: string): boolean => {
  const base = path.posix.basename(rel);
  return base === 'Dockerfile' || base.startsWith('Dockerfile.') || base.endsWith('.Dockerfile');
};

/**
 * Applies the kit to the rendered Docker files: Dockerfiles get the mirror,
 * packages, CA certificates and labels; README.Docker.md names the mirrored
 * images; .dockerignore keeps the certificates in the build context; the
 * certificates and the kit's extra files join the plan like any other file.
 * `taken` are the other paths this run generates (app files, package.json).
 */
export async function applyKit(docker: RenderedFile[], taken: string[], run: KitRun, context: StackContext): Promise<{ files: RenderedFile[]; summary: KitSummary }> {
  const { kit, config } = run;
  const caPaths = config.caCertificates.map((ca) => `${CA_DIR}/${ca.fileName}`);
  const summary: KitSummary = { images: [], caStages: [], labelledStages: [], files: [] };
  const out: RenderedFile[] = [];
  for (const file of docker) {
    if (!isDockerfile(file.path)) {
      out.push(file);
      continue;
    }
    let result;
    try {
      result = await applyKitToDockerfile(file.content, {
        kitName: kit.name,
        images: config.images,
        packages: config.packages,
        labels: config.labels,
        caFiles: config.caCertificates.map((ca) => ca.fileName),
      });
    } catch (error) {
      if (error instanceof KitApplyError) error.message = `${file.path}: ${error.message}`;
      throw error;
    }
    summary.images.push(...result.replaced);
    summary.caStages.push(...result.caStages);
    summary.labelledStages.push(...result.labelledStages);
    out.push({ ...file, content: result.text });
  }
  for (const [i, file] of out.entries()) {
    if (file.path.endsWith('.md') && summary.images.length > 0) out[i] = { ...file, content: replaceImageMentions(file.content, summary.images) };
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
