// The client's checks of contact pages, change pages and batch answers come from openapi.yaml's schemas
// (response-contract.json, generated): they must match the contract as it is now, and say what is wrong.
import { readFileSync } from "node:fs";
import { generateResponseContract, OUTPUT } from "../../scripts/gen-response-validators";
import { BatchResponseSchema, ChangePageSchema, ContactPageSchema } from "../../src/practice-api/response-schemas";

const contact = (extra: Record<string, unknown> = {}) => ({ id: "c1", kind: "client", updatedAt: "2026-11-25T07:00:00.000Z", version: "3", givenName: "Ann", ...extra });

test("the generated schemas match the contract (npm run gen:validators after changing openapi.yaml)", () => {
  expect(readFileSync(OUTPUT, "utf8")).toBe(generateResponseContract());
});

test("a well-formed page passes, extra properties from a newer server included", () => {
  const page = { items: [contact({ futureField: "x" })], nextCursor: null, changeCursor: "c" };
  expect(ContactPageSchema.safeParse(page)).toEqual({ success: true, data: page });
});

test.each([
  ["an updatedAt that is not a date-time", { items: [contact({ updatedAt: "yesterday" })], nextCursor: null }, ["items", "0", "updatedAt"], /date-time/],
  ["a missing version", { items: [contact({ version: undefined })], nextCursor: null }, ["items", "0"], /version/],
  ["an email list of strings", { items: [contact({ emailAddresses: ["a@b.example"] })], nextCursor: null }, ["items", "0", "emailAddresses", "0"], /object/],
  ["a field over its length", { items: [contact({ givenName: "x".repeat(256) })], nextCursor: null }, ["items", "0", "givenName"], /255/],
])("a page with %s is refused, naming where", (_what, page, path, message) => {
  const r = ContactPageSchema.safeParse(page);
  expect(r.success).toBe(false);
  if (r.success) return;
  expect(r.error.issues[0].path).toEqual(path);
  expect(r.error.issues[0].message).toMatch(message);
});

test("change pages and batch answers are checked too", () => {
  expect(ChangePageSchema.safeParse({ changes: [{ type: "upsert", contact: contact() }, { type: "delete", id: "c2", deletedAt: "2026-11-25T07:00:00Z" }], cursor: "c", hasMore: false }).success).toBe(true);
  expect(ChangePageSchema.safeParse({ changes: [{ type: "merge", id: "c2" }], cursor: "c", hasMore: false }).success).toBe(false);
  expect(BatchResponseSchema.safeParse({ results: [{ status: 200, contact: contact() }] }).success).toBe(true);
  expect(BatchResponseSchema.safeParse({ results: [{ status: "200" }] }).success).toBe(false);
});
