import { chance, pick, type Random } from '../safety.js';
import type { CaseGenerator, GeneratedCase } from './types.js';

const LOCKFILES = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock', bun: 'bun.lock' } as const;
type Pm = keyof typeof LOCKFILES;
const PMS = Object.keys(LOCKFILES) as Pm[];

function existingProject(random: Random): { files: Record<string, string>; notes: string[] } {
  const files: Record<string, string> = {};
  const notes: string[] = [];
  const pm = pick(random, PMS);
  const pkg: Record<string, unknown> = {
    name: pick(random, ['web', '@acme/site', 'My App', 'shop-front', 'x']),
    version: pick(random, ['1.0.0', '0.3.1-beta.2', 'not a version!']),
    private: true,
    scripts: { dev: 'next dev', build: 'next build', start: pick(random, ['next start', 'next start -p 4000', 'next start --port=5000']) },
    dependencies: { next: '16.4.6', react: '19.3.1', 'react-dom': '19.3.1' },
  };
  if (chance(random, 0.3)) pkg['packageManager'] = pm === 'npm' ? 'npm@11.6.0' : pm === 'pnpm' ? 'pnpm@10.34.8' : pm === 'yarn' ? pick(random, ['yarn@1.22.22', 'yarn@4.18.1']) : 'bun@1.4.5';
  if (chance(random, 0.3)) pkg['engines'] = { node: pick(random, ['>=20.9.0', '^22', '20 || 22', '>=24 <27']) };
  if (chance(random, 0.3)) pkg['repository'] = pick(random, ['https://github.com/acme/web', 'git+https://github.com/acme/web.git', 'evil"\nRUN x']);
  files['package.json'] = JSON.stringify(pkg, null, pick(random, [2, 4, '\t']));
  if (chance(random, 0.85)) files[LOCKFILES[pm]] = pm === 'yarn' && chance(random) ? '__metadata:\n  version: 8\n' : 'lock\n';
  if (pm === 'yarn' && chance(random)) files['.yarnrc.yml'] = 'nodeLinker: node-modules\n';
  if (chance(random, 0.3)) files['.npmrc'] = 'fund=false\n';
  const nodeFile = pick(random, ['', '.nvmrc', '.node-version']);
  if (nodeFile) files[nodeFile] = pick(random, ['22', 'v24.11.1', '26', '20.9.0']) + '\n';
  const config = pick(random, ['', 'next.config.ts', 'next.config.mjs', 'next.config.js']);
  if (config) {
    const standalone = chance(random);
    files[config] = `const nextConfig = {${standalone ? " output: 'standalone'," : ''} reactStrictMode: true };\nexport default nextConfig;\n`;
    notes.push(standalone ? 'standalone' : 'no standalone');
  }
  if (chance(random)) files['public/favicon.ico'] = 'icon';
  files['app/page.tsx'] = 'export default function Page() { return <p>hi</p>; }\n';
  return { files, notes: [pm, ...notes] };
}

export const nextjsCases: CaseGenerator = {
  stack: 'nextjs',
  valueFlags: ['name', 'port', 'node-version', 'pm', 'runtime'],
  valid(random): GeneratedCase {
    const isNew = chance(random, 0.3);
    const { files, notes } = isNew ? { files: {}, notes: ['new'] } : existingProject(random);
    const flags: string[] = [];
    if (chance(random, 0.3)) flags.push('--name', pick(random, ['api', 'web-2', 'a.b_c', 'z9']));
    if (chance(random, 0.3)) flags.push('--port', String(pick(random, [80, 3000, 8080, 65535, 1])));
    if (chance(random, 0.3)) flags.push('--pm', pick(random, PMS));
    // engines.node's lower bound is a minimum: an older --node-version is refused (tested in cli.test).
    const engines = (JSON.parse(files['package.json'] ?? '{}') as { engines?: { node?: string } }).engines?.node ?? '';
    const minimumMajor = Number(/(\d+)/.exec(engines)?.[1] ?? 0);
    const fitting = (versions: string[]): string[] => versions.filter((v) => Number(v.split('.')[0]) >= minimumMajor);
    if (chance(random, 0.4)) {
      flags.push('--runtime', 'distroless', '--node-version', pick(random, fitting(['20', '22', '24', '26', '24.11.1'])));
    } else if (chance(random, 0.3)) {
      flags.push('--node-version', pick(random, fitting(['20', '22', '25', '26.1.0'])));
      if (chance(random)) flags.push('--runtime', 'slim');
    }
    if (chance(random, 0.2)) flags.push('--no-compose');
    return { files, flags, description: `${notes.join(' ')} ${flags.join(' ')}` };
  },
};
