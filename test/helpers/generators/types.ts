import type { Random } from '../safety.js';

export interface GeneratedCase {
  /** Files of an existing project ({} for a new one). */
  files: Record<string, string>;
  flags: string[];
  description: string;
}

/**
 * One per stack: random valid cases for the generative test, and the value
 * flags this stack takes (each gets random invalid values thrown at it).
 */
export interface CaseGenerator {
  stack: string;
  valid(random: Random): GeneratedCase;
  valueFlags: string[];
  /** Production targets a case renders besides `production` (for the rules check). */
  productionTargets?(dockerfile: string): string[];
}
