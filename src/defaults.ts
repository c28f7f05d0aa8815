/**
 * The one table of default versions and images. A release bumps them here and
 * nowhere else. Defaults follow what is current and supported on release day,
 * as explicit tags (never `latest`).
 */
export const DEFAULTS = {
  /** Node.js Active LTS line. */
  nodeMajor: '26',
  /** Node.js lines with node:<major>-trixie-slim images; --node-version must name one. */
  nodeLines: ['20', '22', '24', '25', '26'],
  /** Debian stable codename used for slim images. */
  debian: 'trixie',
  /** distroless suffix matching Debian stable. */
  distroless: 'debian13',
  /** Newest Go release line. */
  goVersion: '1.27',
  /** Versions written into a new Next.js app, known to build together. */
  next: '16.4.6',
  react: '19.3.1',
  typescript: '5.9.3',
  typesReact: '19.3.0',
  typesNode: '26.6.6',
  /** Package manager versions installed in images when the project pins none. */
  pnpm: '10.34.8',
  yarnBerry: '4.18.1',
  /** Yarn 1, installed where the Node image ships none (node:26 and later). */
  yarnClassic: '1.22.22',
  /** The static file server for `output: 'export'` apps. */
  serve: '14.2.7',
  corepack: '0.36.0',
  bun: '1.4.5',
  /** Default ports per stack. */
  nextPort: 3000,
  goPort: 8080,
  /** C++: the port of the generated service, the standard a new project uses, CMake's minimum for it. */
  cppPort: 8080,
  cppStandard: '20',
  cmakeMinimum: '3.25',
  /** Boost version of Debian stable's runtime packages (libboost-<component><version>). */
  boost: '1.83.0',
} as const;

/**
 * Every image the built-in templates write, built from DEFAULTS: the one place
 * their names are spelled. The pipeline hands the stack context builders this
 * record, or a plugin's mirror of it (`mapImages`), so a mirror never needs to
 * edit the rendered text.
 */
export const IMAGES = {
  /** The Dockerfile frontend of every generated file's `# syntax=` line. */
  frontend: (): string => 'docker/dockerfile:1',
  /** Node.js on Debian slim: the Next.js stacks' base, and their default production image. */
  node: (major: string): string => `node:${major}-${DEFAULTS.debian}-slim`,
  /** distroless Node.js (LTS majors only): no shell, nonroot. */
  distrolessNode: (major: string): string => `gcr.io/distroless/nodejs${major}-${DEFAULTS.distroless}:nonroot`,
  /** The Go toolchain: trixie variants from Go 1.24 on; older lines exist for bookworm only. */
  golang: (version: string): string => `golang:${version}-${(Number.parseInt(version.split('.')[1] ?? '', 10) || 0) >= 24 ? DEFAULTS.debian : 'bookworm'}`,
  /** distroless static: CA certificates, tzdata, /etc/passwd with nonroot (also where scratch and slim get those files). */
  distrolessStatic: (): string => `gcr.io/distroless/static-${DEFAULTS.distroless}:nonroot`,
  /** distroless cc: glibc, libgcc and libstdc++ (cgo binaries, C++). */
  distrolessCc: (): string => `gcr.io/distroless/cc-${DEFAULTS.distroless}:nonroot`,
  /** Debian stable slim: the C++ builder and the slim runtimes of Go and C++. */
  debianSlim: (): string => `debian:${DEFAULTS.debian}-slim`,
  /** Bun's image, the source of the bun binary a Node stack's base stage copies in. */
  bun: (version: string): string => `oven/bun:${version}-slim`,
} as const;

/** The images record's shape: IMAGES, or a mirror of it. */
export type ImageRecord = { readonly [K in keyof typeof IMAGES]: (typeof IMAGES)[K] };

/**
 * The record with `map` applied to each function's result: how a plugin's
 * mirror reaches every image the stacks write. Spelled out per key so that a
 * new image in IMAGES fails to compile here until it is mapped too.
 */
export function mapImages(images: ImageRecord, map: (image: string) => string): ImageRecord {
  return {
    frontend: () => map(images.frontend()),
    node: (major) => map(images.node(major)),
    distrolessNode: (major) => map(images.distrolessNode(major)),
    golang: (version) => map(images.golang(version)),
    distrolessStatic: () => map(images.distrolessStatic()),
    distrolessCc: () => map(images.distrolessCc()),
    debianSlim: () => map(images.debianSlim()),
    bun: (version) => map(images.bun(version)),
  };
}
