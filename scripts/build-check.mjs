// What each command may load, checked on esbuild's metafile after every build
// (scripts/build.mjs fails the build on a problem, and so `npm test`).
//   - dist/index.js (the launcher's import, all that `--version` loads) and
//     its static imports: no library, no stack, no kit.
//   - the CLI chunk (src/index.ts, loaded for a run) and its static imports:
//     no kit code, no prompt library, no Handlebars compiler, no Dockerfile
//     parser, no `check` code. Those come in by import() when a command needs them.
const ENTRY_FORBIDDEN = [/node_modules\//, /^src\/(stacks|kit|check|upgrade|workspace)\//, /^src\/(render|pipeline|create|cli)\.ts$/];
const RUN_FORBIDDEN = [
  /^src\/kit\/(?!errors\.ts$|pin\.ts$)/, // the error names and the package.json pin reader only
  /^src\/check\//,
  /node_modules\/prompts\//,
  /node_modules\/handlebars\/dist\/cjs\/handlebars\/compiler\//,
  /node_modules\/handlebars\/lib\//,
  /node_modules\/dockerfile-(ast|utils)\//,
  /node_modules\/source-map\//,
];

/** Source modules in `output` and in every chunk it imports statically, transitively. */
export function staticInputs(metafile, output) {
  const seen = new Set();
  const inputs = new Set();
  const visit = (out) => {
    if (seen.has(out)) return;
    seen.add(out);
    const meta = metafile.outputs[out];
    if (!meta) return;
    for (const input of Object.keys(meta.inputs)) inputs.add(input);
    for (const imported of meta.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(output);
  return inputs;
}

function outputFor(metafile, entryPoint) {
  return Object.keys(metafile.outputs).find((out) => metafile.outputs[out].entryPoint === entryPoint);
}

export function checkLoading(metafile) {
  const problems = [];
  const check = (entryPoint, forbidden, what) => {
    const out = outputFor(metafile, entryPoint);
    if (!out) return void problems.push(`no output for ${entryPoint}`);
    for (const input of staticInputs(metafile, out)) {
      if (forbidden.some((re) => re.test(input))) problems.push(`${what} loads ${input}`);
    }
  };
  check('src/entry.ts', ENTRY_FORBIDDEN, '`--version` (dist/index.js)');
  check('src/index.ts', RUN_FORBIDDEN, 'a run without a kit (the CLI chunk)');
  return problems;
}
