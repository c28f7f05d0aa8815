import { nextjs } from './nextjs.js';
import { go } from './go.js';
import { cpp } from './cpp.js';
import type { AnyStack } from './types.js';

/** Every stack this build knows, in the order the stack prompt lists them. */
export const STACKS: AnyStack[] = [nextjs, go, cpp];

export function stackById(id: string): AnyStack {
  const stack = STACKS.find((s) => s.id === id);
  if (!stack) throw new Error(`unknown stack ${id}`);
  return stack;
}
