// Bundles src/ and the runtime libraries (prompts, handlebars, kolorist, fs-extra, jsonc-parser, diff)
// into one ESM file, so the published package has no runtime dependencies.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Stale chunks of an earlier build must not ship.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  // `check` imports the Dockerfile rule checker (and its parser) dynamically: a
  // chunk of its own, so a normal run neither loads nor parses it.
  splitting: true,
  // Beside index.js: paths like ../templates resolve from every chunk alike.
  chunkNames: '[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  // jsonc-parser's `main` is a UMD build whose factory calls a `require` esbuild
  // cannot follow (it fails at run time); its ES module build bundles and tree-shakes.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
  // handlebars and fs-extra are CommonJS and call require() for Node built-ins;
  // an ESM bundle has no require, so give it one.
  banner: { js: "import { createRequire as __cmsCreateRequire } from 'node:module'; const require = __cmsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
