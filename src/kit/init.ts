import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { toProjectName } from '../validate.js';
import { writeAll } from '../write.js';
import { MANIFEST_FILE } from './manifest.js';

/** Where editors find the schema; the package ships it under schema/. */
export function schemaUrl(version: string): string {
  return `https://unpkg.com/create-multistage@${version}/schema/multistage-kit.schema.json`;
}

/** The skeleton's files, by path. Everything in it passes `kit check` as written. */
export function skeletonFiles(name: string, version: string): Record<string, string> {
  const manifest = {
    $schema: schemaUrl(version),
    name,
    version: '0.1.0',
    description: 'Docker defaults for our repositories (edit me)',
    stacks: {
      '*': {
        images: {
          node: 'registry.example.com/mirror/node',
          golang: 'registry.example.com/mirror/golang',
          debian: 'registry.example.com/mirror/debian',
          gcc: 'registry.example.com/mirror/gcc',
          'gcr.io/distroless/': 'registry.example.com/distroless/',
        },
        labels: {
          'org.opencontainers.image.vendor': 'Example Corp',
          'com.example.team': 'platform',
        },
        caCertificates: [],
        files: [{ template: 'files/docker-workflow.yml.hbs', path: '.github/workflows/docker.yml' }],
        partials: { 'oci-labels': 'partials/oci-labels.hbs' },
      },
      nextjs: {
        defaults: { runtime: 'slim' },
        locked: {},
      },
    },
  };
  return {
    [MANIFEST_FILE]: `${JSON.stringify(manifest, null, 2)}\n`,
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: 'An organisation starter kit for create-multistage',
        keywords: ['create-multistage-kit'],
        files: [MANIFEST_FILE, 'ca', 'files', 'partials', 'README.md'],
        license: 'UNLICENSED',
      },
      null,
      2,
    )}\n`,
    'README.md': README(name),
    'ca/README.md': CA_README,
    'files/docker-workflow.yml.hbs': WORKFLOW,
    'partials/oci-labels.hbs': OCI_LABELS,
  };
}

const README = (name: string): string => `# ${name}

An organisation starter kit for [create-multistage](https://www.npmjs.com/package/create-multistage):
data and Handlebars templates that every repository's generated Docker files
follow. A kit cannot run code and cannot write outside the project.

## What this skeleton does (edit \`${MANIFEST_FILE}\`)

- \`stacks["*"]\` applies to every stack; \`stacks.<id>\` (e.g. \`nextjs\`, \`go\`,
  \`cpp\`) to one, and wins where both say something.
- \`images\`: base images point at \`registry.example.com\`: **replace it with
  your mirror** (or delete the entries). A key is a repository as generated
  (\`node\`, \`golang\`); a key ending in \`/\` replaces a prefix. A value
  without a tag keeps the generated tag.
- \`labels\`: added to every production stage.
- \`caCertificates\`: PEM files of this kit (see \`ca/README.md\`), trusted in
  every stage and in the production image.
- \`files\`: extra files rendered into the project (here a CI workflow).
  Only \`.hbs\` files are templates; write \`$\\{{ ... }}\` for a literal
  \`\${{ ... }}\` (GitHub Actions expressions).
- \`partials\`: replace a built-in partial by name (\`oci-labels\`, or one stage
  of a Dockerfile: \`stage-base\`, \`stage-dependencies\`, \`stage-development\`,
  \`stage-builder\`, \`stage-production\`).
- \`defaults\` / \`locked\`: answers by flag name. Defaults are used without
  asking; locked answers cannot be changed by a flag without \`--force\`.

Templates may use \`if\`, \`unless\`, \`each\`, \`with\`, \`eq\`, \`json\` and \`join\`
only. The full reference is docs/kits.md in the create-multistage repository.

## Check and use it

    npx create-multistage kit check .
    npx create-multistage my-app --kit ./${name}
    npm pack && npx create-multistage my-app --kit ./${name}-0.1.0.tgz

Published to your registry, a repository pins it in its package.json:

    "multistage": { "kit": "${name}" }
`;

const CA_README = `# CA certificates

Put your organisation's root (or intermediate) CA certificates here as PEM
files, one or more \`-----BEGIN CERTIFICATE-----\` blocks each, and list them in
\`${MANIFEST_FILE}\`:

    "caCertificates": ["ca/example-root-ca.pem"]

create-multistage copies them into the project as \`.multistage/ca/<name>.crt\`,
installs them into the system store in the \`base\` stage
(\`update-ca-certificates\`), and copies the resulting bundle into every stage
that starts from another image, so the production image trusts them whatever
its runtime (slim, distroless, scratch). \`NODE_EXTRA_CA_CERTS\` and
\`SSL_CERT_FILE\` point at the bundle.

Certificates only: a file with a private key is refused.
`;

const WORKFLOW = `# Builds every target of {{name}} on each push (added by the organisation's create-multistage kit).
name: docker

on:
  push:
    branches: [main]
  pull_request:

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
      - name: Build the development target
        run: docker build --target development -t {{name}}:dev .
      - name: Build the production image
        run: docker build --target production -t {{name}}:$\\{{ github.sha }} .
{{#each extraTargets}}
      - name: Build {{this}}
        run: docker build --target {{this}} -t {{@root.name}}-{{this}}:$\\{{ github.sha }} .
{{/each}}
`;

const OCI_LABELS = `LABEL org.opencontainers.image.title="{{labels.title}}" \\
      org.opencontainers.image.documentation="https://docs.example.com/images/{{labels.title}}"{{#if labels.version}} \\
      org.opencontainers.image.version="{{labels.version}}"{{/if}}{{#if labels.source}} \\
      org.opencontainers.image.source="{{labels.source}}"{{/if}}
`;

/** `kit init <dir>`: writes the skeleton, all files or none, never over an existing file. */
export function initKit(dirArg: string, cwd: string, version: string): { dir: string; files: string[] } {
  const dir = path.resolve(cwd, dirArg);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`${dirArg} exists and is not a directory.`);
  const name = toProjectName(path.basename(dir)) ?? 'multistage-kit';
  const files = skeletonFiles(name, version);
  const present = Object.keys(files).filter((rel) => fs.existsSync(path.join(dir, ...rel.split('/'))));
  if (present.length > 0) {
    throw new UsageError(`kit init does not overwrite: ${present.join(', ')} already ${present.length === 1 ? 'exists' : 'exist'} in ${dirArg}. Choose an empty or new directory.`);
  }
  // writeAll creates missing folders (the target included) and removes them again if anything fails.
  writeAll(
    dir,
    Object.entries(files).map(([rel, content]) => ({ path: rel, content })),
  );
  return { dir, files: Object.keys(files) };
}
