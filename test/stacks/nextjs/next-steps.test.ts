// The next steps after generating for an app whose output is not standalone:
// a re-run with --standalone is offered only when that re-run can edit
// next.config; otherwise the edit is the user's, and the re-run needs no flag.
import { describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/run-main.js';
import { makeTree } from '../../helpers/tree.js';

const packageJson = JSON.stringify(
  { name: 'shop', private: true, scripts: { dev: 'next dev', build: 'next build', start: 'next start' }, dependencies: { next: '15.5.0', react: '19.1.0', 'react-dom': '19.1.0' } },
  null,
  2,
);
const app = (config: string) =>
  makeTree({ 'package.json': `${packageJson}\n`, 'package-lock.json': '{"lockfileVersion":3}\n', 'next.config.mjs': config, 'app/page.tsx': 'export default function Page() { return null; }\n' });

describe('next steps for an app without standalone output', () => {
  it('an editable next.config: re-run with --standalone, which then writes the edit and exits 0', async () => {
    const cwd = app('const nextConfig = {\n  reactStrictMode: true,\n};\n\nexport default nextConfig;\n');
    const first = await runMain(['.', '--yes', '--skip-install'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("run create-multistage again with --standalone   # adds output: 'standalone' to next.config.mjs");
    expect(first.stdout).not.toContain('yourself');
    const second = await runMain(['.', '--yes', '--skip-install', '--standalone'], { cwd });
    expect(second.code, second.stderr).toBe(0);
  });

  it('a next.config it cannot edit: add the line yourself; --standalone is not suggested', async () => {
    const cwd = app('const a = { reactStrictMode: true };\nconst b = { poweredByHeader: false };\nexport default process.env.A ? a : b;\n');
    const first = await runMain(['.', '--yes', '--skip-install'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("add output: 'standalone' to next.config.mjs yourself, then run create-multistage again");
    expect(first.stdout).not.toContain('with --standalone');
  });
});
