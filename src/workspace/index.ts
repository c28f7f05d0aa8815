/**
 * Workspace (monorepo) detection: the typed description a multi-app generator
 * builds on. Pure reads, no writes; errors are values.
 */
export { detectWorkspace } from './detect.js';
export { enclosingWorkspace, findWorkspaceRoot, memberContaining, MAX_LEVELS_UP, type FoundRoot } from './find-root.js';
export { closureOf } from './closure.js';
export { expandPatterns, MAX_MEMBER_DEPTH, type PatternSource } from './glob.js';
export { parseGoWork, goDirectives, type GoWork } from './go-work.js';
export { resolveSpec, type SpecTarget } from './node-deps.js';
export { parsePnpmWorkspace } from './pnpm-workspace.js';
export type * from './types.js';
export { workspaceError } from './types.js';
