// Bundles src/ and the runtime libraries (prompts, handlebars, kolorist, fs-extra, jsonc-parser, diff)
// into dist/, so the published package has no runtime dependencies. Start-up
// matters (issue 12): each command loads only what it needs.
//   - dist/index.js (src/entry.ts) is what the launcher imports; it answers
//     `--version` and imports the CLI (src/index.ts) as a chunk. What only some
//     commands need (kit code, `check`, prompts, the Dockerfile parser) sits in
//     chunks of its own that are imported when needed.
//   - The built-in templates are compiled here (src/precompiled-templates.ts
//     is replaced by their compiled form), so a plain run needs only the
//     Handlebars runtime. The compiler, for a kit's templates or an older
//     version's, is a CommonJS bundle of its own (dist/handlebars-compiler.cjs)
//     that src/render.ts requires when a template has no precompiled form.
//   - After the build, what the entry and the CLI chunk load statically is
//     checked against modules they must not load (scripts/build-check.mjs).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLoading } from './build-check.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const Handlebars = createRequire(import.meta.url)('handlebars');

// Stale chunks of an earlier build must not ship.
rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });

/** Every `.hbs` file under templates/, as text, with the top folder it sits in (a stack's, or shared). */
function templateSources(dir = path.join(ROOT, 'templates'), group = undefined) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return templateSources(full, group ?? entry.name);
    return entry.name.endsWith('.hbs') && group ? [{ group, source: readFileSync(full, 'utf8') }] : [];
  });
}

// The key a template is found by at run time: its length and a 53-bit hash of
// its text (cyrb53). The same function is written into the generated module.
const keySource = `function key(s) {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return s.length + ':' + (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}`;
const key = new Function(`${keySource}; return key;`)();

// Two things that make the compiled form three times the size of the templates
// and change nothing a template renders (the tarball must stay under 200 kB):
// the fallback property reader every block repeats (the runtime always
// supplies container.lookupProperty), written once; and the source position
// passed to helpers in their options, which no helper here reads (eq, json,
// join and Handlebars' own if/unless/each/with). The position given to
// container.strict stays: it ends the "not defined" message of a missing key.
const LOOKUP_FALLBACK =
  /container\.lookupProperty \|\| function\(parent, propertyName\) \{\n\s*if \(Object\.prototype\.hasOwnProperty\.call\(parent, propertyName\)\) \{\n\s*return parent\[propertyName\];\n\s*\}\n\s*return undefined\n\s*\}/g;
const HELPER_LOC = /,"loc":\{"start":\{"line":\d+,"column":\d+\},"end":\{"line":\d+,"column":\d+\}\}/g;
function slim(spec) {
  return compact(spec.replace(LOOKUP_FALLBACK, 'container.lookupProperty || lookupOwn').replace(HELPER_LOC, ''));
}

// The two shapes that make up most of the compiled code, written out in full at
// every use (170 characters for a `{{name}}`), become calls to two functions
// written once in the module (MUSTACHE_SOURCE, BLOCK_SOURCE), which compute
// the same thing in the same way: `{{name}}` (a helper of that name, else the
// context's key, strict) and a block helper over a plain key (`{{#if key}}`,
// `{{#each key}}`, `{{#unless key}}`). The compiler names what a function uses
// twice `aliasN` (the context, container.strict, "function"): each alias is
// checked to stand for what the shape expects, function by function; anything
// else is left as the compiler wrote it.
const CTX = 'depth0 != null ? depth0 : (container.nullContext || {})';
const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAME = '("(?:[^"\\\\\n]|\\\\.)*")';
const MUSTACHE = new RegExp(
  esc('((stack1 = (((helper = lookupProperty(helpers,') +
    NAME +
    esc(') || ') +
    '(container\\.strict|alias\\d+)' +
    esc('(depth0, ') +
    '\\1' +
    esc(', {"start":{"line":') +
    '(\\d+)' +
    esc(',"column":') +
    '(\\d+)' +
    esc('},"end":{"line":') +
    '(\\d+)' +
    esc(',"column":') +
    '(\\d+)' +
    esc('}} ))),(typeof helper === ') +
    '("function"|alias\\d+)' +
    esc(' ? helper.call(') +
    `(${esc(CTX)}|alias\\d+)` +
    esc(',{"name":') +
    '\\1' +
    esc(',"hash":{},"data":data}) : helper))) != null ? stack1 : "")'),
  'g',
);
const BLOCK = new RegExp(
  esc('((stack1 = lookupProperty(helpers,') +
    NAME +
    esc(').call(') +
    `(${esc(CTX)}|alias\\d+)` +
    ',(lookupProperty\\(depth0,"[A-Za-z_$][\\w$]*"\\))' +
    esc(',{"name":') +
    '\\1' +
    esc(',"hash":{},"fn":') +
    '(container\\.program\\(\\d+, data, 0\\))' +
    esc(',"inverse":') +
    '(container\\.noop|container\\.program\\(\\d+, data, 0\\))' +
    esc(',"data":data})) != null ? stack1 : "")'),
  'g',
);
const MUSTACHE_SOURCE = `function mustache(container, depth0, helpers, data, name, l1, c1, l2, c2) {
  var stack1, helper;
  return (stack1 = ((helper = (container.lookupProperty || lookupOwn)(helpers, name) || container.strict(depth0, name, { start: { line: l1, column: c1 }, end: { line: l2, column: c2 } })), (typeof helper === "function" ? helper.call(${CTX}, { name: name, hash: {}, data: data }) : helper))) != null ? stack1 : "";
}
function block(container, depth0, helpers, data, name, value, fn, inverse) {
  var stack1;
  return (stack1 = (container.lookupProperty || lookupOwn)(helpers, name).call(${CTX}, value, { name: name, hash: {}, fn: fn, inverse: inverse, data: data })) != null ? stack1 : "";
}`;
const FUNCTION_HEAD = /(?=function\(container,depth0,helpers,partials,data[^)]*\) \{)/;
function compact(spec) {
  return spec
    .split(FUNCTION_HEAD)
    .map((body) => {
      const head = body.slice(0, body.indexOf(';'));
      const stands = (alias, text) => !alias.startsWith('alias') || alias === text || new RegExp(`[ ,]${alias}=${esc(text)}[,;]`).test(head + ';');
      return body
        .replace(MUSTACHE, (whole, name, strict, l1, c1, l2, c2, fnWord, ctx) =>
          stands(strict, 'container.strict') && stands(fnWord, '"function"') && stands(ctx, CTX) ? `mustache(container, depth0, helpers, data, ${name}, ${l1}, ${c1}, ${l2}, ${c2})` : whole,
        )
        .replace(BLOCK, (whole, name, ctx, value, fn, inverse) => (stands(ctx, CTX) ? `block(container, depth0, helpers, data, ${name}, ${value}, ${fn}, ${inverse})` : whole));
    })
    .join('');
}

// The text a template writes is most of its compiled form, and the template's
// own text is at hand when it is looked up (its key is computed from it): each
// string the compiler wrote that is a piece of the template's text becomes
// T.slice(start, end) over it (T: the source), checked here to be equal, so the
// text is shipped once. A string the template does not hold whole (text around
// a stripped `{{#if}}` line) is rebuilt from the longest pieces it does hold.
const STRING = /"(?:[^"\\\n]|\\.)*"(\s*:)?/g;
function fromSource(spec, source) {
  return spec.replace(STRING, (literal, isKey) => {
    if (isKey) return literal;
    const value = JSON.parse(literal);
    if (value.length < 24) return literal;
    const parts = [];
    for (let at = 0; at < value.length;) {
      let best = { start: -1, length: 0 };
      // Longest prefix of the rest that occurs in the source (binary search on its length).
      let lo = 1;
      let hi = value.length - at;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const start = source.indexOf(value.slice(at, at + mid));
        if (start >= 0) {
          best = { start, length: mid };
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (best.length < 12) return literal; // not worth it: keep the string as the compiler wrote it
      parts.push(best);
      at += best.length;
    }
    const rebuilt = parts.map((p) => source.slice(p.start, p.start + p.length)).join('');
    if (rebuilt !== value) throw new Error(`precompiled templates: a rebuilt string differs from ${literal}`);
    return parts.map((p) => `T.slice(${p.start},${p.start + p.length})`).join('+');
  });
}

// The compiled templates are split by top folder of templates/ (one chunk per
// stack, one for shared/): a run imports the shared chunk and its stack's
// (loadPrecompiled, before rendering), so it parses only the code it may run.
const GROUP_PREFIX = 'precompiled-templates:';

/** The module that replaces src/precompiled-templates.ts: the lookup, the helpers the compiled code calls, and an import() per group. */
function precompiledModule() {
  const groups = [...new Set(templateSources().map((t) => t.group))].sort();
  const loaders = groups.map((g) => `${JSON.stringify(g)}: () => import(${JSON.stringify(GROUP_PREFIX + g)})`).join(',\n');
  return `${keySource}
export function lookupOwn(parent, name) {
  if (Object.prototype.hasOwnProperty.call(parent, name)) return parent[name];
}
export ${MUSTACHE_SOURCE.replace('\nfunction block(', '\nexport function block(')}
const GROUPS = {
${loaders}
};
const SPECS = {};
const loaded = new Set();
/** Makes the compiled templates of templates/<folder> (and of shared/) available to precompiled(). */
export async function loadPrecompiled(folder) {
  for (const group of ['shared', folder]) {
    if (loaded.has(group) || !Object.hasOwn(GROUPS, group)) continue;
    loaded.add(group);
    Object.assign(SPECS, (await GROUPS[group]()).SPECS);
    found.clear();
  }
}
// Each text is hashed once: a run looks every template and partial up two or
// three times (is the render runtime-only? then the spec itself).
const found = new Map();
export function precompiled(source) {
  let spec = found.get(source);
  if (spec === undefined && !found.has(source)) {
    const k = key(source);
    spec = Object.hasOwn(SPECS, k) ? SPECS[k](source) : undefined;
    found.set(source, spec);
  }
  return spec;
}
`;
}

/** The compiled form of every template of one group (a stack's folder, or shared). */
function groupModule(group, helpers) {
  const specs = new Map();
  for (const { source } of templateSources().filter((t) => t.group === group)) {
    // Keep these options in step with COMPILE_OPTIONS in src/render.ts.
    specs.set(key(source), `(T) => (${fromSource(slim(Handlebars.precompile(source, { noEscape: true, strict: true })), source)})`);
  }
  const entries = [...specs].map(([k, spec]) => `${JSON.stringify(k)}: ${spec}`).join(',\n');
  return `import { lookupOwn, mustache, block } from ${JSON.stringify(helpers)};
export const SPECS = {
${entries}
};
`;
}

const precompiledPlugin = {
  name: 'precompiled-templates',
  setup(b) {
    const helpers = path.join(ROOT, 'src', 'precompiled-templates.ts');
    b.onLoad({ filter: /[\\/]src[\\/]precompiled-templates\.ts$/ }, () => ({ contents: precompiledModule(), loader: 'js' }));
    b.onResolve({ filter: new RegExp(`^${GROUP_PREFIX}`) }, (args) => ({ path: args.path.slice(GROUP_PREFIX.length), namespace: 'precompiled-templates' }));
    b.onLoad({ filter: /.*/, namespace: 'precompiled-templates' }, (args) => ({ contents: groupModule(args.path, helpers), loader: 'js', resolveDir: ROOT }));
  },
};

// prompts/lib/prompts.js requires './elements', whose index loads all nine
// prompt types: it gets scripts/shims/prompts-elements.cjs, which loads only the
// three src/prompts.ts asks for. (`alias` takes package paths only, not a
// relative one; and the `prompts` alias would turn the shim's own
// require('prompts/lib/elements/…') into prompts/lib/index.js/lib/elements/….)
const PROMPTS_ELEMENTS = path.join(ROOT, 'scripts', 'shims', 'prompts-elements.cjs');
const promptsElementsPlugin = {
  name: 'prompts-elements',
  setup(b) {
    b.onResolve({ filter: /^\.\/elements$/ }, (args) => (/[\\/]node_modules[\\/]prompts[\\/]lib[\\/]prompts\.js$/.test(args.importer) ? { path: PROMPTS_ELEMENTS } : undefined));
    b.onResolve({ filter: /^prompts\/lib\/elements\// }, (args) => (args.importer === PROMPTS_ELEMENTS ? { path: createRequire(import.meta.url).resolve(args.path) } : undefined));
  },
};

const shared = { bundle: true, platform: 'node', target: 'node20', minify: true, legalComments: 'linked', logLevel: 'warning' };

const result = await build({
  ...shared,
  entryPoints: [{ in: 'src/entry.ts', out: 'index' }],
  outdir: 'dist',
  splitting: true,
  // Beside index.js: paths like ../templates resolve from every chunk alike.
  chunkNames: '[name]-[hash]',
  format: 'esm',
  metafile: true,
  plugins: [precompiledPlugin, promptsElementsPlugin],
  alias: {
    // jsonc-parser's `main` is a UMD build whose factory calls a `require` esbuild
    // cannot follow (it fails at run time); its ES module build bundles and tree-shakes.
    'jsonc-parser': 'jsonc-parser/lib/esm/main.js',
    // prompts' index.js picks dist/ (for Node < 8.6) or lib/ at run time, so a bundle would hold both.
    prompts: 'prompts/lib/index.js',
    // yaml's `node` build is CommonJS and ships whole (115 kB minified); the
    // shim takes the CST parser pnpm-workspace.ts uses from its ES module build.
    yaml: './scripts/shims/yaml-cst.mjs',
    // dockerfile-ast and dockerfile-utils require() five members of this 28 kB
    // library, which esbuild cannot tree-shake behind require: a copy of those five.
    'vscode-languageserver-types': './scripts/shims/vscode-languageserver-types.cjs',
  },
  define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version), __HANDLEBARS_COMPILER__: JSON.stringify('./handlebars-compiler.cjs') },
  // handlebars and fs-extra are CommonJS and call require() for Node built-ins;
  // an ESM bundle has no require, so give it one.
  banner: { js: "import { createRequire as __cmsCreateRequire } from 'node:module'; const require = __cmsCreateRequire(import.meta.url);" },
});

// The compiler for templates that were not compiled here. The Handlebars
// runtime it builds on is the one the main chunk already holds: the bundle
// exports a function that takes it (src/render.ts passes it), and the four
// runtime modules the compiler requires become what that instance carries
// (itself, its Exception and Utils; base's COMPILER_REVISION and
// REVISION_CHANGES are on it too), so the runtime ships once.
const RUNTIME_PARTS = { './handlebars.runtime': 'runtime', '../base': 'runtime', '../exception': 'runtime.Exception', '../utils': 'runtime.Utils' };
const sharedRuntimePlugin = {
  name: 'shared-handlebars-runtime',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(handlebars\.runtime|base|exception|utils)$/ }, (args) =>
      /[\\/]handlebars[\\/]dist[\\/]cjs[\\/]/.test(args.importer) ? { path: args.path, namespace: 'handlebars-runtime' } : undefined,
    );
    b.onResolve({ filter: /^handlebars-runtime:injected$/ }, () => ({ path: 'injected', namespace: 'handlebars-runtime' }));
    b.onLoad({ filter: /.*/, namespace: 'handlebars-runtime' }, (args) => ({
      contents: args.path === 'injected' ? 'module.exports = {};' : `const { runtime } = require('handlebars-runtime:injected'); module.exports = ${RUNTIME_PARTS[args.path]};`,
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
};
await build({
  ...shared,
  stdin: {
    contents: "const injected = require('handlebars-runtime:injected'); module.exports = (runtime) => { injected.runtime = runtime; return require('handlebars/dist/cjs/handlebars.js').default; };",
    resolveDir: ROOT,
    loader: 'js',
  },
  outfile: 'dist/handlebars-compiler.cjs',
  format: 'cjs',
  plugins: [sharedRuntimePlugin],
  // source-map only serves source maps, which are never asked for: without it
  // code-gen.js builds the same code with its plain string builder.
  alias: { 'source-map': './scripts/empty-module.cjs' },
});

// The module map, for whoever wants to see what went where (not shipped).
const metaDir = path.join(ROOT, 'node_modules', '.cache', 'create-multistage-build');
mkdirSync(metaDir, { recursive: true });
writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify(result.metafile));

const problems = checkLoading(result.metafile);
if (problems.length > 0) {
  console.error(`Build check failed: a command loads modules it does not need.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
