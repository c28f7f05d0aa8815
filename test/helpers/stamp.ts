/** A generated file without the stamp lines (answers, tool and kit version) that every generated file carries. */
export function withoutStamp(text: string | undefined): string | undefined {
  return text?.replace(/^(?:# |<!-- )create-multistage(?:-version)?: .*\n/gm, '');
}

/** Only the stamp's version line dropped: for comparing the same answers with and without a kit. */
export function withoutVersionLine<T extends string | undefined>(text: T): T {
  return text?.replace(/^(?:# |<!-- )create-multistage-version: .*\n/gm, '') as T;
}
