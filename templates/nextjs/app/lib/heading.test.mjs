// Run with `npm test` (node --test finds *.test.mjs files), or in Docker with
// `npm run docker:test`, which also type-checks the project.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heading } from './heading.mjs';

test('heading names the app', () => {
  assert.equal(heading('shop'), 'shop is running');
});

test('heading falls back when the name is blank', () => {
  assert.equal(heading('  '), 'This app is running');
});
