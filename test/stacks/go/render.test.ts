// Go templates: every runtime × one/several binaries × vendor × go.sum × cgo
// renders a Dockerfile with zero DOCKERFILE-RULES violations, and the wiring
// the contract asks for is there: cross-compiling builder on $BUILDPLATFORM
// with TARGETOS/TARGETARCH declared after the module download (cgo: none of
// it), -mod=vendor without a download, go.sum optional, per-project cache ids.

import { describe, expect, it } from 'vitest';
import { Project } from '../../../src/project.js';
import { renderFolder, type RenderedFile } from '../../../src/render.js';
import { dockerScripts } from '../../../src/scripts.js';
import { go, type GoDetection } from '../../../src/stacks/go.js';
import type { GoFacts, GoMain } from '../../../src/stacks/go-detect.js';
import type { Answers, Detection } from '../../../src/stacks/types.js';

type GoStackContext = ReturnType<typeof go.context>;
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { makeTree } from '../../helpers/tree.js';

const RUNTIMES = ['distroless', 'scratch', 'slim'] as const;
const STAGES = ['base', 'dependencies', 'development', 'builder', 'production'];
const emptyProject = new Project(makeTree({}));

interface Shape {
  multi: boolean;
  vendor: boolean;
  goSum: boolean;
  cgo: boolean;
  selfHealthcheck: boolean;
  localReplace: boolean;
}

function facts(shape: Shape): GoFacts {
  const mains: GoMain[] = shape.multi
    ? [
        { name: 'api', dir: 'cmd/api', selfHealthcheck: shape.selfHealthcheck, server: true },
        { name: 'worker', dir: 'cmd/worker', selfHealthcheck: false, server: true },
      ]
    : [{ name: 'shop', dir: '.', selfHealthcheck: shape.selfHealthcheck, server: true }];
  return {
    modulePath: 'github.com/acme/shop',
    goLine: '1.25',
    toolchain: '',
    hasGoSum: shape.goSum,
    vendor: shape.vendor,
    cgo: shape.cgo,
    mains,
    localReplaces: shape.localReplace && !shape.vendor ? ['libs/a'] : [],
    ignoredOutputDirs: ['bin', 'dist', 'tmp'],
  };
}

function existing(shape: Shape): Detection<GoDetection> {
  return { existing: true, values: {}, facts: facts(shape), notes: [] };
}

function render(mode: 'new' | 'existing', detection: Detection<GoDetection>, answers: Answers): { ctx: GoStackContext; files: Map<string, string> } {
  const ctx = go.context({ mode, answers: { compose: true, ...answers }, detection, project: emptyProject });
  const rendered: RenderedFile[] = renderFolder(go.templates.docker, { stackDir: 'go', kind: 'docker', context: ctx });
  return { ctx, files: new Map(rendered.map((f) => [f.path, f.content])) };
}

function baseAnswers(runtime: string, multi: boolean): Answers {
  return { name: 'shop', port: 8080, 'go-version': '1.25', runtime, ...(multi ? { targets: ['api', 'worker'] } : { targets: ['shop'] }) };
}

function check(files: Map<string, string>, ctx: GoStackContext): void {
  const dockerfile = files.get('Dockerfile')!;
  const violations = checkDockerfile(dockerfile, {
    dockerignore: files.get('.dockerignore')!,
    productionTargets: ['production', ...ctx.extraTargets],
    expectedStages: STAGES,
  });
  expect(violations, `${formatViolations(violations)}\n\n${dockerfile}`).toEqual([]);
}

/** Every combination the stack can produce for an existing project. */
function combinations(): { label: string; shape: Shape; runtime: (typeof RUNTIMES)[number] }[] {
  const out: { label: string; shape: Shape; runtime: (typeof RUNTIMES)[number] }[] = [];
  const bools = [false, true];
  for (const runtime of RUNTIMES)
    for (const multi of bools)
      for (const vendor of bools)
        for (const goSum of bools)
          for (const cgo of bools)
            for (const selfHealthcheck of bools) {
              if (cgo && runtime === 'scratch') continue; // not offered: a cgo binary needs a C library
              const shape = { multi, vendor, goSum, cgo, selfHealthcheck, localReplace: multi && goSum };
              const label = `${runtime} ${multi ? 'two binaries' : 'one binary'}${vendor ? ' vendor' : ''}${goSum ? '' : ' no-go.sum'}${cgo ? ' cgo' : ''}${selfHealthcheck ? ' self-healthcheck' : ''}`;
              out.push({ label, shape, runtime });
            }
  return out;
}

const stageText = (dockerfile: string, stage: string): string => {
  const start = dockerfile.search(new RegExp(`^FROM .* AS ${stage}$`, 'm'));
  if (start < 0) throw new Error(`no stage ${stage}`);
  const next = dockerfile.slice(start + 1).search(/^FROM /m);
  return next < 0 ? dockerfile.slice(start) : dockerfile.slice(start, start + 1 + next);
};

describe('every combination passes the Dockerfile rules', () => {
  it.each(combinations().map((c) => [c.label, c] as const))('%s', (_label, { shape, runtime }) => {
    const { ctx, files } = render('existing', existing(shape), baseAnswers(runtime, shape.multi));
    check(files, ctx);
    expect([...files.keys()].sort()).toEqual(['.dockerignore', 'Dockerfile', 'README.Docker.md', 'compose.yaml']);
  });

  it.each(RUNTIMES)('a new project on %s: HEALTHCHECK runs the binary itself', (runtime) => {
    const { ctx, files } = render('new', { existing: false, values: {}, facts: undefined, notes: [] }, { name: 'hello', port: 8080, 'go-version': '1.27', runtime });
    check(files, ctx);
    const dockerfile = files.get('Dockerfile')!;
    expect(dockerfile).toContain('CMD ["/app/hello","-healthcheck"]');
    expect(dockerfile).toContain('-o /out/hello .');
    expect(dockerfile).toContain('--targets hello');
  });
});

describe('cross-compiling builder', () => {
  const { files } = render('existing', existing({ multi: true, vendor: false, goSum: true, cgo: false, selfHealthcheck: true, localReplace: false }), baseAnswers('distroless', true));
  const dockerfile = files.get('Dockerfile')!;

  it('only the Go base stage runs on $BUILDPLATFORM; the runtime stages stay on the target platform', () => {
    const froms = dockerfile.split('\n').filter((line) => line.startsWith('FROM '));
    expect(froms[0]).toBe('FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS base');
    expect(froms.slice(1).filter((line) => line.includes('--platform'))).toEqual([]);
    expect(froms).toContain('FROM ${RUNTIME_IMAGE} AS production');
    expect(froms).toContain('FROM ${RUNTIME_IMAGE} AS production-worker');
  });

  it('TARGETOS/TARGETARCH are declared in the builder, after the module download, and feed GOOS/GOARCH', () => {
    const download = dockerfile.indexOf('go mod download');
    const builder = stageText(dockerfile, 'builder');
    expect(download).toBeGreaterThan(0);
    expect(dockerfile.indexOf('ARG TARGETOS')).toBeGreaterThan(download);
    expect(builder).toContain('ARG TARGETOS\nARG TARGETARCH\n');
    expect(stageText(dockerfile, 'dependencies')).not.toContain('TARGET');
    expect(builder).toContain('GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api');
    expect(builder).toContain('&& GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/worker ./cmd/worker');
    expect(dockerfile).toContain('ENV CGO_ENABLED=0');
  });

  it('cache mounts carry per-project ids on the module and build caches', () => {
    expect(stageText(dockerfile, 'dependencies')).toContain('--mount=type=cache,id=shop-gomod,target=/go/pkg/mod');
    expect(stageText(dockerfile, 'builder')).toContain('--mount=type=cache,id=shop-gomod,target=/go/pkg/mod');
    expect(stageText(dockerfile, 'builder')).toContain('--mount=type=cache,id=shop-gobuild,target=/root/.cache/go-build');
  });

  it('each production stage copies only its own binary from the builder', () => {
    expect(stageText(dockerfile, 'production')).toContain('COPY --from=builder /out/api /app/api\n');
    expect(stageText(dockerfile, 'production')).not.toContain('/out/worker');
    expect(stageText(dockerfile, 'production-worker')).toContain('COPY --from=builder /out/worker /app/worker\n');
    expect(stageText(dockerfile, 'production-worker')).toContain('ENTRYPOINT ["/app/worker"]');
  });
});

describe('cgo', () => {
  it('builds on the target platform with CGO_ENABLED=1 and ships on distroless cc', () => {
    const { files } = render('existing', existing({ multi: false, vendor: false, goSum: true, cgo: true, selfHealthcheck: false, localReplace: false }), baseAnswers('distroless', false));
    const dockerfile = files.get('Dockerfile')!;
    expect(dockerfile).not.toContain('--platform');
    expect(dockerfile).not.toContain('TARGETOS');
    expect(dockerfile).toContain('FROM ${GO_IMAGE} AS base');
    expect(dockerfile).toContain('ENV CGO_ENABLED=1');
    expect(dockerfile).toContain('ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian13:nonroot');
    expect(dockerfile).toContain('go build -trimpath -ldflags="-s -w" -o /out/shop .');
  });

  it('scratch is not offered: a cgo binary needs a C library', () => {
    const runtime = go.questions.find((q) => q.flag === 'runtime')!;
    const cgoDetection = existing({ multi: false, vendor: false, goSum: true, cgo: true, selfHealthcheck: false, localReplace: false });
    expect(runtime.choices!({ mode: 'existing', answers: {}, detection: cgoDetection }).map((c) => c.value)).toEqual(['distroless', 'slim']);
    const pure = existing({ multi: false, vendor: false, goSum: true, cgo: false, selfHealthcheck: false, localReplace: false });
    expect(runtime.choices!({ mode: 'existing', answers: {}, detection: pure }).map((c) => c.value)).toEqual(['distroless', 'scratch', 'slim']);
  });
});

describe('dependencies', () => {
  it('vendor/: -mod=vendor on build and run, vendor/ copied, nothing downloaded', () => {
    const { files } = render('existing', existing({ multi: false, vendor: true, goSum: true, cgo: false, selfHealthcheck: false, localReplace: false }), baseAnswers('distroless', false));
    const dockerfile = files.get('Dockerfile')!;
    expect(dockerfile).not.toContain('go mod download');
    expect(dockerfile).not.toContain('-gomod');
    expect(stageText(dockerfile, 'dependencies')).toContain('COPY vendor ./vendor');
    expect(dockerfile).toContain('go build -mod=vendor -trimpath');
    expect(dockerfile).toContain('CMD ["go","run","-mod=vendor","."]');
    expect(files.get('.dockerignore')).not.toMatch(/^vendor/m);
  });

  it('go.sum is copied when present; without it the wildcard copies nothing and later picks it up', () => {
    const withSum = render('existing', existing({ multi: false, vendor: false, goSum: true, cgo: false, selfHealthcheck: false, localReplace: false }), baseAnswers('distroless', false));
    expect(withSum.files.get('Dockerfile')).toContain('COPY go.mod go.sum ./\n');
    const without = render('existing', existing({ multi: false, vendor: false, goSum: false, cgo: false, selfHealthcheck: false, localReplace: false }), baseAnswers('distroless', false));
    expect(without.files.get('Dockerfile')).toContain('COPY go.mod go.sum* ./\n');
  });

  it('local replace targets get their go.mod copied before the download', () => {
    const { files } = render('existing', existing({ multi: false, vendor: false, goSum: true, cgo: false, selfHealthcheck: false, localReplace: true }), baseAnswers('distroless', false));
    const dependencies = stageText(files.get('Dockerfile')!, 'dependencies');
    expect(dependencies.indexOf('COPY libs/a/go.mod ./libs/a/go.mod')).toBeGreaterThan(-1);
    expect(dependencies.indexOf('COPY libs/a/go.mod')).toBeLessThan(dependencies.indexOf('go mod download'));
  });

  it('development gets the modules into the image from the cache, offline, before the source', () => {
    const { files } = render('existing', existing({ multi: false, vendor: false, goSum: true, cgo: false, selfHealthcheck: false, localReplace: false }), baseAnswers('distroless', false));
    const development = stageText(files.get('Dockerfile')!, 'development');
    expect(development).toContain('GOPROXY="file:///tmp/gomodcache/cache/download,$(go env GOPROXY)" go mod download');
    expect(development.indexOf('go mod download')).toBeLessThan(development.indexOf('COPY . .'));
  });
});

describe('runtimes', () => {
  const shape: Shape = { multi: false, vendor: false, goSum: true, cgo: false, selfHealthcheck: false, localReplace: false };

  it('distroless: static -debian13 nonroot, no HEALTHCHECK without a self-probe (the documented exception)', () => {
    const dockerfile = render('existing', existing(shape), baseAnswers('distroless', false)).files.get('Dockerfile')!;
    expect(dockerfile).toContain('ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian13:nonroot');
    expect(dockerfile).not.toContain('debian12');
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    expect(dockerfile).toContain('USER 65532:65532');
  });

  it('scratch: passwd/group, CA certificates and zoneinfo from a pinned distroless image, numeric nonroot user', () => {
    const dockerfile = render('existing', existing(shape), baseAnswers('scratch', false)).files.get('Dockerfile')!;
    const production = stageText(dockerfile, 'production');
    expect(production.startsWith('FROM scratch AS production\n')).toBe(true);
    expect(production).toContain('COPY --from=gcr.io/distroless/static-debian13:nonroot /etc/passwd /etc/group /etc/\n');
    expect(production).toContain('/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt');
    expect(production).toContain('/usr/share/zoneinfo /usr/share/zoneinfo');
    expect(production).toContain('USER 65532:65532');
    expect(dockerfile).not.toContain('RUNTIME_IMAGE');
  });

  it('slim: debian trixie-slim, CA bundle copied in, a bash TCP probe as HEALTHCHECK', () => {
    const dockerfile = render('existing', existing(shape), baseAnswers('slim', false)).files.get('Dockerfile')!;
    expect(dockerfile).toContain('ARG RUNTIME_IMAGE=debian:trixie-slim');
    expect(dockerfile).toContain('CMD ["bash","-c","exec 3<>/dev/tcp/127.0.0.1/8080"]');
    expect(dockerfile).toContain('USER 65532:65532');
  });

  it('a binary with -healthcheck gets a HEALTHCHECK on every runtime', () => {
    for (const runtime of RUNTIMES) {
      const dockerfile = render('existing', existing({ ...shape, selfHealthcheck: true }), baseAnswers(runtime, false)).files.get('Dockerfile')!;
      expect(dockerfile, runtime).toContain('CMD ["/app/shop","-healthcheck"]');
    }
  });

  it('Go lines before 1.24 use the bookworm golang image (no trixie variant exists)', () => {
    const old = render('existing', existing(shape), { ...baseAnswers('distroless', false), 'go-version': '1.23' }).files.get('Dockerfile')!;
    expect(old).toContain('ARG GO_IMAGE=golang:1.23-bookworm');
    const current = render('existing', existing(shape), { ...baseAnswers('distroless', false), 'go-version': '1.26.2' }).files.get('Dockerfile')!;
    expect(current).toContain('ARG GO_IMAGE=golang:1.26.2-trixie');
  });
});

describe('targets, scripts and labels', () => {
  const shape: Shape = { multi: true, vendor: false, goSum: true, cgo: false, selfHealthcheck: true, localReplace: false };

  it('the first target is production, the others production-<name>, each with a docker:build script', () => {
    const { ctx } = render('existing', existing(shape), { ...baseAnswers('distroless', true), targets: ['worker', 'api'] });
    expect(ctx.extraTargets).toEqual(['production-api']);
    expect(ctx['devCommand']).toEqual(['go', 'run', './cmd/worker']);
    const scripts = dockerScripts(ctx);
    expect(scripts['docker:build:api']).toBe('docker build --target production-api -t shop-api .');
    expect(scripts['docker:build']).toBe('docker build --target production -t shop .');
  });

  it('a subset of the main packages ships only those', () => {
    const { ctx, files } = render('existing', existing(shape), { ...baseAnswers('distroless', true), targets: ['worker'] });
    expect(ctx.extraTargets).toEqual([]);
    expect(files.get('Dockerfile')).not.toContain('/out/api');
  });

  it('a target that is not a main package is a usage error naming --targets and the main packages', () => {
    expect(() => render('existing', existing(shape), { ...baseAnswers('distroless', true), targets: ['api', 'nope'] })).toThrow(
      /--targets names "nope".*api \(\.\/cmd\/api\), worker \(\.\/cmd\/worker\)/,
    );
  });

  it('the OCI source label comes from a hosted module path', () => {
    const { ctx, files } = render('existing', existing(shape), baseAnswers('distroless', true));
    expect(ctx.labels.source).toBe('https://github.com/acme/shop');
    expect(files.get('Dockerfile')).toContain('org.opencontainers.image.source="https://github.com/acme/shop"');
  });

  it('README and compose name every production target and the multi-platform command', () => {
    const { files } = render('existing', existing(shape), baseAnswers('distroless', true));
    const readme = files.get('README.Docker.md')!;
    expect(readme).toContain('| `production-worker` |');
    expect(readme).toContain('npm run docker:build:worker');
    expect(readme).toContain('docker buildx build --platform linux/amd64,linux/arm64 --target production -t shop .');
    expect(files.get('compose.yaml')).toContain('target: development');
  });
});
