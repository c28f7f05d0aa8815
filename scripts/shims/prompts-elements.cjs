// What prompts/lib/prompts.js gets for its require('./elements') in the bundle
// (scripts/build.mjs): the three prompt classes src/prompts.ts asks for (text,
// select, confirm), the library's own modules. The library's elements/index.js
// loads all nine types (date, number, toggle, multiselect, autocomplete...),
// which esbuild cannot drop behind require(). prompts.js reads `el[type]` only
// when a question of that type is asked, so the others are never missed. A
// question of another type would fail in `new el[type]`, which prompt() takes
// for a cancel: test/unit/prompts-shim.test.ts checks that these are the
// library's classes and the only types src/prompts.ts asks for.
'use strict';
// A CommonJS module in the library's place: it loads the library's modules the way it does.
/* eslint-disable @typescript-eslint/no-require-imports */

module.exports = {
  TextPrompt: require('prompts/lib/elements/text.js'),
  SelectPrompt: require('prompts/lib/elements/select.js'),
  ConfirmPrompt: require('prompts/lib/elements/confirm.js'),
};
