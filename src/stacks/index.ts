import { nextjs } from './nextjs.js';
import { go } from './go.js';
import { cpp } from './cpp.js';
import { nextjsWorkspace } from './nextjs-workspace.js';
import { goWorkspace } from './go-workspace.js';
import type { AnyStack } from './types.js';

/** Every stack this build knows, in the order the stack prompt lists them. */
export const STACKS: AnyStack[] = [nextjs, go, cpp, nextjsWorkspace, goWorkspace];

export function stackById(id: string): AnyStack {
  const stack = STACKS.find((s) => s.id === id);
  if (!stack) throw new Error(`unknown stack ${id}`);
  return stack;
}

/**
 * The stacks a kit configures and `kit check` renders (a sample new and
 * existing project each). The workspace stack is left out until kit check has
 * a workspace sample: it generates for an existing workspace only.
 */
export const KIT_STACKS: AnyStack[] = STACKS.filter((stack) => !stack.existingOnly);
