// What src/workspace/pnpm-workspace.ts takes from yaml: the concrete syntax tree
// layer of the library's ES module build (the same code as its CommonJS `node`
// build), imported file by file. scripts/build.mjs aliases `yaml` here.
//
// Not through yaml's index.js: esbuild keeps every module reachable from there
// that it cannot prove free of side effects (the document model, schemas and
// stringifiers, about 30 kB minified), even when nothing uses them.
// `CST` is an object with the one member used, not `export * as`: a namespace
// object would pull in all of parse/cst.js and its stringifier. A new use of
// `CST.…` in src must be added here (tsc sees the library's full types).
import { resolveAsScalar } from '../../node_modules/yaml/browser/dist/parse/cst-scalar.js';

export { LineCounter } from '../../node_modules/yaml/browser/dist/parse/line-counter.js';
export { Parser } from '../../node_modules/yaml/browser/dist/parse/parser.js';
export const CST = { resolveAsScalar };
