import { cppCases } from './cpp.js';
import { goCases } from './go.js';
import { nextjsCases } from './nextjs.js';
import type { CaseGenerator } from './types.js';

/** One generator per stack; the generative test fails for a stack that has none. */
export const GENERATORS: CaseGenerator[] = [nextjsCases, goCases, cppCases];
