// Proves the checker in test/helpers/dockerfile-rules.ts: known-good Dockerfiles
// pass with zero violations, and every rule catches a fault planted into the
// good file by a small string edit.

import { describe, expect, it } from 'vitest';
import { checkDockerfile, formatViolations, type CheckOptions, type Violation } from '../../helpers/dockerfile-rules.js';

// ---------------------------------------------------------------------------
// Known-good Next.js-style Dockerfile, built from its stages so a test can reorder them.

const HEADER = `# syntax=docker/dockerfile:1

ARG NODE_IMAGE=node:24-trixie-slim
`;

const BASE = `FROM \${NODE_IMAGE} AS base
ENV NODE_ENV=production \\
    NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
RUN --mount=type=cache,id=webapp-apt-cache,target=/var/cache/apt,sharing=locked \\
    --mount=type=cache,id=webapp-apt-lists,target=/var/lib/apt,sharing=locked \\
    rm -f /etc/apt/apt.conf.d/docker-clean \\
    && apt-get update \\
    && apt-get install -y --no-install-recommends ca-certificates curl
`;

const DEPENDENCIES = `FROM base AS dependencies
RUN --mount=type=bind,source=package.json,target=package.json \\
    --mount=type=bind,source=package-lock.json,target=package-lock.json \\
    --mount=type=cache,id=webapp-npm,target=/root/.npm \\
    --mount=type=secret,id=npmrc,target=/root/.npmrc \\
    npm ci --include=dev
`;

const DEVELOPMENT = `FROM dependencies AS development
ENV NODE_ENV=development
COPY --chmod=0755 scripts/dev-entrypoint.sh /usr/local/bin/dev-entrypoint.sh
COPY . .
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/dev-entrypoint.sh"]
CMD ["npm", "run", "dev"]
`;

const BUILDER = `FROM dependencies AS builder
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY . .
RUN --mount=type=cache,id=webapp-next,target=/app/.next/cache \\
    npm run build 2>&1 | tee /tmp/build.log
`;

const PRODUCTION = `FROM base AS production
LABEL org.opencontainers.image.title="webapp" \\
      org.opencontainers.image.source="https://github.com/example/webapp" \\
      org.opencontainers.image.version="1.0.0"
COPY --from=builder --chown=1000:1000 /app/.next/standalone ./
COPY --from=builder --chown=1000:1000 /app/.next/static ./.next/static
COPY --from=builder --chown=1000:1000 /app/public ./public
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\
    CMD ["curl", "-fsS", "http://127.0.0.1:3000/"]
CMD ["node", "server.js"]
`;

const GOOD = [HEADER, BASE, DEPENDENCIES, DEVELOPMENT, BUILDER, PRODUCTION].join('\n');

/** A second production target that is a command-line tool: nothing to probe, said explicitly. */
const TOOL_STAGE = `
FROM base AS production-tool
LABEL org.opencontainers.image.title="webapp-tool"
COPY --from=builder --chown=1000:1000 /app/dist/tool.js ./tool.js
USER 1000:1000
# CIS-4.6 exception: the tool runs to completion; there is no process to probe.
HEALTHCHECK NONE
ENTRYPOINT ["node", "tool.js"]
`;

const DOCKERIGNORE = `# VCS
.git
.gitignore
# local dependencies and build outputs
node_modules
**/node_modules
.next
/dist
build/
coverage
*.log
# secrets (Next.js rules: .env and .env.production are build input)
.env*.local
.npmrc
*.pem
*.key
# not needed in the image
Dockerfile
.dockerignore
`;

const OPTIONS: CheckOptions = {
  dockerignore: DOCKERIGNORE,
  expectedStages: ['base', 'dependencies', 'development', 'builder', 'production'],
};

// ---------------------------------------------------------------------------
// Known-good Go-style Dockerfile: cross-compiling builder, distroless and scratch targets.

const GOOD_GO = `# syntax=docker/dockerfile:1

ARG GO_IMAGE=golang:1.25-trixie
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian13:nonroot

FROM --platform=$BUILDPLATFORM \${GO_IMAGE} AS base
ENV CGO_ENABLED=0
WORKDIR /src

FROM base AS dependencies
RUN --mount=type=bind,source=go.mod,target=go.mod \\
    --mount=type=bind,source=go.sum,target=go.sum \\
    --mount=type=cache,id=hello-gomod,target=/go/pkg/mod \\
    go mod download

FROM dependencies AS development
COPY . .
CMD ["go", "run", "./cmd/hello"]

FROM dependencies AS builder
ARG TARGETOS
ARG TARGETARCH
COPY . .
RUN --mount=type=cache,id=hello-gomod,target=/go/pkg/mod \\
    --mount=type=cache,id=hello-gobuild,target=/root/.cache/go-build \\
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/hello ./cmd/hello

FROM \${RUNTIME_IMAGE} AS production
LABEL org.opencontainers.image.title="hello" \\
      org.opencontainers.image.version="0.1.0"
COPY --from=builder /out/hello /usr/local/bin/hello
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hello"]

FROM scratch AS production-scratch
LABEL org.opencontainers.image.title="hello"
COPY --from=gcr.io/distroless/static-debian13:nonroot /etc/passwd /etc/passwd
COPY --from=builder /out/hello /hello
USER 65532:65532
ENTRYPOINT ["/hello"]
`;

const DOCKERIGNORE_GO = `.git
.env*
*.pem
*.key
/bin
*.log
`;

const GO_OPTIONS: CheckOptions = { dockerignore: DOCKERIGNORE_GO, expectedStages: OPTIONS.expectedStages! };

// ---------------------------------------------------------------------------
// Helpers

/** Replace exactly one occurrence; a plant that does not apply is a broken test, not a pass. */
function once(s: string, from: string, to: string): string {
  const i = s.indexOf(from);
  if (i < 0) throw new Error(`plant target not found: ${JSON.stringify(from)}`);
  return s.slice(0, i) + to + s.slice(i + from.length);
}

const rules = (v: Violation[]) => [...new Set(v.map((x) => x.rule))];

// ---------------------------------------------------------------------------

describe('known-good Dockerfiles', () => {
  it('the Next.js-style file has zero violations', () => {
    const v = checkDockerfile(GOOD, OPTIONS);
    expect(v, formatViolations(v)).toEqual([]);
  });

  it('the Go-style file (distroless and scratch production, no HEALTHCHECK) has zero violations', () => {
    const v = checkDockerfile(GOOD_GO, GO_OPTIONS);
    expect(v, formatViolations(v)).toEqual([]);
  });

  it('uses the constructs the contract allows', () => {
    // These are in the good files on purpose; assert it so an edit cannot drop them silently.
    expect(GOOD).toContain('COPY --chmod=0755 ');
    expect(GOOD).toContain('--mount=type=secret,id=npmrc');
    expect(GOOD).toContain('FROM base AS production');
    expect(GOOD_GO).toContain('FROM --platform=$BUILDPLATFORM ');
    expect(GOOD_GO).toContain('COPY --from=gcr.io/distroless/static-debian13:nonroot /etc/passwd /etc/passwd');
  });
});

interface Plant {
  rule: string;
  name: string;
  /** Edit of the Dockerfile (Node file unless `go`). */
  plant?: (s: string) => string;
  /** Edit of the .dockerignore. */
  ignore?: (s: string) => string;
  go?: boolean;
  options?: CheckOptions;
}

const PLANTS: Plant[] = [
  { rule: 'dockerfile-utils', name: 'bad duration unit', plant: (s) => once(s, '--interval=30s', '--interval=30q') },
  { rule: 'SyntaxDirective', name: 'no syntax line', plant: (s) => once(s, '# syntax=docker/dockerfile:1\n', '') },
  { rule: 'SyntaxDirective', name: 'labs frontend', plant: (s) => once(s, 'dockerfile:1\n', 'dockerfile:1.7-labs\n') },
  { rule: 'StageNameCasing', name: 'capitalised stage', plant: (s) => once(s, 'AS builder', 'AS Builder') },
  { rule: 'DuplicateStageName', name: 'two stages named development', plant: (s) => once(s, 'FROM dependencies AS builder', 'FROM dependencies AS development') },
  { rule: 'ReservedStageName', name: 'stage named context', plant: (s) => once(s, 'AS development', 'AS context') },
  { rule: 'ReservedStageName', name: 'stage named scratch', plant: (s) => once(s, 'AS development', 'AS scratch') },
  { rule: 'FromAsCasing', name: 'FROM ... as', plant: (s) => once(s, 'FROM base AS production', 'FROM base as production') },
  { rule: 'DL3022', name: 'misspelt COPY --from stage', plant: (s) => once(s, '--from=builder --chown=1000:1000 /app/public', '--from=buidler --chown=1000:1000 /app/public') },
  { rule: 'DL3022', name: 'COPY --from a later stage', plant: (s) => once(s, 'COPY . .\nEXPOSE', 'COPY --from=builder /app/.next ./.next\nCOPY . .\nEXPOSE') },
  { rule: 'DL3022', name: 'COPY --from an untagged image', plant: (s) => once(s, '--from=builder --chown=1000:1000 /app/public', '--from=nginx --chown=1000:1000 /app/public') },
  { rule: 'DL3022', name: 'COPY --from an image tagged latest', plant: (s) => once(s, '--from=builder --chown=1000:1000 /app/public', '--from=nginx:latest --chown=1000:1000 /app/public') },
  { rule: 'DL3022', name: 'COPY --from a stage index not earlier', plant: (s) => once(s, '--from=builder --chown=1000:1000 /app/public', '--from=7 --chown=1000:1000 /app/public') },
  {
    rule: 'DL3022',
    name: 'misspelt RUN --mount from=',
    plant: (s) => once(s, '--mount=type=cache,id=webapp-next,', '--mount=type=bind,from=dependecies,source=/app/node_modules,target=/tmp/nm \\\n    --mount=type=cache,id=webapp-next,'),
  },
  { rule: 'DL3023', name: 'COPY --from its own stage', plant: (s) => once(s, '--from=builder --chown=1000:1000 /app/public', '--from=production --chown=1000:1000 /app/public') },
  { rule: 'DL4000', name: 'MAINTAINER', plant: (s) => once(s, 'FROM base AS production\n', 'FROM base AS production\nMAINTAINER someone@example.com\n') },
  { rule: 'DL4003', name: 'two CMDs', plant: (s) => s + 'CMD ["node", "other.js"]\n' },
  { rule: 'DL4004', name: 'two ENTRYPOINTs', plant: (s) => s + 'ENTRYPOINT ["node"]\nENTRYPOINT ["node", "--enable-source-maps"]\n' },
  { rule: 'MultipleInstructionsDisallowed', name: 'two HEALTHCHECKs', plant: (s) => s + 'HEALTHCHECK CMD ["true"]\n' },
  { rule: 'MultipleInstructionsDisallowed', name: 'two CMDs', plant: (s) => s + 'CMD ["node", "other.js"]\n' },
  { rule: 'DL3006', name: 'untagged image in ARG default', plant: (s) => once(s, 'ARG NODE_IMAGE=node:24-trixie-slim', 'ARG NODE_IMAGE=node') },
  { rule: 'DL3006', name: 'untagged image in FROM', plant: (s) => once(s, 'FROM base AS production', 'FROM debian AS production') },
  { rule: 'DL3007', name: 'latest tag', plant: (s) => once(s, 'ARG NODE_IMAGE=node:24-trixie-slim', 'ARG NODE_IMAGE=node:latest') },
  { rule: 'UndefinedArgInFrom', name: 'undeclared ARG in FROM', plant: (s) => once(s, 'FROM ${NODE_IMAGE} AS base', 'FROM ${NODE_IMG} AS base') },
  {
    rule: 'UndefinedArgInFrom',
    name: 'ARG declared only after FROM',
    plant: (s) => once(s, 'ARG NODE_IMAGE=node:24-trixie-slim\n', '').replace('WORKDIR /app', 'WORKDIR /app\nARG NODE_IMAGE=node:24-trixie-slim'),
  },
  { rule: 'InvalidDefaultArgInFrom', name: 'ARG without default', plant: (s) => once(s, 'ARG NODE_IMAGE=node:24-trixie-slim', 'ARG NODE_IMAGE') },
  { rule: 'InvalidDefaultArgInFrom', name: 'ARG with empty default', plant: (s) => once(s, 'ARG NODE_IMAGE=node:24-trixie-slim', 'ARG NODE_IMAGE=') },
  { rule: 'FromPlatformFlagConstDisallowed', name: 'constant --platform', plant: (s) => once(s, 'FROM ${NODE_IMAGE} AS base', 'FROM --platform=linux/amd64 ${NODE_IMAGE} AS base') },
  { rule: 'RedundantTargetPlatform', name: '--platform=$TARGETPLATFORM', plant: (s) => once(s, 'FROM ${NODE_IMAGE} AS base', 'FROM --platform=$TARGETPLATFORM ${NODE_IMAGE} AS base') },
  { rule: 'DL3025', name: 'shell-form CMD', plant: (s) => once(s, 'CMD ["node", "server.js"]', 'CMD node server.js') },
  { rule: 'DL3025', name: 'shell-form ENTRYPOINT', plant: (s) => once(s, 'ENTRYPOINT ["/usr/local/bin/dev-entrypoint.sh"]', 'ENTRYPOINT /usr/local/bin/dev-entrypoint.sh') },
  { rule: 'DL3025', name: 'shell-form HEALTHCHECK CMD', plant: (s) => once(s, 'CMD ["curl", "-fsS", "http://127.0.0.1:3000/"]', 'CMD curl -fsS http://127.0.0.1:3000/') },
  { rule: 'DL3000', name: 'relative WORKDIR', plant: (s) => once(s, 'WORKDIR /app', 'WORKDIR app') },
  { rule: 'DL3003', name: 'cd in RUN', plant: (s) => once(s, '    npm run build 2>&1', '    cd /app && npm run build 2>&1') },
  { rule: 'DL3045', name: 'relative COPY destination without WORKDIR', plant: (s) => once(s, 'WORKDIR /app\n', '') },
  { rule: 'DL3020', name: 'ADD', plant: (s) => once(s, 'COPY . .\nEXPOSE', 'ADD . .\nEXPOSE') },
  { rule: 'LegacyKeyValueFormat', name: 'ENV k v', plant: (s) => once(s, 'ENV NODE_ENV=development', 'ENV NODE_ENV development') },
  { rule: 'LegacyKeyValueFormat', name: 'LABEL k v', plant: (s) => once(s, 'FROM base AS production\n', 'FROM base AS production\nLABEL team platform\n') },
  { rule: 'ExposeInvalidFormat', name: 'EXPOSE host:port', plant: (s) => once(s, 'EXPOSE 3000\nHEALTHCHECK', 'EXPOSE 0.0.0.0:3000:3000\nHEALTHCHECK') },
  { rule: 'ExposeInvalidFormat', name: 'EXPOSE upper-case protocol', plant: (s) => once(s, 'EXPOSE 3000\nHEALTHCHECK', 'EXPOSE 3000/TCP\nHEALTHCHECK') },
  { rule: 'DL4006', name: 'pipe without pipefail', plant: (s) => once(s, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', '') },
  {
    rule: 'DL4006',
    name: 'pipe with a SHELL that drops pipefail',
    plant: (s) => once(s, 'COPY . .\nRUN --mount=type=cache,id=webapp-next', 'COPY . .\nSHELL ["/bin/bash", "-c"]\nRUN --mount=type=cache,id=webapp-next'),
  },
  { rule: 'DL3009', name: 'apt lists neither removed nor cached', plant: (s) => once(s, '    --mount=type=cache,id=webapp-apt-lists,target=/var/lib/apt,sharing=locked \\\n', '') },
  { rule: 'DL3014', name: 'apt-get install without -y', plant: (s) => once(s, 'install -y --no-install-recommends', 'install --no-install-recommends') },
  { rule: 'DL3015', name: 'apt-get install without --no-install-recommends', plant: (s) => once(s, ' --no-install-recommends', '') },
  { rule: 'DL3027', name: 'apt instead of apt-get', plant: (s) => once(s, 'apt-get install', 'apt install') },
  {
    rule: 'CIS-4.7',
    name: 'apt-get update in its own RUN',
    plant: (s) => once(s, '    && apt-get update \\\n    && apt-get install', '    && apt-get update\nRUN apt-get install').replace('curl\n', 'curl \\\n    && rm -rf /var/lib/apt/lists/*\n'),
  },
  { rule: 'DL3002', name: 'USER root', plant: (s) => once(s, 'USER 1000:1000', 'USER root') },
  { rule: 'DL3002', name: 'USER 0:0', plant: (s) => once(s, 'USER 1000:1000', 'USER 0:0') },
  { rule: 'DL3002', name: 'no USER', plant: (s) => once(s, 'USER 1000:1000\n', '') },
  { rule: 'DL3002', name: 'USER root in the production stage it inherits', plant: (s) => once(s, 'USER 1000:1000\n', 'USER root\n') + 'FROM production AS production-debug\n' },
  { rule: 'SecretsUsedInArgOrEnv', name: 'ARG NPM_TOKEN', plant: (s) => once(s, 'FROM base AS dependencies\n', 'FROM base AS dependencies\nARG NPM_TOKEN\n') },
  { rule: 'SecretsUsedInArgOrEnv', name: 'ENV API_KEY', plant: (s) => once(s, 'ENV NODE_ENV=development', 'ENV NODE_ENV=development API_KEY=abc') },
  { rule: 'SecretsUsedInArgOrEnv', name: 'ENV DB_PASSWORD', plant: (s) => once(s, 'ENV NODE_ENV=development', 'ENV NODE_ENV=development DB_PASSWORD=abc') },
  { rule: 'CIS-4.3', name: 'production built FROM builder', plant: (s) => once(s, 'FROM base AS production', 'FROM builder AS production') },
  { rule: 'CIS-4.3', name: 'production copies the whole context', plant: (s) => once(s, 'USER 1000:1000\n', 'COPY . .\nUSER 1000:1000\n') },
  { rule: 'CIS-4.3', name: 'production installs dev dependencies', plant: (s) => once(s, 'USER 1000:1000\n', 'RUN npm ci\nUSER 1000:1000\n') },
  {
    rule: 'CIS-4.3',
    name: 'production base installs a package manager globally',
    plant: (s) => once(s, 'WORKDIR /app\n', 'WORKDIR /app\nRUN --mount=type=cache,id=webapp-npm,target=/root/.npm npm install -g pnpm@10.0.0\n'),
  },
  { rule: 'CIS-4.3', name: 'production runs a build', plant: (s) => once(s, 'USER 1000:1000\n', 'RUN npm run build\nUSER 1000:1000\n') },
  { rule: 'CIS-4.3', name: 'production runs an exec-form build', plant: (s) => once(s, 'USER 1000:1000\n', 'RUN ["npm", "run", "build"]\nUSER 1000:1000\n') },
  { rule: 'CIS-4.3', name: 'production base installs a toolchain', plant: (s) => once(s, 'ca-certificates curl', 'ca-certificates curl build-essential') },
  {
    rule: 'CIS-4.6',
    name: 'no HEALTHCHECK',
    plant: (s) => once(s, 'HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\\n    CMD ["curl", "-fsS", "http://127.0.0.1:3000/"]\n', ''),
  },
  {
    rule: 'CIS-4.6',
    name: 'HEALTHCHECK NONE under the exception comment in a stage that EXPOSEs a port',
    plant: (s) =>
      once(
        s,
        'HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\\n    CMD ["curl", "-fsS", "http://127.0.0.1:3000/"]\n',
        '# CIS-4.6 exception: not really a command.\nHEALTHCHECK NONE\n',
      ),
  },
  { rule: 'CIS-4.6', name: 'exception comment not directly above HEALTHCHECK NONE', plant: (s) => s + once(TOOL_STAGE, 'probe.\nHEALTHCHECK NONE', 'probe.\nENV TOOL=1\nHEALTHCHECK NONE') },
  {
    rule: 'CIS-4.6',
    name: 'exception comment without a reason',
    plant: (s) => s + once(TOOL_STAGE, '# CIS-4.6 exception: the tool runs to completion; there is no process to probe.', '# CIS-4.6 exception:'),
  },
  {
    rule: 'CIS-4.6',
    name: 'command stage without any HEALTHCHECK',
    plant: (s) => s + once(TOOL_STAGE, '# CIS-4.6 exception: the tool runs to completion; there is no process to probe.\nHEALTHCHECK NONE\n', ''),
  },
  {
    rule: 'CIS-4.6',
    name: 'HEALTHCHECK NONE',
    plant: (s) => once(s, 'HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\\n    CMD ["curl", "-fsS", "http://127.0.0.1:3000/"]\n', 'HEALTHCHECK NONE\n'),
  },
  { rule: 'OCILabels', name: 'no title label', plant: (s) => once(s, 'LABEL org.opencontainers.image.title="webapp" \\\n      ', 'LABEL ') },
  { rule: 'OCILabels', name: 'misspelt OCI key', plant: (s) => once(s, 'org.opencontainers.image.title=', 'org.opencontainers.image.titel=') },
  { rule: 'OCILabels', name: 'empty title', plant: (s) => once(s, 'org.opencontainers.image.title="webapp"', 'org.opencontainers.image.title=""') },
  { rule: 'StageOrder', name: 'expected stage missing', plant: (s) => once(s, 'AS development', 'AS develop') },
  { rule: 'StageOrder', name: 'builder before development', plant: () => [HEADER, BASE, DEPENDENCIES, BUILDER, DEVELOPMENT, PRODUCTION].join('\n') },
  {
    rule: 'StageOrder',
    name: 'builder before development (no expectedStages given)',
    plant: () => [HEADER, BASE, DEPENDENCIES, BUILDER, DEVELOPMENT, PRODUCTION].join('\n'),
    options: { dockerignore: DOCKERIGNORE },
  },
  { rule: 'StageOrder', name: 'extra stage before builder', plant: () => [HEADER, BASE, 'FROM base AS assets\nCOPY public /app/public\n', DEPENDENCIES, DEVELOPMENT, BUILDER, PRODUCTION].join('\n') },
  { rule: 'ForbiddenSyntax', name: 'heredoc in RUN', plant: (s) => once(s, 'COPY . .\nRUN --mount', 'COPY . .\nRUN <<EOF\nnpm run lint\nEOF\nRUN --mount') },
  { rule: 'ForbiddenSyntax', name: 'heredoc in COPY', plant: (s) => once(s, 'USER 1000:1000\n', 'COPY <<EOF /app/.env.production\nPORT=3000\nEOF\nUSER 1000:1000\n') },
  { rule: 'ForbiddenSyntax', name: 'COPY --link', plant: (s) => once(s, 'COPY --from=builder --chown=1000:1000 /app/public', 'COPY --link --from=builder --chown=1000:1000 /app/public') },
  { rule: 'ForbiddenSyntax', name: 'ADD --checksum', plant: (s) => once(s, 'USER 1000:1000\n', 'ADD --checksum=sha256:0000 https://example.com/tini /tini\nUSER 1000:1000\n') },
  { rule: 'ForbiddenSyntax', name: 'COPY --exclude', plant: (s) => once(s, 'COPY . .\nEXPOSE', 'COPY --exclude=*.md . .\nEXPOSE') },
  { rule: 'ForbiddenSyntax', name: 'COPY --parents', plant: (s) => once(s, 'COPY . .\nEXPOSE', 'COPY --parents ./packages/*/package.json ./\nCOPY . .\nEXPOSE') },
  { rule: 'ForbiddenSyntax', name: '${v#pat} substitution', plant: (s) => once(s, 'ENV NODE_ENV=development', 'ENV NODE_ENV=development APP_DIR=${PWD#/}') },
  { rule: 'ForbiddenSyntax', name: '${v%pat} substitution in WORKDIR', plant: (s) => once(s, 'WORKDIR /app', 'ARG APP=/app/\nWORKDIR ${APP%/}') },
  { rule: 'ForbiddenSyntax', name: '${v/a/b} substitution in a mount', plant: (s) => once(s, 'target=/root/.npm', 'target=${HOME/root/tmp}/.npm') },
  { rule: 'ForbiddenSyntax', name: 'symbolic --chmod', plant: (s) => once(s, '--chmod=0755', '--chmod=u+x') },
  { rule: 'ForbiddenSyntax', name: 'HEALTHCHECK --start-interval', plant: (s) => once(s, '--retries=3', '--retries=3 --start-interval=1s') },
  { rule: 'ForbiddenSyntax', name: 'RUN --network', plant: (s) => once(s, 'RUN --mount=type=cache,id=webapp-next', 'RUN --network=none --mount=type=cache,id=webapp-next') },
  { rule: 'CopyIgnoredFile', name: 'COPY of an ignored .env.local file', plant: (s) => once(s, 'USER 1000:1000\n', 'COPY .env.local ./\nUSER 1000:1000\n') },
  { rule: 'CopyIgnoredFile', name: '.dockerignore excludes a copied script', ignore: (s) => s + 'scripts\n' },
  { rule: 'CopyIgnoredFile', name: '.dockerignore excludes a bind-mounted lockfile', ignore: (s) => s + 'package-lock.json\n' },
  { rule: 'DockerignoreCoverage', name: '.git not ignored', ignore: (s) => once(s, '.git\n.gitignore', '.gitignore') },
  { rule: 'DockerignoreCoverage', name: '.env files not ignored', ignore: (s) => once(s, '.env*.local\n', '') },
  { rule: 'DockerignoreCoverage', name: 'node_modules not ignored', ignore: (s) => once(s, 'node_modules\n**/node_modules\n', '') },
  { rule: 'CacheMountId', name: 'cache mount without id', plant: (s) => once(s, 'id=webapp-npm,', '') },
  { rule: 'ManifestsBeforeSource', name: 'npm ci after COPY . .', plant: (s) => once(s, 'FROM base AS dependencies\n', 'FROM base AS dependencies\nCOPY . .\n') },
  // The Go file: rules that need its shape.
  { rule: 'CIS-4.6', go: true, name: 'debian runtime without HEALTHCHECK', plant: (s) => once(s, 'RUNTIME_IMAGE=gcr.io/distroless/static-debian13:nonroot', 'RUNTIME_IMAGE=debian:trixie-slim') },
  { rule: 'DL3002', go: true, name: 'scratch without USER', plant: (s) => once(s, 'COPY --from=builder /out/hello /hello\nUSER 65532:65532\n', 'COPY --from=builder /out/hello /hello\n') },
  { rule: 'DL3022', go: true, name: 'COPY --from=buidler typo', plant: (s) => once(s, 'COPY --from=builder /out/hello /hello', 'COPY --from=buidler /out/hello /hello') },
  { rule: 'DL3022', go: true, name: 'COPY --from an untagged distroless', plant: (s) => once(s, '--from=gcr.io/distroless/static-debian13:nonroot', '--from=gcr.io/distroless/static-debian13') },
  {
    rule: 'CIS-4.3',
    go: true,
    name: 'production runs go build',
    plant: (s) => once(s, 'FROM ${RUNTIME_IMAGE} AS production\n', 'FROM ${RUNTIME_IMAGE} AS production\nRUN ["/usr/local/go/bin/go", "build", "-o", "/x", "./cmd/hello"]\n'),
  },
  { rule: 'CIS-4.3', go: true, name: 'production based on the golang image', plant: (s) => once(s, 'RUNTIME_IMAGE=gcr.io/distroless/static-debian13:nonroot', 'RUNTIME_IMAGE=golang:1.25-trixie') },
  { rule: 'DL3003', name: 'cd in an exec-form sh -c RUN', plant: (s) => once(s, 'USER 1000:1000\n', 'RUN ["/bin/sh", "-c", "cd /app/public && ls"]\nUSER 1000:1000\n') },
  { rule: 'ManifestsBeforeSource', go: true, name: 'go mod download after COPY . .', plant: (s) => once(s, 'FROM base AS dependencies\n', 'FROM base AS dependencies\nCOPY . .\n') },
];

describe('each rule catches its planted fault', () => {
  it.each(PLANTS.map((p) => [p.rule, p.name, p] as const))('%s: %s', (rule, _name, p) => {
    const good = p.go ? GOOD_GO : GOOD;
    const base = p.options ?? (p.go ? GO_OPTIONS : OPTIONS);
    const text = p.plant ? p.plant(good) : good;
    const dockerignore = p.ignore ? p.ignore(base.dockerignore ?? '') : base.dockerignore;
    expect(text !== good || dockerignore !== base.dockerignore, 'the plant changed nothing').toBe(true);
    const v = checkDockerfile(text, { ...base, dockerignore });
    expect(rules(v), formatViolations(v)).toContain(rule);
  });

  it('covers every rule id the checker knows', () => {
    const covered = new Set(PLANTS.map((p) => p.rule));
    for (const rule of [
      'dockerfile-utils',
      'SyntaxDirective',
      'StageNameCasing',
      'DuplicateStageName',
      'ReservedStageName',
      'FromAsCasing',
      'DL3022',
      'DL3023',
      'DL4000',
      'DL4003',
      'DL4004',
      'MultipleInstructionsDisallowed',
      'DL3006',
      'DL3007',
      'UndefinedArgInFrom',
      'InvalidDefaultArgInFrom',
      'FromPlatformFlagConstDisallowed',
      'RedundantTargetPlatform',
      'DL3025',
      'DL3000',
      'DL3003',
      'DL3045',
      'DL3020',
      'LegacyKeyValueFormat',
      'ExposeInvalidFormat',
      'DL4006',
      'DL3009',
      'DL3014',
      'DL3015',
      'DL3027',
      'CIS-4.7',
      'DL3002',
      'SecretsUsedInArgOrEnv',
      'CIS-4.3',
      'CIS-4.6',
      'OCILabels',
      'StageOrder',
      'ForbiddenSyntax',
      'CopyIgnoredFile',
      'DockerignoreCoverage',
      'CacheMountId',
      'ManifestsBeforeSource',
    ]) {
      expect(covered, rule).toContain(rule);
    }
  });
});

describe('accepted on purpose', () => {
  const clean = (text: string, options: CheckOptions = OPTIONS) => {
    const v = checkDockerfile(text, options);
    expect(v, formatViolations(v)).toEqual([]);
  };

  it('distroless production without HEALTHCHECK', () => {
    clean(once(GOOD_GO, 'FROM scratch AS production-scratch', 'FROM gcr.io/distroless/static-debian13:nonroot AS production-scratch'), GO_OPTIONS);
  });

  it('scratch production without HEALTHCHECK', () => {
    expect(GOOD_GO).toContain('FROM scratch AS production-scratch');
    clean(GOOD_GO, GO_OPTIONS);
  });

  it('--platform=$BUILDPLATFORM and ${BUILDPLATFORM}', () => {
    clean(once(GOOD, 'FROM dependencies AS builder', 'FROM --platform=${BUILDPLATFORM} dependencies AS builder'));
    clean(once(GOOD, 'FROM ${NODE_IMAGE} AS base', 'FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS base'));
  });

  it('COPY --chmod with an octal mode', () => {
    clean(once(GOOD, 'USER 1000:1000\n', 'COPY --chmod=755 --from=builder /app/server.js ./server.js\nUSER 1000:1000\n'));
  });

  it('RUN --mount=type=secret, ssh and tmpfs', () => {
    clean(
      once(GOOD, '    npm run build 2>&1', '    --mount=type=secret,id=npmrc,target=/root/.npmrc \\\n    --mount=type=ssh \\\n    --mount=type=tmpfs,target=/tmp/scratch \\\n    npm run build 2>&1'),
    );
  });

  it('a command-line production target with HEALTHCHECK NONE under the CIS-4.6 exception comment', () => {
    clean(GOOD + TOOL_STAGE);
  });

  it('a FROM that uses a previous stage, including a production target built from another', () => {
    // production-debug inherits USER, HEALTHCHECK and the OCI labels from production.
    clean(GOOD + '\nFROM production AS production-debug\nENV DEBUG=1\n');
  });

  it('COPY --from a pinned external image, a stage index, and RUN --mount from= a stage', () => {
    clean(once(GOOD, 'USER 1000:1000\n', 'COPY --from=gcr.io/distroless/static-debian13:nonroot /etc/passwd /etc/passwd\nCOPY --from=0 /etc/ssl/certs /etc/ssl/certs\nUSER 1000:1000\n'));
    clean(once(GOOD, '    npm run build 2>&1', '    --mount=type=bind,from=dependencies,source=/app/node_modules,target=/tmp/nm \\\n    npm run build 2>&1'));
  });

  it('a digest-pinned image', () => {
    clean(once(GOOD, 'node:24-trixie-slim', 'node:24-trixie-slim@sha256:' + 'a'.repeat(64)));
  });

  it('apt with rm -rf /var/lib/apt/lists/* instead of a cache mount, and -qq -y', () => {
    const text = once(GOOD, '    --mount=type=cache,id=webapp-apt-lists,target=/var/lib/apt,sharing=locked \\\n', '').replace(
      'install -y --no-install-recommends ca-certificates curl',
      'install -qq -y --no-install-recommends ca-certificates curl \\\n    && rm -rf /var/lib/apt/lists/*',
    );
    clean(text);
  });

  it('inline set -o pipefail instead of SHELL', () => {
    clean(once(GOOD, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', '').replace('    npm run build 2>&1', '    set -euo pipefail && npm run build 2>&1'));
  });

  it('|| and quoted pipes need no pipefail; shell ${v#pat} inside RUN is the shell’s business', () => {
    const text = once(GOOD, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', '').replace(
      '    npm run build 2>&1 | tee /tmp/build.log',
      '    npm run build || (echo "build failed | see log" && false) \\\n    && f=/app/out.js && echo "${f%.js}" "${f#/}"',
    );
    clean(text);
  });

  it('a name in USER and an allowed production runtime install', () => {
    clean(once(GOOD, 'USER 1000:1000', 'USER node'));
    clean(once(GOOD, 'ca-certificates curl', 'ca-certificates curl libstdc++6 tini'));
  });

  it('production stage names given explicitly', () => {
    const text = GOOD.replace('FROM base AS production', 'FROM base AS runtime');
    clean(text, { dockerignore: DOCKERIGNORE, productionTargets: ['runtime'] });
    const v = checkDockerfile(once(text, 'USER 1000:1000\n', ''), { productionTargets: ['runtime'] });
    expect(rules(v)).toContain('DL3002');
  });
});

describe('.dockerignore matching (CopyIgnoredFile)', () => {
  const IGNORE = `node_modules
**/node_modules
.git
*.log
.env*
!.env.example
build/
/dist
`;
  // A tiny Dockerfile per path; only CopyIgnoredFile matters here.
  const ignored = (path: string) =>
    checkDockerfile(`# syntax=docker/dockerfile:1\nFROM debian:trixie-slim AS base\nWORKDIR /app\nCOPY ${path} /dst/\n`, { dockerignore: IGNORE }).some((v) => v.rule === 'CopyIgnoredFile');

  it.each([
    ['node_modules', true],
    ['node_modules/react/index.js', true],
    ['./node_modules/react', true],
    ['packages/a/node_modules/x.js', true],
    ['packages/a/src/index.js', false],
    ['.git', true],
    ['.git/HEAD', true],
    ['.gitignore', false],
    ['debug.log', true],
    ['logs/debug.log', false],
    ['.env', true],
    ['.env.production', true],
    ['.env.example', false],
    ['build', true],
    ['build/app', true],
    ['builder.sh', false],
    ['dist/index.js', true],
    ['/dist/index.js', true],
    ['src/dist/index.js', false],
    ['.', false],
    ['./', false],
    ['package*.json', false],
    ['node_modules/*.js', true],
  ] as const)('%s excluded: %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });

  it('COPY . . is fine and COPY --from is never checked against .dockerignore', () => {
    const v = checkDockerfile(`# syntax=docker/dockerfile:1\nFROM debian:trixie-slim AS base\nWORKDIR /app\nCOPY . .\nCOPY --from=base /app/node_modules /x\n`, { dockerignore: IGNORE });
    expect(rules(v)).not.toContain('CopyIgnoredFile');
  });
});

describe('formatViolations', () => {
  it('lists rule ids and lines', () => {
    const text = formatViolations([
      { rule: 'DL3006', message: 'image "node" has no tag', line: 3 },
      { rule: 'DockerignoreCoverage', message: '.dockerignore does not exclude ".git"' },
    ]);
    expect(text).toContain('2 Dockerfile rule violations');
    expect(text).toMatch(/line\s+3\s+\[DL3006\] image "node" has no tag/);
    expect(text).toContain('[DockerignoreCoverage]');
    expect(formatViolations([])).toBe('no Dockerfile rule violations');
  });

  it('reports 1-based line numbers', () => {
    const v = checkDockerfile(once(GOOD, 'USER 1000:1000', 'USER root'));
    const lines = GOOD.split('\n');
    const expected = lines.findIndex((l) => l === 'USER 1000:1000') + 1;
    expect(v.find((x) => x.rule === 'DL3002')?.line).toBe(expected);
  });
});
