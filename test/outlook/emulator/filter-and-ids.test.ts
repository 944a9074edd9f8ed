// Unit tests (no HTTP) for the pieces with the most edge cases: extended-property id normalization
// (XP: formats, case rules, proptag forms) and the $filter evaluator.
import fc from "fast-check";
import { normalizeExtendedPropertyId } from "../../../src/outlook/emulator/extended-properties";
import { compileFilter } from "../../../src/outlook/emulator/odata-filter";
import { GraphError } from "../../../src/outlook/emulator/errors";
import type { StoredContact } from "../../../src/outlook/emulator/state-types";

const GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

function contact(props: Record<string, unknown>, ext: Record<string, string> = {}): StoredContact {
  return {
    restId: "AAMkAAAAAAAAAAAAAAAAAAAAAAAA=",
    immutableId: "AAkAAAAAAAAAAAAAAAAAAAAAAAAA=",
    folderId: "f",
    createdDateTime: "2026-01-01T00:00:00Z",
    lastModifiedDateTime: "2026-01-01T00:00:00Z",
    changeKey: "k",
    seq: 1,
    props,
    ext: Object.fromEntries(Object.entries(ext).map(([id, value]) => [normalizeExtendedPropertyId(id), { id, value }])),
  };
}

describe("normalizeExtendedPropertyId", () => {
  test("type, GUID braces/case and hex case do not matter; the Name does", () => {
    expect(normalizeExtendedPropertyId(`String {${GUID}} Name Stamp`)).toBe(normalizeExtendedPropertyId(`string {${GUID.toUpperCase()}} Name Stamp`));
    expect(normalizeExtendedPropertyId(`String {${GUID}} Name Stamp`)).not.toBe(normalizeExtendedPropertyId(`String {${GUID}} Name stamp`));
    expect(normalizeExtendedPropertyId(`Integer {${GUID}} Id 0x8012`)).toBe(normalizeExtendedPropertyId(`integer {${GUID}} id 0x8012`));
  });

  test("any 16-bit proptag equals its full 32-bit tag", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fff }), fc.constantFrom("001F", "001E", "001f"), (propId, type) => {
        const short = `String 0x${propId.toString(16).toUpperCase()}`;
        const long = `String 0x${propId.toString(16).padStart(4, "0")}${type}`;
        expect(normalizeExtendedPropertyId(short)).toBe(normalizeExtendedPropertyId(long));
      }),
    );
  });

  test("leading zeros do not matter, as Graph drops them when echoing (Q&A 599013)", () => {
    expect(normalizeExtendedPropertyId("String 0x03a24")).toBe(normalizeExtendedPropertyId("String 0x3A24"));
    expect(normalizeExtendedPropertyId("Binary 0xe0a")).toBe(normalizeExtendedPropertyId("Binary 0x0E0A"));
    expect(normalizeExtendedPropertyId("Binary 0xe0a0102")).toBe(normalizeExtendedPropertyId("Binary 0x0E0A"));
  });

  test.each(["", "String", "Text 0x3A24", "String 0xZZ", "String {not-a-guid} Name X", "String 0x3A240010F"])("rejects %p with a 400", (id) => {
    expect(() => normalizeExtendedPropertyId(id)).toThrow(GraphError);
  });
});

describe("compileFilter", () => {
  const stamp = `String {${GUID}} Name Stamp`;
  const c = contact(
    { givenName: "Ada", surname: "Lovelace", companyName: "Engines", emailAddresses: [{ name: "Ada", address: "Ada@Example.test" }] },
    { [stamp]: "Firm:1" },
  );

  test.each([
    ["givenName eq 'ada'", true],
    ["givenName ne 'ada'", false],
    ["startswith(surname, 'love')", true],
    ["contains(companyName, 'gin')", true],
    ["givenName eq 'Ada' and surname eq 'Byron'", false],
    ["givenName eq 'Ada' and (surname eq 'Byron' or surname eq 'Lovelace')", true],
    ["not (givenName eq 'Ada')", false],
    ["emailAddresses/any(a:a/address eq 'ada@example.test')", true],
    ["emailAddresses/any(a: a/address eq 'nobody@example.test')", false],
    [`singleValueExtendedProperties/any(ep: ep/id eq '${stamp}' and ep/value eq 'firm:1')`, true],
    [`singleValueExtendedProperties/Any(ep: ep/id eq 'String {${GUID.toUpperCase()}} Name Stamp' and ep/value eq 'FIRM:1')`, true],
    [`singleValueExtendedProperties/any(ep: ep/id eq 'String {${GUID}} Name stamp' and ep/value eq 'Firm:1')`, false],
    ["givenName eq 'O''Brien'", false],
  ])("%s → %p", (text, expected) => {
    expect(compileFilter(text)!(c)).toBe(expected);
  });

  test.each(["givenName eq", "givenName eq 'x", "(givenName eq 'x'", "givenName like 'x'", "emailAddresses/any(a a/address eq 'x')"])("syntax error %p is a 400", (text) => {
    expect(() => compileFilter(text)!(c)).toThrow(GraphError);
  });

  test("an unknown property or collection is a 400 before any contact is looked at", () => {
    expect(() => compileFilter("shoeSize eq 'x'")).toThrow(/shoeSize/);
    expect(() => compileFilter("pets/any(p: p eq 'cat')")).toThrow(/pets/);
    expect(() => compileFilter("emailAddresses/any(a: b/address eq 'x')")).toThrow(/'b'/);
  });
});
