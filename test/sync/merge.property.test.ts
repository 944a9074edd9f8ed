// Properties of the three-way merge (R3, R5, R16) over random records: after writing the patches,
// both sides agree; a field changed on one side only is never lost; the practice overflow is kept.
import fc from "fast-check";
import { capFields, capValue, mergeRecords } from "../../src/sync/merge";
import type { ContactFields, FieldPatch } from "../../src/sync/model";
import { normalizeFields, valueKey } from "../../src/sync/normalize";

const text = fc.constantFrom("Ann", "Bob", "Cy ", "", "Dee\t", "Eve");
const phone = fc.constantFrom("1", "2", "3", "4");
const email = fc.constantFrom("a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test").map((address) => ({ address }));
const record: fc.Arbitrary<ContactFields> = fc.record(
  {
    givenName: text,
    jobTitle: text,
    businessPhones: fc.array(phone, { maxLength: 4 }),
    emailAddresses: fc.uniqueArray(email, { maxLength: 5, selector: (e) => e.address }),
  },
  { requiredKeys: [] },
);
const time = fc.integer({ min: 0, max: 3 }).map((d) => `2026-01-0${d + 1}T00:00:00Z`);

function applyPatch(fields: ContactFields, patch: FieldPatch): ContactFields {
  const out: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out as ContactFields;
}

const key = (f: ContactFields) => valueKey(normalizeFields(f));

describe("merge properties", () => {
  test("R5/R16 after the patches, Outlook holds exactly the capped practice record", () => {
    fc.assert(
      fc.property(record, record, record, time, time, fc.boolean(), (base0, p0, o0, tp, to, whole) => {
        const base = normalizeFields(base0);
        const p = normalizeFields(p0);
        const o = capFields(normalizeFields(o0));
        const r = mergeRecords({
          base,
          practice: { fields: p, modified: tp },
          outlook: { fields: o, modified: to },
          wholeRecord: whole,
        });
        const practiceAfter = normalizeFields(applyPatch(p, r.practicePatch));
        const outlookAfter = normalizeFields(applyPatch(o, r.outlookPatch));
        expect(key(practiceAfter)).toBe(key(r.merged));
        expect(key(outlookAfter)).toBe(key(capFields(r.merged)));
      }),
    );
  });

  test("R5 a field changed on one side only is never lost (per-field mode)", () => {
    fc.assert(
      fc.property(record, record, record, time, time, (base0, p0, o0, tp, to) => {
        const base = normalizeFields(base0);
        const p = normalizeFields(p0);
        const o = capFields(normalizeFields(o0));
        const r = mergeRecords({ base, practice: { fields: p, modified: tp }, outlook: { fields: o, modified: to }, wholeRecord: false });
        const m = r.merged as Record<string, unknown>;
        for (const f of ["givenName", "jobTitle", "businessPhones", "emailAddresses"] as const) {
          const pc = valueKey(p[f]) !== valueKey(base[f]);
          const oc = valueKey(o[f]) !== valueKey(capValue(f, base[f]));
          if (pc && !oc) expect(valueKey(m[f])).toBe(valueKey(p[f]));
          if (oc && !pc) {
            // R16: Outlook's values lead; practice values beyond the cap may follow (never dropped).
            const ov = Array.isArray(o[f]) ? (o[f] as unknown[]) : o[f];
            const got = Array.isArray(m[f]) ? (m[f] as unknown[]).slice(0, Array.isArray(ov) ? ov.length : 0) : m[f];
            const want = Array.isArray(m[f]) && ov === undefined ? [] : ov;
            expect(valueKey(got)).toBe(valueKey(want));
          }
        }
      }),
    );
  });

  test("R16 an Outlook-side edit never drops the practice overflow", () => {
    fc.assert(
      fc.property(record, record, (p0, o0) => {
        const p = normalizeFields(p0);
        const o = capFields(normalizeFields(o0));
        const r = mergeRecords({ base: p, practice: null, outlook: { fields: o, modified: "2026-01-02T00:00:00Z" }, wholeRecord: false });
        const overflow = (p.emailAddresses ?? []).slice(3).map((e) => e.address);
        const kept = new Set((r.merged.emailAddresses ?? []).map((e) => e.address));
        for (const a of overflow) expect(kept.has(a)).toBe(true);
      }),
    );
  });

  test("R3 identical sides never produce a write", () => {
    fc.assert(
      fc.property(record, time, (b0, t) => {
        const base = normalizeFields(b0);
        const r = mergeRecords({ base, practice: { fields: base, modified: t }, outlook: { fields: capFields(base), modified: t }, wholeRecord: true });
        expect(r.practicePatch).toEqual({});
        expect(r.outlookPatch).toEqual({});
      }),
    );
  });
});
