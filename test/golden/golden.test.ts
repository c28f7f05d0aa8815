// Golden files: every file the tool writes or changes, for each case in
// cases.ts, stored under test/golden/<group>/<case>/ and compared byte for byte
// (same file list, same bytes, same executable bit) with a fresh run of the
// built CLI. A template or code change that alters what users get shows here
// as a diff; `npm run golden:update` (UPDATE_GOLDEN=1) stores the new output
// instead of comparing, and removes stored cases that are no longer listed.
//
// No normalisation is applied: every run has a clean environment (see
// goldenEnv) and a fixed project folder name, and the output is then the same
// on every machine. The tool's version (`# create-multistage-version: 0.1.0`)
// is part of the output on purpose: a release changes it in every golden.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { caseDir, caseLabel, compareTrees, GOLDEN_DIR, readTree, requireFreshBuild, runCase, storedCaseLabels, UPDATE_COMMAND, writeGolden } from './harness.js';

const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

describe(UPDATE ? 'golden files (updating)' : 'golden files', () => {
  beforeAll(() => requireFreshBuild());

  it('the case list names each case once', () => {
    const labels = CASES.map(caseLabel);
    expect(labels.filter((label, i) => labels.indexOf(label) !== i)).toEqual([]);
    for (const label of labels) expect(label, 'a case name is one folder name').toMatch(/^[a-z]+\/[a-z0-9][a-z0-9.-]*$/);
  });

  // One test per case, one after another (a run is one short child process).
  // No time is asserted: the timeout only stops a hang, on a busy machine.
  it.each(CASES.map((c) => [caseLabel(c), c] as const))(
    '%s',
    (_label, c) => {
      const generated = runCase(c);
      if (generated.files.size === 0) throw new Error(`${caseLabel(c)}: the run wrote nothing; a golden case must write something`);
      if (UPDATE) {
        writeGolden(c, generated.files);
        return;
      }
      const report = compareTrees(c, readTree(caseDir(c)), generated.files);
      if (report !== undefined) expect.fail(report);
    },
    120_000,
  );

  it('every stored golden tree belongs to a case', () => {
    const listed = new Set(CASES.map(caseLabel));
    const orphans = storedCaseLabels().filter((label) => !listed.has(label));
    if (UPDATE) {
      for (const label of orphans) fs.rmSync(path.join(GOLDEN_DIR, ...label.split('/')), { recursive: true, force: true });
      for (const group of fs.readdirSync(GOLDEN_DIR, { withFileTypes: true })) {
        const dir = path.join(GOLDEN_DIR, group.name);
        if (group.isDirectory() && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      }
      return;
    }
    expect(orphans, `stored golden trees without a case in test/golden/cases.ts; \`${UPDATE_COMMAND}\` removes them`).toEqual([]);
  });
});
