// The pieces under the import that decide what an admin reads in a refusal: rows and lines of a CSV whose
// values span lines (csv-parse counts a CRLF inside quotes as two lines; the reader must not), dates as
// Outlook writes them, and text encodings.
import { readCsv, writeCsv } from "../../../src/cli/practice-admin/csv-table";
import { decodeText } from "../../../src/cli/practice-admin/decode-text";
import { FileRefusal } from "../../../src/cli/practice-admin/file-refusal";
import { parseBirthday } from "../../../src/cli/practice-admin/import-record";

const refusal = (run: () => unknown): FileRefusal => {
  try {
    run();
  } catch (e) {
    if (e instanceof FileRefusal) return e;
    throw e;
  }
  throw new Error("expected a refusal");
};

test.each(["\r\n", "\n"])("rows keep their spreadsheet number and the line they start on, past multi-line values and blank lines (%j)", (nl) => {
  const text = ["Name,Notes", `Åsa,"one${nl}two${nl}three"`, "", "Björn,plain", `"Chloé, C.","a ""quoted"" word"`].join(nl) + nl;
  const t = readCsv("x.csv", text);
  expect(t.header).toEqual(["Name", "Notes"]);
  expect(t.records.map((r) => [r.row, r.line, r.cells])).toEqual([
    [2, 2, ["Åsa", `one${nl}two${nl}three`]],
    [3, 6, ["Björn", "plain"]],
    [4, 7, ["Chloé, C.", 'a "quoted" word']],
  ]);
});

test("a quote never closed is refused at the row and line its value starts on", () => {
  const r = refusal(() => readCsv("x.csv", 'Name,Notes\r\nÅsa,"one\r\ntwo"\r\nBjörn,"never closed\r\nmore\r\n'));
  expect(r.problems).toEqual([{ row: 3, line: 4, reason: 'a quoted value is never closed (a missing ")' }]);
});

test("a header naming a column twice, an empty file and a short row are refused", () => {
  expect(refusal(() => readCsv("x.csv", "Name,name\r\n")).problems[0]).toMatchObject({ row: 1, column: "name", reason: "the header names this column twice (columns 1 and 2)" });
  expect(refusal(() => readCsv("x.csv", "")).problems[0].reason).toBe("the file is empty: a header row is needed");
  expect(refusal(() => readCsv("x.csv", "A,B,C\nx,y\n")).problems[0]).toEqual({ row: 2, line: 2, reason: "the row has 2 values but the header names 3 columns" });
  // A spreadsheet's trailing empty values are not an extra column.
  expect(readCsv("x.csv", "A,B\nx,y,,\n").records[0].cells).toEqual(["x", "y"]);
});

test("what writeCsv writes, readCsv reads back value for value", () => {
  const rows = [["Åsa", 'say "hi", then\r\nleave', ""], ["秀", "", "x"]];
  const text = writeCsv(["A", "B", "C"], rows);
  expect(text.startsWith('\uFEFF"A","B","C"\r\n"Åsa","say ""hi"", then\r\nleave",""\r\n')).toBe(true);
  expect(readCsv("x.csv", text.slice(1)).records.map((r) => r.cells)).toEqual(rows);
});

test.each([
  ["1972-04-15", "mdy", "1972-04-15"],
  ["4/15/1972", "mdy", "1972-04-15"],
  ["15/4/1972", "dmy", "1972-04-15"],
  ["15.04.1972", "mdy", "1972-04-15"],
  ["19720415", "mdy", "1972-04-15"],
  ["2/29/1980", "mdy", "1980-02-29"],
  ["0/0/00", "mdy", null],
  ["", "mdy", null],
] as const)("birthday %s (%s) reads as %s", (raw, order, want) => {
  expect(parseBirthday(raw, order)).toBe(want);
});

test.each([
  ["2/29/1981", "is not a real date"],
  ["15/4/1972", "is not a real date (read as month/day/year; --dates dmy reads day first)"],
  ["4/15/72", "has a two-digit year"],
  ["next spring", "is not a date"],
])("birthday %s is refused: %s", (raw, reason) => {
  const r = parseBirthday(raw, "mdy");
  expect(r).toBeInstanceOf(Error);
  expect((r as Error).message).toContain(reason);
});

test("text: a UTF-8 byte order mark is dropped, UTF-16 with its mark is read, the Windows code page on request, bad UTF-8 refused at its line", () => {
  expect(decodeText("f", new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("Zoë")]))).toBe("Zoë");
  expect(decodeText("f", new Uint8Array([0xff, 0xfe, ...Buffer.from("Zoë\r\n", "utf16le")]))).toBe("Zoë\r\n");
  expect(decodeText("f", Buffer.from("Zo\xeb", "latin1"), "windows-1252")).toBe("Zoë");
  const r = refusal(() => decodeText("f", Buffer.concat([Buffer.from("ok\nfine\n"), Buffer.from("Zo\xeb\n", "latin1")])));
  expect(r.problems[0].line).toBe(3);
});
