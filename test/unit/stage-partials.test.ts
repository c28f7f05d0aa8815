/**
 * Every built-in stack composes its Dockerfile from one partial per stage, so a
 * kit can replace exactly the stage it cares about (say production) and
 * inherit the rest. A new stack that inlines its stages fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../src/render.js';
import { STACKS } from '../../src/stacks/index.js';

// stage-test sits between builder and production: the last stage stays a production
// target (a bare `docker build .` builds it), and the extra stage comes after builder.
const STAGES = ['stage-base', 'stage-dependencies', 'stage-development', 'stage-builder', 'stage-test', 'stage-production'];
/** Compiled stacks also have a `binaries` stage (the executables alone, for `--output type=local`) right after builder. */
const COMPILED_STAGES = ['stage-base', 'stage-dependencies', 'stage-development', 'stage-builder', 'stage-binaries', 'stage-test', 'stage-production'];
const COMPILED = new Set(['go', 'cpp']);

describe.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('%s', (stack) => {
  it('has one partial per stage and a Dockerfile that includes them in order', () => {
    const partials = path.join(TEMPLATES_DIR, stack, 'partials');
    const expected = COMPILED.has(stack) ? COMPILED_STAGES : STAGES;
    for (const stage of expected) expect(fs.existsSync(path.join(partials, `${stage}.hbs`)), `${stack}/partials/${stage}.hbs`).toBe(true);
    const dockerfile = fs.readFileSync(path.join(TEMPLATES_DIR, stack, 'docker', 'Dockerfile.hbs'), 'utf8');
    const included = [...dockerfile.matchAll(/\{\{>\s*(stage-[a-z-]+)\s*\}\}/g)].map((m) => m[1]);
    expect(included).toEqual(expected);
    // No stage is defined outside its partial.
    expect(dockerfile).not.toMatch(/^FROM /m);
  });
});
