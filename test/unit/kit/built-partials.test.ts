// A kit that brings a partial of its own renders through the built package as
// it does from source. In dist/ the built-in templates are precompiled; a kit
// partial makes the run compile, and the built-in partials, registered as
// strings, were then compiled with the calling template's options, which a
// precompiled template does not carry: noEscape was lost and `=` came out as
// `&#x3D;` in the Dockerfile. The tests from source could not see it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../../helpers/cli.js';
import { makeKit, manifest } from '../../helpers/kit.js';
import { runMain } from '../../helpers/run-main.js';
import { tempDir } from '../../helpers/tree.js';

const LABELS = 'LABEL org.opencontainers.image.title="{{labels.title}}" com.example.kit="partial=own"\n';
const kit = makeKit(manifest({ stacks: { '*': { partials: { 'oci-labels': 'partials/oci-labels.hbs' } } } }), { 'partials/oci-labels.hbs': LABELS });

describe('a kit partial of its own, through the built package', () => {
  it.each(['nextjs', 'go', 'cpp'])('%s: the Dockerfile is the one a run from source writes, unescaped', async (stack) => {
    const args = ['app', '--stack', stack, '--kit', kit, '--yes', '--skip-install'];
    const built = tempDir();
    const result = runBuiltCli(args, { cwd: built, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const fromSource = tempDir();
    const code = (await runMain(args, { cwd: fromSource })).code;
    expect(code).toBe(0);
    const dockerfile = fs.readFileSync(path.join(built, 'app', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('com.example.kit="partial=own"');
    expect(dockerfile).not.toMatch(/&(?:#x3D|quot|amp|lt|gt|#x27|#x60);/);
    expect(dockerfile).toBe(fs.readFileSync(path.join(fromSource, 'app', 'Dockerfile'), 'utf8'));
  });
});
