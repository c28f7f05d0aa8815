import { nextjs } from './nextjs.js';
import { go } from './go.js';
import { cpp } from './cpp.js';
import { goWorkspace } from './go-workspace.js';
import type { StackModule } from './types.js';

/** Every stack this build knows, in the order the stack prompt lists them. */
export const STACKS: StackModule[] = [nextjs, go, cpp, goWorkspace];

export function stackById(id: string): StackModule {
  const stack = STACKS.find((s) => s.id === id);
  if (!stack) throw new Error(`unknown stack ${id}`);
  return stack;
}
