// What dockerfile-ast and dockerfile-utils use of vscode-languageserver-types
// (Position.create, Range.create, TextEdit.replace/del, DiagnosticSeverity,
// DiagnosticTag), bundled in its place by scripts/build.mjs: the library is a
// CommonJS module of 28 kB minified that esbuild cannot tree-shake behind their
// require() calls. The functions are copied from vscode-languageserver-types
// 3.18 (lib/esm/main.js), Copyright (c) Microsoft Corporation, MIT licence.
// test/unit/bundle-shims.test.ts checks that it covers every member the
// two libraries read and gives what the library gives.
'use strict';
const objectToString = Object.prototype.toString;
const UINTEGER_MAX = 2147483647;
const isUinteger = (value) => objectToString.call(value) === '[object Number]' && 0 <= value && value <= UINTEGER_MAX;
const isObjectLiteral = (value) => value !== null && typeof value === 'object';

const Position = {
  create(line, character) {
    if (line === Number.MAX_VALUE) line = UINTEGER_MAX;
    if (character === Number.MAX_VALUE) character = UINTEGER_MAX;
    return { line, character };
  },
  is(value) {
    return isObjectLiteral(value) && isUinteger(value.line) && isUinteger(value.character);
  },
};

const Range = {
  create(one, two, three, four) {
    if (isUinteger(one) && isUinteger(two) && isUinteger(three) && isUinteger(four)) {
      return { start: Position.create(one, two), end: Position.create(three, four) };
    } else if (Position.is(one) && Position.is(two)) {
      return { start: one, end: two };
    }
    throw new Error(`Range#create called with invalid arguments[${one}, ${two}, ${three}, ${four}]`);
  },
};

const TextEdit = {
  replace(range, newText) {
    return { range, newText };
  },
  del(range) {
    return { range, newText: '' };
  },
};

exports.Position = Position;
exports.Range = Range;
exports.TextEdit = TextEdit;
exports.DiagnosticSeverity = { Error: 1, Warning: 2, Information: 3, Hint: 4 };
exports.DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };
