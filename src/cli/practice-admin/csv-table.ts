// CSV in and out (csv-parse / csv-stringify): a header row and records, each with its row number as a
// spreadsheet shows it and the line of the file it starts on (a quoted value may span lines).
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { FileRefusal, type FileProblem } from "./file-refusal";

export interface CsvRecord {
  /** The header is row 1; blank lines are not rows. */
  row: number;
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

/**
 * The 1-based line of the first non-blank character at or after a byte offset. Offsets are asked for in
 * increasing order, so it counts on from the last one (one pass over the file, not one per row).
 */
function lineCounter(buf: Buffer): (offset: number) => number {
  let pos = 0;
  let line = 1;
  return (offset) => {
    let at = offset;
    while (at < buf.length && (buf[at] === 0x0a || buf[at] === 0x0d)) at++;
    if (at < pos) {
      pos = 0;
      line = 1;
    }
    for (; pos < at; pos++) if (buf[pos] === 0x0a) line++;
    return line;
  };
}

const OPTIONS = { relax_column_count: true, skip_empty_lines: true } as const;

/** Parses CSV text (without a byte order mark); refuses a malformed file with the row and line. */
export function readCsv(file: string, text: string): CsvTable {
  const buf = Buffer.from(text, "utf8");
  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, { ...OPTIONS, info: true }) as unknown as ParsedRecord[];
  } catch (e) {
    const err = e as Error & { code?: string; records?: number };
    const done = err.records ?? 0;
    // The failing record starts where the last good one ended.
    const before = done > 0 ? (parse(text, { ...OPTIONS, info: true, to: done }) as unknown as ParsedRecord[]) : [];
    const start = before.length ? before[before.length - 1].info.bytes : 0;
    throw new FileRefusal(file, [{ row: done + 1, line: lineCounter(buf)(start), reason: csvReason(err) }]);
  }
  if (parsed.length === 0) throw new FileRefusal(file, [{ reason: "the file is empty: a header row is needed" }]);
  const header = parsed[0].record.map((h) => h.trim());
  const problems: FileProblem[] = [];
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === "") return;
    const prior = seen.get(h.toLowerCase());
    if (prior !== undefined) problems.push({ row: 1, line: 1, column: h, reason: `the header names this column twice (columns ${prior + 1} and ${i + 1})` });
    seen.set(h.toLowerCase(), i);
  });
  const records: CsvRecord[] = [];
  const lineAt = lineCounter(buf);
  let start = parsed[0].info.bytes;
  parsed.slice(1).forEach((p, i) => {
    const rec: CsvRecord = { row: i + 2, line: lineAt(start), cells: p.record };
    start = p.info.bytes;
    // Trailing empty values (a spreadsheet's stray commas) are harmless; any other mismatch shifts columns.
    while (rec.cells.length > header.length && rec.cells[rec.cells.length - 1].trim() === "") rec.cells.pop();
    if (rec.cells.length !== header.length)
      problems.push({
        row: rec.row,
        line: rec.line,
        reason: `the row has ${rec.cells.length} values but the header names ${header.length} columns${rec.cells.length > header.length ? " (an unquoted comma?)" : ""}`,
      });
    records.push(rec);
  });
  if (problems.length) throw new FileRefusal(file, problems);
  return { header, records };
}

function csvReason(err: Error & { code?: string }): string {
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted value is never closed (a missing \")";
    case "INVALID_OPENING_QUOTE":
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a quote in the middle of a value (write it as \"\" inside a quoted value)";
    default:
      return `not valid CSV (${err.message})`;
  }
}

/** CSV as Outlook and spreadsheets read it best: UTF-8 with a byte order mark, CRLF, every value quoted. */
export function writeCsv(header: string[], rows: string[][]): string {
  return `\uFEFF${stringify([header, ...rows], { quoted: true, quoted_empty: true, record_delimiter: "windows" })}`;
}
