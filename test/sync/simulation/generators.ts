// fast-check arbitraries for scenarios. Stores are kept small (a handful of contacts) so that
// thousands of scenarios run in seconds, and values come from small pools so that both sides
// often touch the same field (the interesting case for R5).
import fc from "fast-check";
import type { FieldName, FieldPatch } from "../../../src/sync/model";
import type { FaultKind } from "../../support";
import {
  OFFICES,
  type FaultSpec,
  type InitialOutlook,
  type InitialPractice,
  type Round,
  type Scenario,
  type ScenarioSettings,
  type UserAction,
} from "./scenario";

const names = ["Ann", "Bob", "Cy", "Dee", "Eve ", "Fay"];
const surnames = ["Lee", "Ng", "Oak", "Pym", "Quo"];
const companies = ["Acme Ltd", "Birch & Co", "Cedar LLP", "Dune  "];
const jobs = ["Director", "CFO", "Owner", "Partner\t"];
const phones = ["0113 496 0000", "0113 496 0001", "01904 000 111", "07700 900 123", "020 7946 0999"];
const emails = ["ann@acme.test", "bob@birch.test", "cy@cedar.test", "dee@dune.test", "info@acme.test"];
const cities = ["Leeds", "York", "Hull"];
const notes = ["Prefers email.", "Year end: March", "Line one  \nline two", "VIP"];
const birthdays = ["1970-01-31", "1985-06-15", "2000-02-29"];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const maybeCleared = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) });

const emailList = (max: number) =>
  fc
    .uniqueArray(pick(emails), { minLength: 1, maxLength: max })
    .map((xs) => xs.map((address, i) => (i === 0 ? { name: "Work", address } : { address })));

/** One field's value generator; `outlook` keeps collections within Graph's caps (a user cannot exceed them). */
export function fieldValue(field: FieldName, outlook: boolean): fc.Arbitrary<unknown> {
  switch (field) {
    case "givenName":
      return pick(names);
    case "surname":
      return pick(surnames);
    case "companyName":
      return pick(companies);
    case "jobTitle":
      return pick(jobs);
    case "mobilePhone":
      return pick(phones);
    case "businessPhones":
      return fc.uniqueArray(pick(phones), { minLength: 1, maxLength: outlook ? 2 : 3 });
    case "emailAddresses":
      return emailList(outlook ? 3 : 5);
    case "businessAddress":
      return fc.record({ street: pick(["1 High St", "2 Low Rd "]), city: pick(cities) });
    case "birthday":
      return pick(birthdays);
    case "personalNotes":
      return pick(notes);
    default:
      return fc.constant(undefined);
  }
}

/** The fields the simulation edits. nickName is never edited: it carries each contact's marker. */
export const EDITED_FIELDS: readonly FieldName[] = [
  "givenName",
  "surname",
  "companyName",
  "jobTitle",
  "mobilePhone",
  "businessPhones",
  "emailAddresses",
  "businessAddress",
  "birthday",
  "personalNotes",
];

export function fieldsArb(outlook: boolean, minKeys: number): fc.Arbitrary<FieldPatch> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of EDITED_FIELDS) model[f] = fieldValue(f, outlook);
  return fc
    .record(model, { requiredKeys: [] })
    .filter((r) => Object.keys(r).length >= minKeys) as fc.Arbitrary<FieldPatch>;
}

export function patchArb(outlook: boolean): fc.Arbitrary<FieldPatch> {
  return fc
    .uniqueArray(pick(EDITED_FIELDS), { minLength: 1, maxLength: 3 })
    .chain((fields) =>
      fc.tuple(...fields.map((f) => maybeCleared(fieldValue(f, outlook)))).map((values) => {
        const patch: Record<string, unknown> = {};
        fields.forEach((f, i) => (patch[f] = values[i]));
        return patch as FieldPatch;
      }),
    );
}

export const practiceContactArb: fc.Arbitrary<InitialPractice> = fc.record(
  {
    kind: fc.constantFrom("client" as const, "standalone" as const),
    office: pick(OFFICES),
    fields: fieldsArb(false, 1),
  },
  { requiredKeys: ["kind", "fields"] },
);

const target = fc.nat({ max: 30 });

export const practiceAction: fc.Arbitrary<UserAction> = fc.oneof(
  { weight: 2, arbitrary: practiceContactArb.map((contact) => ({ side: "practice" as const, kind: "add" as const, contact })) },
  { weight: 5, arbitrary: fc.record({ side: fc.constant("practice" as const), kind: fc.constant("edit" as const), target, patch: patchArb(false) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      side: fc.constant("practice" as const),
      kind: fc.constant("move" as const),
      target,
      office: fc.option(pick(OFFICES), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ side: fc.constant("practice" as const), kind: fc.constant("remove" as const), target }) },
  {
    weight: 1,
    arbitrary: fc.record({
      side: fc.constant("practice" as const),
      kind: fc.constant("filter" as const),
      offices: fc.uniqueArray(pick(OFFICES), { minLength: 1, maxLength: 3 }),
    }),
  },
);

export const outlookAction: fc.Arbitrary<UserAction> = fc.oneof(
  { weight: 2, arbitrary: fieldsArb(true, 1).map((fields) => ({ side: "outlook" as const, kind: "add" as const, fields })) },
  { weight: 5, arbitrary: fc.record({ side: fc.constant("outlook" as const), kind: fc.constant("edit" as const), target, patch: patchArb(true) }) },
  { weight: 1, arbitrary: fc.record({ side: fc.constant("outlook" as const), kind: fc.constant("touch" as const), target }) },
  { weight: 1, arbitrary: fc.record({ side: fc.constant("outlook" as const), kind: fc.constant("remove" as const), target }) },
);

const actions = (max: number) => fc.array(fc.oneof(practiceAction, outlookAction), { maxLength: max });

const PRACTICE_OPS = ["listContacts", "changesSince", "getContacts", "createContacts", "updateContacts", "deleteContacts", "*"];
const OUTLOOK_OPS = ["readChanges", "findByStamps", "createContacts", "updateContacts", "deleteContacts", "*"];
const CACHE_OPS = ["commit", "journalAppend", "addRun", "loadLinks"];

const faultArb: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    target: fc.constant("practice" as const),
    op: pick(PRACTICE_OPS),
    fault: pick<FaultKind>(["throttled", "unavailable", "timeout-after-write", "crash"]),
    count: fc.integer({ min: 1, max: 3 }),
    after: fc.nat({ max: 6 }),
  }),
  fc.record({
    target: fc.constant("outlook" as const),
    op: pick(OUTLOOK_OPS),
    fault: pick<FaultKind>(["throttled", "unavailable", "timeout-after-write", "crash"]),
    count: fc.integer({ min: 1, max: 3 }),
    after: fc.nat({ max: 6 }),
  }),
  fc.record({
    target: fc.constant("cache" as const),
    op: pick(CACHE_OPS),
    fault: fc.constant<FaultKind>("crash"),
    count: fc.constant(1),
    after: fc.nat({ max: 4 }),
  }),
);

const cleanRound: fc.Arbitrary<Round> = actions(5).map((before) => ({
  before,
  during: [],
  faults: [],
  loseCache: false,
  expirePracticeCursor: false,
  expireDeltaToken: false,
  approveMask: null,
  deleteMask: 0,
  force: true,
  cancelAfter: null,
  freshSession: false,
}));

const roughRound: fc.Arbitrary<Round> = fc.record({
  before: actions(5),
  during: fc.oneof({ weight: 2, arbitrary: fc.constant<UserAction[]>([]) }, { weight: 1, arbitrary: actions(3) }),
  faults: fc.oneof({ weight: 1, arbitrary: fc.constant<FaultSpec[]>([]) }, { weight: 2, arbitrary: fc.array(faultArb, { minLength: 1, maxLength: 2 }) }),
  loseCache: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  expirePracticeCursor: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  expireDeltaToken: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  approveMask: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  deleteMask: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat() }),
  force: fc.boolean(),
  cancelAfter: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat({ max: 4 }) }),
  freshSession: fc.boolean(),
});

export const settingsArb: fc.Arbitrary<ScenarioSettings> = fc.record({
  filterOffices: fc.option(fc.uniqueArray(pick(OFFICES), { minLength: 1, maxLength: 2 }), { nil: null }),
  importKind: fc.constantFrom("client" as const, "standalone" as const),
  wholeRecord: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  deleteStandaloneOnOutlookDelete: fc.boolean(),
  outlookIfMatch: process.env.SIM_IF_MATCH ? fc.constant(process.env.SIM_IF_MATCH === "1") : fc.boolean(),
});

export interface ScenarioSize {
  maxPractice: number;
  maxOutlook: number;
  maxRounds: number;
}

export const SMALL: ScenarioSize = { maxPractice: 6, maxOutlook: 4, maxRounds: 4 };

export function scenarioArb(size: ScenarioSize = SMALL): fc.Arbitrary<Scenario> {
  return fc
    .record({
      settings: settingsArb,
      practice: fc.array(practiceContactArb, { maxLength: size.maxPractice }),
      outlookPlain: fc.array(fieldsArb(true, 1), { maxLength: size.maxOutlook }),
      copies: fc.array(fc.record({ of: fc.nat({ max: 30 }), patch: fc.option(patchArb(true), { nil: undefined }) }), {
        maxLength: 2,
      }),
      rounds: fc.array(fc.oneof(cleanRound, roughRound), { minLength: 1, maxLength: size.maxRounds }),
    })
    .map(({ settings, practice, outlookPlain, copies, rounds }) => {
      const outlook: InitialOutlook[] = outlookPlain.map((fields) => ({ fields }));
      if (practice.length > 0) {
        const seen = new Set<number>();
        for (const c of copies) {
          const i = c.of % practice.length;
          if (seen.has(i)) continue; // one stamped copy per practice contact: two would be a duplicate already
          seen.add(i);
          outlook.push({ fields: c.patch ?? {}, stampedCopyOf: i });
        }
      }
      return { settings, practice, outlook, rounds };
    });
}
