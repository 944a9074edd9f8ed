// The decision table is the engine's dispatch and the table docs/sync-rules.md prints: every section
// ends with a row that always matches, every decision reconcile() builds appears in it, and the
// document shows exactly what the code decides.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decide, decisionTableMarkdown, HOLDERS, PAIR, RELINK, UNLINKED_CONTACT, UNLINKED_RECORD, type PairFacts } from "../../src/sync/decision-table";

const sections = [PAIR, UNLINKED_CONTACT, RELINK, HOLDERS, UNLINKED_RECORD] as const;

test("docs/sync-rules.md prints the table the engine decides by", () => {
  const doc = readFileSync(join(__dirname, "../../docs/sync-rules.md"), "utf8");
  const printed = doc.slice(doc.indexOf("<!-- decision-table:start -->") + "<!-- decision-table:start -->".length, doc.indexOf("<!-- decision-table:end -->")).trim();
  // When this fails after a change to the table: npx tsx scripts/decision-table.ts --write
  expect(printed).toBe(decisionTableMarkdown());
});

test("every section ends with a row that matches anything (no subject is left undecided)", () => {
  for (const s of sections) expect((s.rows[s.rows.length - 1].when as (f: unknown) => boolean)({})).toBe(true);
});

test("every decision reconcile() builds is in the table", () => {
  const reconcile = readFileSync(join(__dirname, "../../src/sync/reconcile.ts"), "utf8");
  const inTable = new Set(sections.flatMap((s) => s.rows.map((r) => r.decision as string)));
  const built = [...reconcile.matchAll(/case "([a-z-]+)":/g)].map((m) => m[1]);
  expect(built.length).toBeGreaterThan(10);
  for (const d of built) expect([d, inTable.has(d)]).toEqual([d, true]);
});

const pair = (f: Partial<PairFacts>): PairFacts => ({
  excluded: false,
  practiceGone: false,
  outlookGone: false,
  outlookLive: true,
  untouched: false,
  leftScope: false,
  letGoBySync: false,
  practiceEdited: false,
  outlookEdited: false,
  changed: false,
  ...f,
});

test.each([
  [{ excluded: true, practiceGone: true }, "forget-exclusion"],
  [{ excluded: true }, "relink"],
  [{ excluded: true, outlookLive: false }, "nothing"],
  [{ outlookLive: false, untouched: true }, "nothing"],
  [{ practiceGone: true, outlookGone: true, outlookLive: false }, "forget-link"],
  [{ outlookGone: true, outlookLive: false, leftScope: true, practiceEdited: true }, "forget-link"],
  [{ outlookGone: true, outlookLive: false, letGoBySync: true, practiceEdited: true, changed: true }, "forget-link"],
  [{ outlookGone: true, outlookLive: false, practiceEdited: true, changed: true }, "conflict-deleted-in-outlook"],
  [{ outlookGone: true, outlookLive: false, changed: true }, "exclude"],
  [{ practiceGone: true, outlookEdited: true, changed: true }, "conflict-deleted-in-practice"],
  [{ practiceGone: true }, "remove-from-outlook"],
  [{ leftScope: true, outlookEdited: true, changed: true }, "leave-scope"],
  [{}, "refresh-link"],
  [{ changed: true, practiceEdited: true, outlookEdited: true }, "merge"],
] as const)("a linked pair %j: %s", (facts, decision) => {
  expect(decide(PAIR, pair(facts)).decision).toBe(decision);
});

test("several holders: a duplicate with edits waits only when another row writes its record and its edits would too", () => {
  const dup = { role: "duplicate" as const, linked: false, nothingNew: false, editsKnown: true, editsForRecord: true, recordWritten: true, recordGone: false, foldable: false, foldedInto: false, newerDuplicateFirst: false };
  expect(decide(HOLDERS, dup).decision).toBe("wait");
  expect(decide(HOLDERS, { ...dup, recordWritten: false }).decision).toBe("merge-duplicate");
  expect(decide(HOLDERS, { ...dup, editsForRecord: false }).decision).toBe("merge-duplicate");
  expect(decide(HOLDERS, { ...dup, editsKnown: false }).decision).toBe("conflict-duplicate");
  expect(decide(HOLDERS, { ...dup, nothingNew: true }).decision).toBe("remove-duplicate");
  expect(decide(HOLDERS, { ...dup, role: "restored" }).decision).toBe("wait"); // keeping it would write the record too
  expect(decide(HOLDERS, { ...dup, role: "restored", recordWritten: false }).decision).toBe("conflict-restored");
  expect(decide(HOLDERS, { ...dup, role: "restored", editsForRecord: false }).decision).toBe("conflict-restored");
});

test("several holders of a deleted record: a duplicate whose stamp tells its edits folds into the kept contact, which waits", () => {
  const dup = { role: "duplicate" as const, linked: false, nothingNew: false, editsKnown: false, editsForRecord: false, recordWritten: false, recordGone: true, foldable: true, foldedInto: false, newerDuplicateFirst: false };
  expect(decide(HOLDERS, dup).decision).toBe("fold-duplicate");
  expect(decide(HOLDERS, { ...dup, foldable: false }).decision).toBe("conflict-duplicate");
  expect(decide(HOLDERS, { ...dup, recordGone: false, foldable: false }).decision).toBe("conflict-duplicate");
  const primary = { ...dup, role: "primary" as const, linked: true, foldable: false, foldedInto: true };
  expect(decide(HOLDERS, primary).decision).toBe("wait");
  expect(decide(HOLDERS, { ...primary, foldedInto: false }).decision).toBe("linked-pair");
});

test("several holders: a primary waits while a more recently changed duplicate writes its edits into the record", () => {
  const primary = { role: "primary" as const, linked: true, nothingNew: false, editsKnown: false, editsForRecord: false, recordWritten: false, recordGone: false, foldable: false, foldedInto: false, newerDuplicateFirst: true };
  expect(decide(HOLDERS, primary).decision).toBe("wait");
  expect(decide(HOLDERS, { ...primary, newerDuplicateFirst: false }).decision).toBe("linked-pair");
  expect(decide(HOLDERS, { ...primary, newerDuplicateFirst: false, linked: false }).decision).toBe("relink");
});
