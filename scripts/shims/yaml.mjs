// No longer bundled: scripts/build.mjs now aliases `yaml` to yaml-cst.mjs (the
// parser only). This file is read only by test/unit/bundle-shims.test.ts, which
// checks that yaml's ES module build parses as its CommonJS one; it can go with
// that test's yaml block.
//
// What src/workspace/pnpm-workspace.ts took from yaml, from the library's ES
// module build (the same code as its CommonJS `node` build), so esbuild drops
// what parseDocument does not reach.
export { LineCounter, isMap, isScalar, isSeq, parseDocument } from '../../node_modules/yaml/browser/dist/index.js';
