import { chance, pick, type Random } from '../safety.js';
import { loadFixture } from './fixtures.js';
import type { CaseGenerator, GeneratedCase } from './types.js';

const FIXTURES = ['single', 'two-binaries', 'vendored', 'no-gosum', 'cgo'] as const;
const MAINS: Record<(typeof FIXTURES)[number], string[]> = {
  single: ['single'],
  'two-binaries': ['api', 'worker'],
  vendored: ['vendored'],
  'no-gosum': ['no-gosum'],
  cgo: ['cgo'],
};

function shuffle<T>(random: Random, items: T[]): T[] {
  return items
    .map((item) => ({ item, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

export const goCases: CaseGenerator = {
  stack: 'go',
  valueFlags: ['name', 'port', 'go-version', 'targets', 'runtime'],
  valid(random): GeneratedCase {
    const flags: string[] = [];
    let files: Record<string, string> = {};
    let label = 'new';
    let cgo = false;
    if (chance(random, 0.75)) {
      const fixture = pick(random, FIXTURES);
      label = fixture;
      files = loadFixture(`go/${fixture}`);
      cgo = fixture === 'cgo';
      // Variations detection must cope with: go.sum gone, a toolchain line, an older go line.
      if (chance(random, 0.2)) delete files['go.sum'];
      if (chance(random, 0.3)) files['go.mod'] = files['go.mod']!.replace(/^go .*$/m, (line) => `${line}\n\ntoolchain go1.27.1`);
      if (chance(random, 0.2)) files['go.mod'] = files['go.mod']!.replace(/^go .*$/m, 'go 1.22');
      const mains = MAINS[fixture];
      if (mains.length > 1) {
        // Several binaries: non-interactive runs must be told which ones (or accept all with --yes).
        if (chance(random, 0.7))
          flags.push(
            '--targets',
            shuffle(random, mains)
              .slice(0, 1 + Math.floor(random() * mains.length))
              .join(','),
          );
      }
    }
    if (chance(random, 0.3)) flags.push('--name', pick(random, ['api', 'svc-2', 'a.b_c']));
    if (chance(random, 0.3)) flags.push('--port', String(pick(random, [80, 8080, 9000, 65535])));
    if (chance(random, 0.4)) {
      // go.mod's go/toolchain line is the minimum: an older --go-version is refused (a usage error, tested in go-cli).
      const mod = files['go.mod'] ?? '';
      const floors = [/^go (\S+)$/m.exec(mod)?.[1], /^toolchain go(\S+)$/m.exec(mod)?.[1]].filter((v): v is string => v !== undefined);
      const line = (v: string): number => Number(v.split('.')[1] ?? 0);
      const minimum = Math.max(0, ...floors.map(line));
      const candidates = ['1.24', '1.25', '1.26', '1.27', '1.27.1'].filter(
        (v) => line(v) >= minimum && !(line(v) === minimum && floors.some((f) => f.split('.').length > 2 && v.split('.').length > 2 && Number(v.split('.')[2]) < Number(f.split('.')[2]))),
      );
      if (candidates.length) flags.push('--go-version', pick(random, candidates));
    }
    if (chance(random, 0.6)) flags.push('--runtime', pick(random, cgo ? ['distroless', 'slim'] : ['distroless', 'scratch', 'slim']));
    if (chance(random, 0.2)) flags.push('--no-compose');
    return { files, flags, description: `${label} ${flags.join(' ')}` };
  },
};
