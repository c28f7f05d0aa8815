import { nextjsCases } from './nextjs.js';
import type { CaseGenerator } from './types.js';

/** One generator per stack; the generative test runs them all. */
export const GENERATORS: CaseGenerator[] = [nextjsCases];
