// The golden cases: one line each. Every case runs the built CLI and its
// output is stored under test/golden/<group>/<name>/ (see golden.test.ts;
// `npm run golden:update` rewrites the stored trees).
//
// - group: the folder under test/golden (a stack, or `kit`).
// - name: the case's folder; unique within its group.
// - fixture: a folder under test/fixtures, copied to a temp directory first.
//   Without one the case is a new project in an empty folder, and the harness
//   adds --skip-install (the install needs the network and writes the package
//   manager's lockfile, not ours).
// - args: the flags after the project directory; the harness passes the
//   directory as the first argument, from the folder above it.
// - dir: the project folder's name (it becomes the project name where nothing
//   else names it); default `my-app` for a new project, the fixture's own
//   folder name for a fixture.
// - kit: a kit under test/fixtures/kits, passed as --kit <absolute path>.
// - env: extra environment for the run (the harness starts from a clean one).
// - before: the args of an earlier run in the same folder (a re-run case); the
//   golden then holds only what the second run created or changed.
//
// For a fixture (or a re-run), the golden holds only the files the run
// created or changed; a run that deletes a file fails the test.

export type GoldenGroup = 'go' | 'nextjs' | 'cpp' | 'kit' | 'workspace';

export interface GoldenCase {
  group: GoldenGroup;
  name: string;
  fixture?: string;
  args: string[];
  dir?: string;
  kit?: string;
  env?: Record<string, string>;
  before?: string[];
}

/** What `yarn create` sets: the invoking Yarn's version picks Yarn classic for a new project. */
const YARN_CLASSIC_AGENT = { npm_config_user_agent: 'yarn/1.22.22 npm/? node/v24.11.1 linux x64' };

export const CASES: GoldenCase[] = [
  // Next.js workspaces (monorepos): every app at the root
  { group: 'workspace', name: 'nextjs-pnpm-turbo', fixture: 'workspaces/pnpm-turbo', args: ['--yes'] },
  { group: 'workspace', name: 'nextjs-npm', fixture: 'workspaces/npm', args: ['--yes'] },
  { group: 'workspace', name: 'nextjs-yarn-berry-apps-web', fixture: 'workspaces/yarn-berry', args: ['--yes', '--apps', 'web'] },
  // Go: new projects
  { group: 'go', name: 'new', args: ['--stack', 'go', '--yes'] },
  { group: 'go', name: 'new-scratch', args: ['--stack', 'go', '--yes', '--runtime', 'scratch'] },
  { group: 'go', name: 'new-slim', args: ['--stack', 'go', '--yes', '--runtime', 'slim'] },
  { group: 'go', name: 'new-go-1.26-port-9090', args: ['--stack', 'go', '--yes', '--go-version', '1.26', '--port', '9090'] },
  { group: 'go', name: 'new-no-compose', args: ['--stack', 'go', '--yes', '--no-compose'] },
  { group: 'go', name: 'new-no-scripts', args: ['--stack', 'go', '--yes', '--no-scripts'] },
  { group: 'go', name: 'new-ci-github', args: ['--stack', 'go', '--yes', '--ci', 'github'] },
  { group: 'go', name: 'new-ci-gitlab', args: ['--stack', 'go', '--yes', '--ci', 'gitlab'] },
  { group: 'go', name: 'rerun-port-9090', before: ['--stack', 'go', '--yes'], args: ['--yes', '--port', '9090'] },
  // Go: existing projects
  { group: 'go', name: 'single', fixture: 'go/single', args: ['--yes'] },
  { group: 'go', name: 'cgo', fixture: 'go/cgo', args: ['--yes'] },
  { group: 'go', name: 'no-gosum', fixture: 'go/no-gosum', args: ['--yes'] },
  { group: 'go', name: 'vendored', fixture: 'go/vendored', args: ['--yes'] },
  { group: 'go', name: 'two-binaries', fixture: 'go/two-binaries', args: ['--yes'] },
  { group: 'go', name: 'two-binaries-worker-first', fixture: 'go/two-binaries', args: ['--yes', '--targets', 'worker,api'] },
  { group: 'go', name: 'two-binaries-scratch', fixture: 'go/two-binaries', args: ['--yes', '--runtime', 'scratch'] },
  // Go workspaces (go.work): the go-workspace stack at the root, every app and one picked by --apps
  { group: 'workspace', name: 'go-work', fixture: 'workspaces/go-work', args: ['--yes'] },
  { group: 'workspace', name: 'go-work-apps-web', fixture: 'workspaces/go-work', args: ['--yes', '--apps', 'web', '--no-compose'] },

  // Next.js: new projects
  { group: 'nextjs', name: 'new-npm', args: ['--stack', 'nextjs', '--yes', '--pm', 'npm'] },
  { group: 'nextjs', name: 'new-pnpm', args: ['--stack', 'nextjs', '--yes', '--pm', 'pnpm'] },
  { group: 'nextjs', name: 'new-yarn', args: ['--stack', 'nextjs', '--yes', '--pm', 'yarn'] },
  { group: 'nextjs', name: 'new-yarn-classic', args: ['--stack', 'nextjs', '--yes', '--pm', 'yarn'], env: YARN_CLASSIC_AGENT },
  { group: 'nextjs', name: 'new-bun', args: ['--stack', 'nextjs', '--yes', '--pm', 'bun'] },
  { group: 'nextjs', name: 'new-distroless', args: ['--stack', 'nextjs', '--yes', '--pm', 'npm', '--runtime', 'distroless'] },
  { group: 'nextjs', name: 'new-node-24', args: ['--stack', 'nextjs', '--yes', '--pm', 'npm', '--node-version', '24'] },
  { group: 'nextjs', name: 'new-no-compose', args: ['--stack', 'nextjs', '--yes', '--pm', 'npm', '--no-compose'] },
  { group: 'nextjs', name: 'new-ci-github', args: ['--stack', 'nextjs', '--yes', '--pm', 'pnpm', '--ci', 'github'] },
  { group: 'nextjs', name: 'new-ci-gitlab', args: ['--stack', 'nextjs', '--yes', '--pm', 'npm', '--ci', 'gitlab'] },
  // Next.js: existing apps (nextjs/) and detection fixtures (nextjs-detect/: a package.json and a lockfile)
  { group: 'nextjs', name: 'export-app', fixture: 'nextjs/export-app', args: ['--yes'] },
  { group: 'nextjs', name: 'pnpm-app', fixture: 'nextjs/pnpm-app', args: ['--yes'] },
  { group: 'nextjs', name: 'pnpm-app-standalone', fixture: 'nextjs/pnpm-app', args: ['--yes', '--standalone'] },
  { group: 'nextjs', name: 'private-app', fixture: 'nextjs/private-app', args: ['--yes'] },
  { group: 'nextjs', name: 'yarn-pnp-app', fixture: 'nextjs/yarn-pnp-app', args: ['--yes'] },
  { group: 'nextjs', name: 'detect-bun', fixture: 'nextjs-detect/bun', args: ['--yes'] },
  { group: 'nextjs', name: 'detect-npm', fixture: 'nextjs-detect/npm', args: ['--yes'] },
  { group: 'nextjs', name: 'detect-pnpm', fixture: 'nextjs-detect/pnpm', args: ['--yes'] },
  { group: 'nextjs', name: 'detect-yarn-berry', fixture: 'nextjs-detect/yarn-berry', args: ['--yes'] },
  { group: 'nextjs', name: 'detect-yarn-classic', fixture: 'nextjs-detect/yarn-classic', args: ['--yes'] },

  // C++: new projects
  { group: 'cpp', name: 'new', args: ['--stack', 'cpp', '--yes'] },
  { group: 'cpp', name: 'new-distroless', args: ['--stack', 'cpp', '--yes', '--runtime', 'distroless'] },
  { group: 'cpp', name: 'new-scratch', args: ['--stack', 'cpp', '--yes', '--runtime', 'scratch'] },
  { group: 'cpp', name: 'new-static-slim', args: ['--stack', 'cpp', '--yes', '--static', '--runtime', 'slim'] },
  { group: 'cpp', name: 'new-packages', args: ['--stack', 'cpp', '--yes', '--packages', 'libssl-dev,curl'] },
  { group: 'cpp', name: 'new-ci-github', args: ['--stack', 'cpp', '--yes', '--ci', 'github'] },
  { group: 'cpp', name: 'new-ci-gitlab', args: ['--stack', 'cpp', '--yes', '--ci', 'gitlab'] },
  // C++: existing projects (CMake, Makefiles, autotools)
  { group: 'cpp', name: 'cmake-shop', fixture: 'cpp/cmake-shop', args: ['--yes'] },
  { group: 'cpp', name: 'zlib-app', fixture: 'cpp/zlib-app', args: ['--yes'] },
  { group: 'cpp', name: 'makefile-app', fixture: 'cpp/makefile-app', args: ['--yes'] },
  { group: 'cpp', name: 'make-recursive', fixture: 'cpp/make-recursive', args: ['--yes'] },
  { group: 'cpp', name: 'make-recursive-make-install', fixture: 'cpp/make-recursive', args: ['--yes', '--make-install'] },
  { group: 'cpp', name: 'autotools-zlib', fixture: 'cpp/autotools-zlib', args: ['--yes'] },
  {
    group: 'cpp',
    name: 'autotools-zlib-configure-args',
    fixture: 'cpp/autotools-zlib',
    args: ['--yes', '--configure-args=--disable-silent-rules --with-zlib=/usr'],
  },

  // Kits: the acme kit (mirrored images, labels, a CA, a workflow file) on each stack, and a kit-defined stack
  { group: 'kit', name: 'acme-go-new', kit: 'acme', args: ['--stack', 'go', '--yes'] },
  { group: 'kit', name: 'acme-nextjs-new', kit: 'acme', args: ['--stack', 'nextjs', '--yes', '--pm', 'npm'] },
  { group: 'kit', name: 'acme-cpp-new', kit: 'acme', args: ['--stack', 'cpp', '--yes'] },
  { group: 'kit', name: 'acme-go-two-binaries', kit: 'acme', fixture: 'go/two-binaries', args: ['--yes'] },
  { group: 'kit', name: 'acme-nextjs-private-app', kit: 'acme', fixture: 'nextjs/private-app', args: ['--yes'] },
  { group: 'kit', name: 'python-new', kit: 'python', args: ['--stack', 'python', '--yes'] },
];
