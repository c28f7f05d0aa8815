// What src/workspace/pnpm-workspace.ts takes from yaml, from the library's ES
// module build (the same code as its CommonJS `node` build), so esbuild drops
// what parseDocument does not reach (scripts/build.mjs aliases `yaml` here).
export { LineCounter, isMap, isScalar, isSeq, parseDocument } from '../../node_modules/yaml/browser/dist/index.js';
