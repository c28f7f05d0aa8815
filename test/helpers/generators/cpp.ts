import { chance, pick, type Random } from '../safety.js';
import { loadFixture } from './fixtures.js';
import type { CaseGenerator, GeneratedCase } from './types.js';

/**
 * C++ projects: new, CMake (ZLIB + OpenSSL; OpenSSL + ZLIB + an unknown
 * package + tests) and Makefile. Only valid combinations: a binary that needs
 * shared libraries distroless lacks runs there only when linked statically,
 * and scratch takes no packages beyond data.
 */
const FIXTURES = {
  'zlib-app': { executables: ['zserver', 'ztool'], make: false },
  'cmake-shop': { executables: ['shop-api', 'ShopCtl', 'shop_tests'], make: false },
  'makefile-app': { executables: ['hello', 'hello-cli'], make: true },
} as const;

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

export const cppCases: CaseGenerator = {
  stack: 'cpp',
  valueFlags: ['name', 'port', 'targets', 'packages', 'runtime'],
  valid(random): GeneratedCase {
    const flags: string[] = [];
    let files: Record<string, string> = {};
    let label = 'new';
    let needsSharedLibraries = false;
    if (chance(random, 0.7)) {
      const fixture = pick(random, Object.keys(FIXTURES) as (keyof typeof FIXTURES)[]);
      const { executables, make } = FIXTURES[fixture];
      label = fixture;
      files = loadFixture(`cpp/${fixture}`);
      needsSharedLibraries = true;
      // A Makefile project must be told its binaries; a CMake one may pick some of its executables.
      if (make || chance(random, 0.5))
        flags.push(
          '--targets',
          shuffle(random, executables)
            .slice(0, 1 + Math.floor(random() * executables.length))
            .join(','),
        );
    } else if (chance(random, 0.3)) {
      flags.push('--targets', pick(random, ['api,tool', 'Server,cli2', 'svc.v2,svc-ctl']));
    }
    const runtime = pick(random, ['slim', 'distroless', 'scratch', undefined]);
    const linkStatic = runtime === 'scratch' || (runtime === 'distroless' && needsSharedLibraries) || chance(random, 0.3);
    if (runtime) flags.push('--runtime', runtime);
    if (linkStatic && runtime !== 'scratch') flags.push('--static');
    // Without --runtime, --static picks scratch.
    const effectiveRuntime = runtime ?? (linkStatic ? 'scratch' : 'slim');
    const packages =
      effectiveRuntime === 'slim'
        ? pick(random, ['none', 'libyaml-cpp-dev,libyaml-cpp0.8', 'pkg-config,tzdata', undefined])
        : pick(random, ['none', 'pkg-config,tzdata', 'libyaml-cpp-dev', undefined]);
    if (packages) flags.push('--packages', packages);
    if (chance(random, 0.3)) flags.push('--name', pick(random, ['api', 'svc-2', 'a.b_c']));
    if (chance(random, 0.3)) flags.push('--port', String(pick(random, [80, 8080, 9000, 65535])));
    if (chance(random, 0.2)) flags.push('--no-compose');
    return { files, flags, description: `${label} ${flags.join(' ')}` };
  },
};
