// A file the admin commands refuse as a whole: every problem found, each with where it is and why.

export interface FileProblem {
  /** The record: a CSV row counted as a spreadsheet does (the header is row 1), or a vCard's number in the file. */
  row?: number;
  /** The line of the file the record starts on (1-based). */
  line?: number;
  /** The CSV column's header, or the vCard property's name. */
  column?: string;
  reason: string;
}

const MAX_LISTED = 50;

export class FileRefusal extends Error {
  constructor(
    readonly file: string,
    readonly problems: FileProblem[],
    /** "row" for CSV, "card" for vCard. */
    readonly recordWord: "row" | "card" = "row",
  ) {
    super(`${file}: ${problems.length} problem(s)`);
  }

  /** The message an admin reads: one line per problem (the first fifty), then what happened. */
  describe(): string {
    const lines = this.problems.slice(0, MAX_LISTED).map((p) => `  ${describeProblem(p, this.recordWord)}`);
    if (this.problems.length > MAX_LISTED) lines.push(`  … and ${this.problems.length - MAX_LISTED} more`);
    return `${this.file} was refused; nothing was written:\n${lines.join("\n")}`;
  }
}

export function describeProblem(p: FileProblem, recordWord: "row" | "card"): string {
  const where: string[] = [];
  if (p.row !== undefined) where.push(`${recordWord} ${p.row}`);
  if (p.line !== undefined) where.push(`line ${p.line}`);
  if (p.column !== undefined) where.push(recordWord === "row" ? `column "${p.column}"` : `property ${p.column}`);
  return where.length ? `${where.join(", ")}: ${p.reason}` : p.reason;
}
