import { describe, expect, it } from 'vitest';
import { flagValue, flagsOf, lineOf, lineSpan, propertiesOf, readDockerfile, textSpan } from '../../src/dockerfile-reader.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('readDockerfile: stages', () => {
  const text = lines(
    '# syntax=docker/dockerfile:1',
    'ARG GO_IMAGE="golang:1.25-trixie" RUNTIME=debian:trixie-slim',
    'ARG NO_DEFAULT',
    'FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS Builder',
    'WORKDIR /src',
    'RUN go build -o /out/app .',
    'from ${RUNTIME}',
    'FROM builder as production',
    'COPY --from=builder /out/app /app',
  );
  const reading = readDockerfile(text);

  it('gives each FROM a stage: name as written, lower-cased key, image as written, --platform', () => {
    expect(reading.stages.map((s) => ({ index: s.index, name: s.name, key: s.key, image: s.image, platform: s.platform }))).toEqual([
      { index: 0, name: 'Builder', key: 'builder', image: '${GO_IMAGE}', platform: '$BUILDPLATFORM' },
      { index: 1, name: null, key: null, image: '${RUNTIME}', platform: null },
      { index: 2, name: 'production', key: 'production', image: 'builder', platform: null },
    ]);
  });

  it('puts the instructions after a FROM into its stage, up to the next FROM', () => {
    expect(reading.stages.map((s) => s.instructions.map((i) => i.getKeyword()))).toEqual([['WORKDIR', 'RUN'], [], ['COPY']]);
    expect(reading.instructions).toHaveLength(9 - 1); // the syntax line is a directive, not an instruction
  });

  it('lists the ARGs before the first FROM, every name=value of a line, quotes removed, null without a default', () => {
    expect(reading.globalArgs).toEqual([
      { name: 'GO_IMAGE', value: 'golang:1.25-trixie' },
      { name: 'RUNTIME', value: 'debian:trixie-slim' },
      { name: 'NO_DEFAULT', value: null },
    ]);
  });

  it('locates the image of a FROM on its line', () => {
    const span = reading.stages[0]!.imageSpan!;
    expect(text.split('\n')[span.line]!.slice(span.start, span.end)).toBe('${GO_IMAGE}');
  });

  it('reads flags and their options', () => {
    const copy = reading.stages[2]!.instructions[0]!;
    expect(flagValue(copy, 'from')).toBe('builder');
    expect(flagValue(copy, 'chmod')).toBeUndefined();
    expect(flagsOf(reading.stages[0]!.instructions[0]!)).toEqual([]); // WORKDIR takes none
    expect(propertiesOf(copy)).toEqual([]);
    const mount = flagsOf(readDockerfile('FROM a:1\nRUN --mount=type=cache,id=go,target=/root/.cache echo\n').stages[0]!.instructions[0]!)[0]!;
    expect(mount.getOption('id')?.getValue()).toBe('go');
  });
});

describe('readDockerfile: lines', () => {
  it('spans continuation lines, with the comment and blank lines inside them, and numbers lines from the file start', () => {
    const text = lines('FROM debian:trixie AS base', '', 'RUN apt-get update \\', '    # a comment inside the instruction', '', '    && apt-get install -y curl', 'USER 1000');
    const [run, user] = readDockerfile(text).stages[0]!.instructions;
    expect(lineSpan(run!)).toEqual({ start: 2, end: 5 });
    expect(lineOf(run!)).toBe(3);
    expect(lineSpan(user!)).toEqual({ start: 6, end: 6 });
  });

  it('spans a heredoc body, and a FROM inside it is no stage', () => {
    const text = lines('FROM debian:trixie AS base', 'RUN <<EOF', 'FROM x AS fake', 'EOF', 'CMD ["true"]');
    const reading = readDockerfile(text);
    expect(reading.stages.map((s) => s.key)).toEqual(['base']);
    expect(reading.stages[0]!.instructions.map((i) => [i.getKeyword(), lineSpan(i)])).toEqual([
      ['RUN', { start: 1, end: 3 }],
      ['CMD', { start: 4, end: 4 }],
    ]);
  });

  it('counts a CRLF line ending as one line break', () => {
    const reading = readDockerfile('FROM a:1 AS one\r\nRUN true \\\r\n  && false\r\nFROM one AS two\r\n');
    expect(reading.stages.map((s) => [s.key, lineOf(s.from)])).toEqual([
      ['one', 1],
      ['two', 4],
    ]);
    expect(lineSpan(reading.stages[0]!.instructions[0]!)).toEqual({ start: 1, end: 2 });
  });
});

describe('readDockerfile: parser directives and comments', () => {
  it('reads directives at the top only, names lower-cased, with where their value is written', () => {
    const text = lines('# Syntax=docker/dockerfile:1', '# escape=\\', 'FROM a:1', '# syntax=ignored/after:1');
    const reading = readDockerfile(text);
    expect(reading.directives.map((d) => [d.name, d.value])).toEqual([
      ['syntax', 'docker/dockerfile:1'],
      ['escape', '\\'],
    ]);
    const { valueSpan } = reading.directives[0]!;
    expect(text.split('\n')[valueSpan.line]!.slice(valueSpan.start, valueSpan.end)).toBe('docker/dockerfile:1');
    expect(reading.escape).toBe('\\');
  });

  it('reports a changed escape character, and continues lines with it', () => {
    const reading = readDockerfile(lines('# escape=`', 'FROM a:1 AS base', 'RUN echo one `', '    two'));
    expect(reading.escape).toBe('`');
    expect(lineSpan(reading.stages[0]!.instructions[0]!)).toEqual({ start: 2, end: 3 });
  });

  it('a directive after a comment is an ordinary comment', () => {
    expect(readDockerfile(lines('# hello', '# escape=`', 'FROM a:1')).escape).toBe('\\');
  });
});

describe('readDockerfile: malformed input', () => {
  it('reads text that is not a Dockerfile without throwing, finding nothing', () => {
    for (const text of ['', '\n\n', '# only a comment\n', 'not a dockerfile at all {', '\u0000\u0001binary']) {
      const reading = readDockerfile(text);
      expect(reading.stages, JSON.stringify(text)).toEqual([]);
      expect(reading.globalArgs).toEqual([]);
    }
  });

  it('keeps instructions before any FROM out of the stages, and a FROM without an image has a null image', () => {
    const reading = readDockerfile(lines('RUN echo orphan', 'FROM', 'FROM AS', 'FROM a:1 AS'));
    expect(reading.instructions.map((i) => i.getKeyword())).toEqual(['RUN', 'FROM', 'FROM', 'FROM']);
    expect(reading.stages.map((s) => [s.image, s.key])).toEqual([
      [null, null],
      ['AS', null],
      ['a:1', null],
    ]);
  });

  it('a continuation at the end of the file ends the instruction there', () => {
    const reading = readDockerfile('FROM a:1 AS base\nRUN echo \\');
    expect(lineSpan(reading.stages[0]!.instructions[0]!)).toEqual({ start: 1, end: 1 });
  });
});

describe('textSpan', () => {
  it('is null for a range across lines or no range', () => {
    expect(textSpan(null)).toBeNull();
    expect(textSpan({ start: { line: 1, character: 4 }, end: { line: 2, character: 1 } })).toBeNull();
    expect(textSpan({ start: { line: 3, character: 4 }, end: { line: 3, character: 9 } })).toEqual({ line: 3, start: 4, end: 9 });
  });
});
