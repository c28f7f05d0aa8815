/**
 * The one Dockerfile reader: dockerfile-ast parses (instructions, `\`
 * continuations and the comment lines inside them, heredocs, parser
 * directives, flags and their options, with ranges); this module arranges the
 * result the way every caller needs it (stages with their instructions, the
 * global ARGs, 0-based line spans).
 *
 * dockerfile-ast is large: code on the main run's path must load this module
 * with `await import()`, so `--version`, `--help`
 * and a plain generation never parse it. The rule checker, itself a lazily
 * loaded chunk, imports it directly.
 */
import { DockerfileParser, From, ModifiableInstruction, PropertyInstruction, type Dockerfile, type Flag, type Instruction, type Property } from 'dockerfile-ast';

/** 0-based physical lines an instruction covers, first and last inclusive (continuations and heredoc bodies included). */
export interface LineSpan {
  start: number;
  end: number;
}

/** A 0-based position range within one physical line. */
export interface TextSpan {
  line: number;
  start: number;
  end: number;
}

export interface DockerfileStage {
  index: number;
  /** As written after AS; null for an unnamed stage. */
  name: string | null;
  /** Lower-cased name: BuildKit compares stage names case-insensitively. */
  key: string | null;
  /** The FROM image as written (an image, a variable, or an earlier stage's name); null when FROM has none. */
  image: string | null;
  /** Where the image is written, when on one line. */
  imageSpan: TextSpan | null;
  /** `FROM --platform=<value>`, as written. */
  platform: string | null;
  from: From;
  /** The instructions after the FROM, up to the next FROM. */
  instructions: Instruction[];
}

export interface GlobalArg {
  name: string;
  /** The default with quotes removed; null when the ARG gives none. */
  value: string | null;
}

export interface ParserDirectiveLine {
  /** Lower-cased (`syntax`, `escape`, `check`). */
  name: string;
  value: string;
  /** Where the value is written. */
  valueSpan: TextSpan;
}

export interface DockerfileReading {
  ast: Dockerfile;
  /** The escape character in force (`\` unless a directive says otherwise). */
  escape: string;
  directives: ParserDirectiveLine[];
  instructions: Instruction[];
  /** ARGs before the first FROM, in order. */
  globalArgs: GlobalArg[];
  stages: DockerfileStage[];
}

interface RangeLike {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** A range as a one-line span; null when it crosses a line break (a value split by a continuation). */
export function textSpan(range: RangeLike | null): TextSpan | null {
  if (!range || range.start.line !== range.end.line) return null;
  return { line: range.start.line, start: range.start.character, end: range.end.character };
}

export function lineSpan(ins: Instruction): LineSpan {
  const range = ins.getRange();
  return { start: range.start.line, end: range.end.line };
}

/** 1-based line of an instruction's first line, as messages print it. */
export const lineOf = (ins: Instruction): number => ins.getRange().start.line + 1;

/** An instruction's flags (`--from=`, `--mount=`, `--platform=`); none for instructions that take none. */
export function flagsOf(ins: Instruction): Flag[] {
  return ins instanceof ModifiableInstruction ? ins.getFlags() : [];
}

/** The value of the named flag (lower-case name): undefined when absent, null when given without a value. */
export function flagValue(ins: Instruction, name: string): string | null | undefined {
  const flag = flagsOf(ins).find((f) => f.getName().toLowerCase() === name);
  return flag ? flag.getValue() : undefined;
}

/** The `name=value` pairs of ARG, ENV and LABEL. */
export function propertiesOf(ins: Instruction): Property[] {
  return ins instanceof PropertyInstruction ? ins.getProperties() : [];
}

export function readDockerfile(text: string): DockerfileReading {
  const ast = DockerfileParser.parse(text);
  const directives = ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), valueSpan: textSpan(d.getValueRange())! }));
  const globalArgs: GlobalArg[] = [];
  for (const arg of ast.getInitialARGs()) {
    for (const property of arg.getProperties()) globalArgs.push({ name: property.getName(), value: property.getValue() });
  }
  const instructions = ast.getInstructions();
  const stages: DockerfileStage[] = [];
  for (const ins of instructions) {
    if (ins instanceof From) {
      const name = ins.getBuildStage();
      stages.push({
        index: stages.length,
        name,
        key: name === null ? null : name.toLowerCase(),
        image: ins.getImage(),
        imageSpan: textSpan(ins.getImageRange()),
        platform: ins.getPlatformFlag()?.getValue() ?? null,
        from: ins,
        instructions: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  return { ast, escape: ast.getEscapeCharacter(), directives, instructions, globalArgs, stages };
}
