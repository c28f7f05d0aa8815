/**
 * Battery, round two: detected versions the tool must read right or say it
 * could not. Exit code, message, and the tree byte for byte (dry runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-detect-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

async function dryRun(nvmrc: string): Promise<{ stdout: string; code: number }> {
  const dir = path.join(root, `next-${counter++}`);
  writeTree(dir, { ...EXISTING_PROJECTS['nextjs']!, '.nvmrc': nvmrc });
  const before = snapshot(dir);
  const result = await run([dir, '--yes', '--dry-run'], root);
  expect(snapshot(dir)).toEqual(before);
  return result;
}

describe('.nvmrc', () => {
  it.each([
    ['lts/iron', '20'],
    ['lts/jod\n', '22'],
  ])('%j resolves to Node %s', async (nvmrc, major) => {
    const result = await dryRun(nvmrc);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ARG NODE_IMAGE=node:${major}-trixie-slim`);
  });

  it('lts/Hydrogen resolves to Node 18, a line without trixie images: ignored with a note naming the lines there are', async () => {
    const result = await dryRun('lts/Hydrogen');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ignored the detected node-version (18 is not a Node.js line with trixie images (20, 22, 24, 25, 26))');
    expect(result.stdout).not.toContain('node:18-trixie-slim');
  });

  it('100 is named as 100 (and ignored with a note), not read as 10', async () => {
    const result = await dryRun('100\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ignored the detected node-version (must be a Node.js version such as 26 or 24.11.1; got "100")');
    expect(result.stdout).not.toMatch(/got "10"/);
  });
});

describe('go.mod', () => {
  it('go 1.30, newer than any release known, gets a note saying what is used and what to do', async () => {
    const dir = path.join(root, `go-${counter++}`);
    writeTree(dir, { ...EXISTING_PROJECTS['go']!, 'go.mod': 'module example.com/shop\n\ngo 1.30\n' });
    const before = snapshot(dir);
    const result = await run([dir, '--yes', '--dry-run'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/note: go\.mod asks for Go 1\.30, newer than any release this version of create-multistage knows \(newest 1\.\d+\): the Dockerfile uses golang:1\.30 as asked/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('CMake projects', () => {
  it('an OUTPUT_NAME with a space is named in a note, not dropped silently; vcpkg.json, conanfile.txt and CMakePresets.json get notes saying what to do', async () => {
    const dir = path.join(root, `cpp-${counter++}`);
    writeTree(dir, {
      ...EXISTING_PROJECTS['cpp']!,
      'CMakeLists.txt': `${EXISTING_PROJECTS['cpp']!['CMakeLists.txt']!}set_target_properties(shop PROPERTIES OUTPUT_NAME "my shop")\n`,
      'vcpkg.json': '{ "dependencies": ["fmt"] }\n',
      'conanfile.txt': '[requires]\nfmt/10.2.1\n',
      'CMakePresets.json': '{ "version": 6 }\n',
    });
    const before = snapshot(dir);
    const result = await run([dir, '--yes', '--dry-run'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('note: OUTPUT_NAME "my shop" of shop is not a plain file name');
    expect(result.stdout).toMatch(/note: vcpkg\.json: vcpkg dependencies are not installed in the image/);
    expect(result.stdout).toMatch(/note: conanfile\.txt: Conan dependencies are not installed in the image/);
    expect(result.stdout).toMatch(/note: CMakePresets\.json: the presets are not used/);
    expect(snapshot(dir)).toEqual(before);
  });
});
