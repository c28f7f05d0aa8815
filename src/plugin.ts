import type { NpmRunner } from './npm.js';
import type { RenderedFile, TemplateFile } from './render.js';
import type { StackContext, AnyStack } from './stacks/types.js';

/**
 * What a plugin may change in one generation, through named hooks. An
 * organisation kit is the plugin we ship (src/kit/plugin.ts); the pipeline and
 * the run know only this contract, so nothing of the main run imports src/kit/.
 */

/** Who the plugin is: printed with the run, recorded in every stamp. */
export interface PluginIdentity {
  name: string;
  version: string;
  /** Where it was loaded from (a path, a package, an archive). */
  origin: string;
}

/** One image the plugin replaced: as IMAGES (or a template) names it, and what was written instead. */
export interface ImageMapping {
  from: string;
  to: string;
}

/** What a plugin did to a run's files, for the summary and `--json`. */
export interface PluginSummary {
  images: ImageMapping[];
  files: string[];
}

/** A plugin as it applies to one stack. */
export interface StackPlugin {
  identity: PluginIdentity;
  /** Answers it fixes (`locked`, a flag saying otherwise needs --force) or suggests (`defaults`): raw strings by flag. */
  answers: { defaults: Record<string, string>; locked: Record<string, string> };
  /** How the stack's templates render under it. */
  templates: {
    /** Partials registered after the built-in ones, replacing any of the same name. */
    partials: Record<string, string>;
    /** Replacement templates by output path. */
    overrides: Record<string, TemplateFile>;
    /** For a stack the plugin defines itself: its templates, in memory (no built-in folder). */
    own?: { docker: TemplateFile[]; app: TemplateFile[] };
    /** Keys added to the Docker files' template context: the data its partials read (a kit's: `kit`). */
    context?: Record<string, unknown>;
  };
  /**
   * The image to write instead of `image` (itself when unchanged). The pipeline
   * applies it to every function of IMAGES (`mapImages`) and hands the mirrored
   * record to the stack's context, so the templates write the mirror directly.
   */
  mirrorImage?(image: string): string;
  /** Paths of the plugin's own extra files: a generated file at the same path gives way (say, its CI workflow). */
  extraPaths: ReadonlySet<string>;
  /**
   * After rendering: edits the rendered Docker files and adds its own.
   * `taken` are the run's other paths (app files, package.json), which its files must not reuse;
   * `mirrored` the images `mirrorImage` replaced in this render.
   */
  finish(docker: RenderedFile[], taken: string[], context: StackContext, mirrored: ImageMapping[]): Promise<{ files: RenderedFile[]; summary: PluginSummary }>;
}

export interface Plugin {
  identity: PluginIdentity;
  /** Stacks the plugin adds to the built-in ones. */
  stacks: AnyStack[];
  forStack(stack: AnyStack): StackPlugin;
  /**
   * The same plugin as another version of it was, for the base of a three-way
   * merge of files that version generated; or why it cannot be had; undefined
   * when that stack cannot be rendered at another version at all.
   */
  atVersion(version: string, stack: AnyStack, where: { projectDir: string; npm: NpmRunner }): StackPlugin | { note: string } | undefined;
}
