// Run with `npm test` (node --test finds *.test.mjs files), or in Docker with
// `npm run docker:test`, which also type-checks the project.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageTitle } from './title.mjs';

test('the home page title is the app name', () => {
  assert.equal(pageTitle('shop'), 'shop');
});

test('a page title names the page, then the app', () => {
  assert.equal(pageTitle('shop', 'Orders'), 'Orders · shop');
  assert.equal(pageTitle('shop', '  '), 'shop');
});
