import type { NpmRunner } from '../npm.js';
import type { Plugin, StackPlugin } from '../plugin.js';
import type { AnyStack } from '../stacks/types.js';
import { applyKit, kitRunFor } from './apply.js';
import { mapImage } from './images.js';
import { loadKit, type Kit } from './load.js';
import { kitPartials, kitTemplateContext } from './partials.js';

/** A kit bound to one stack, as the pipeline's plugin hooks. */
function stackPlugin(kit: Kit, stack: AnyStack): StackPlugin {
  const run = kitRunFor(kit, stack);
  const { config } = run;
  return {
    identity: { name: kit.name, version: kit.version, origin: kit.origin },
    answers: { defaults: config.defaults, locked: config.locked },
    templates: {
      // Its own partials, and the parts the built-in templates include (kit-base, kit-ca-bundle, kit-labels) with their data.
      partials: kitPartials(run),
      overrides: config.templates,
      ...(run.data ? { own: { docker: run.data.docker, app: run.data.app } } : {}),
      context: kitTemplateContext(run),
    },
    extraPaths: new Set(config.files.map((entry) => entry.path)),
    ...(config.images.length > 0 ? { mirrorImage: (image: string) => mapImage(image, config.images) ?? image } : {}),
    finish: (docker, taken, context, mirrored) => applyKit(docker, taken, run, context, mirrored),
  };
}

/**
 * An organisation kit as a plugin of the pipeline. `builtins` are the stacks a
 * kit of another version can be rendered for (its own data stacks may not
 * exist in that version).
 */
export function kitPlugin(kit: Kit, builtins: AnyStack[]): Plugin {
  const perStack = new Map<AnyStack, StackPlugin>();
  return {
    identity: { name: kit.name, version: kit.version, origin: kit.origin },
    stacks: kit.dataStacks.map((d) => d.module),
    forStack(stack) {
      let plugin = perStack.get(stack);
      if (!plugin) perStack.set(stack, (plugin = stackPlugin(kit, stack)));
      return plugin;
    },
    atVersion(version: string, stack: AnyStack, where: { projectDir: string; npm: NpmRunner }) {
      // Only another version of the same kit, for a built-in stack, can be rendered again.
      if (!builtins.includes(stack)) return undefined;
      const wanted = `${kit.name} ${version}`;
      let older: Kit;
      try {
        older = loadKit(`${kit.name}@${version}`, { baseDir: where.projectDir, projectDir: where.projectDir, npm: where.npm }, builtins);
      } catch (error) {
        return { note: `kit ${wanted} could not be fetched (${(error as Error).message.split('\n')[0]})` };
      }
      if (older.name !== kit.name || older.version !== version) return { note: `fetching kit ${wanted} gave ${older.name} ${older.version}` };
      return stackPlugin(older, stack);
    },
  };
}
