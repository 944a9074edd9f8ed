// fast-check arbitraries for multi-device scenarios (multi-scenario.ts). Small stores, short step
// lists, and a "race" step that makes the interleaving the engine must survive (two plans, the older
// applied last) common rather than lucky.
import fc from "fast-check";
import type { FieldPatch } from "../../../src/sync/model";
import { EDITED_FIELDS, fieldValue, fieldsArb, outlookAction, patchArb, practiceAction, practiceContactArb, settingsArb } from "./generators";
import type { MultiScenario, MultiUserAction, Step } from "./multi-scenario";
import type { FaultSpec } from "./scenario";

const target = fc.nat({ max: 30 });

/** Both sides set the same fields (R5 contests), each to a value of its own. */
const contested: fc.Arbitrary<[FieldPatch, FieldPatch]> = fc
  .uniqueArray(fc.constantFrom(...EDITED_FIELDS), { minLength: 1, maxLength: 2 })
  .chain((fields) =>
    fc.tuple(fc.tuple(...fields.map((f) => fieldValue(f, false))), fc.tuple(...fields.map((f) => fieldValue(f, true)))).map(([pv, ov]) => {
      const practice: Record<string, unknown> = {};
      const outlook: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        practice[f] = pv[i];
        outlook[f] = ov[i];
      });
      return [practice as FieldPatch, outlook as FieldPatch];
    }),
  );
const device = fc.nat({ max: 2 });

const userAction: fc.Arbitrary<MultiUserAction> = fc.oneof(
  { weight: 4, arbitrary: practiceAction },
  { weight: 4, arbitrary: outlookAction },
  { weight: 1, arbitrary: fc.record({ side: fc.constant("outlook" as const), kind: fc.constant("restore" as const), target }) },
  { weight: 1, arbitrary: fc.record({ side: fc.constant("outlook" as const), kind: fc.constant("copy" as const), target }) },
  {
    weight: 3,
    arbitrary: fc.record({
      side: fc.constant("both" as const),
      kind: fc.constant("edit" as const),
      target,
      patches: fc.oneof(contested, fc.tuple(patchArb(false), patchArb(true))),
      outlookFirst: fc.boolean(),
    }).map(({ patches, ...a }) => ({ ...a, practice: patches[0], outlook: patches[1] })),
  },
);

const mask = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() });
const deleteMask = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat() });

/** Writes that fail after the adapter's retries; the answer says so, so nothing lands unknown. */
const writeFault: fc.Arbitrary<FaultSpec> = fc.record({
  target: fc.constantFrom("practice" as const, "outlook" as const),
  op: fc.constantFrom("createContacts", "updateContacts", "deleteContacts", "*"),
  fault: fc.constantFrom("throttled" as const, "unavailable" as const),
  count: fc.integer({ min: 1, max: 2 }),
  after: fc.nat({ max: 3 }),
});

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: userAction.map((action) => ({ kind: "user" as const, action })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("plan" as const), device }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("apply" as const),
      device,
      approveMask: mask,
      deleteMask,
      faults: fc.oneof({ weight: 3, arbitrary: fc.constant<FaultSpec[]>([]) }, { weight: 1, arbitrary: fc.array(writeFault, { minLength: 1, maxLength: 2 }) }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("sync" as const), device }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("race" as const), first: device, second: device }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("review" as const), device, edits: fc.array(userAction, { minLength: 1, maxLength: 3 }), approveMask: mask }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("includeAgain" as const), device, target }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("loseCache" as const), device }) },
);

export interface MultiSize {
  maxPractice: number;
  maxOutlook: number;
  maxSteps: number;
}

export const MULTI_SMALL: MultiSize = { maxPractice: 5, maxOutlook: 3, maxSteps: 24 };

export function multiScenarioArb(size: MultiSize = MULTI_SMALL): fc.Arbitrary<MultiScenario> {
  return fc.record({
    // "Whole record" (R5 option) is left to the single-device simulation: here every R5 contest is
    // checked per field against the user's edit times.
    settings: settingsArb.map((s) => ({ ...s, wholeRecord: false })),
    headless: fc.boolean(),
    practice: fc.array(practiceContactArb, { maxLength: size.maxPractice }),
    outlook: fc.array(fieldsArb(true, 1), { maxLength: size.maxOutlook }),
    steps: fc.array(step, { minLength: 1, maxLength: size.maxSteps }),
  });
}
