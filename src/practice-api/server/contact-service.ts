// Contact writes shared by the single-item routes and the batch route, so both answer alike:
// reference checks, idempotent creates, If-Match updates, standalone-only deletes.
import { splitFlat, toApiContact, type ApiContact } from "../contact-mapping";
import type { ContactFields, ContactKind, PracticeAttributes } from "../../sync/model";
import type { OutlookRef } from "../../sync/ports";
import type { Principal, ServerContext } from "./context";
import { requestHash } from "./idempotency-repo";
import { ProblemError, type ProblemBody } from "./problem";

const STAFF_ATTRIBUTES = ["associateId", "partnerId", "managerId"] as const;

/** Staff attributes must name staff of the caller's firm. */
function checkReferences(ctx: ServerContext, firmId: string, attributes: Record<string, unknown>): void {
  const errors: { path: string; message: string }[] = [];
  for (const k of STAFF_ATTRIBUTES) {
    const v = attributes[k];
    if (typeof v === "string" && v !== "") {
      const s = ctx.firms.staffById(v);
      if (!s || s.firmId !== firmId) errors.push({ path: k, message: `"${v}" is not a staff member of the firm.` });
    }
  }
  if (errors.length) throw new ProblemError(422, "invalid-reference", "A staff reference is not valid.", { errors });
}

export interface ItemOutcome {
  status: number;
  contact?: ApiContact;
  problem?: ProblemBody;
}

export function createContact(ctx: ServerContext, p: Principal, body: Record<string, unknown>, key?: string): ItemOutcome {
  const firmId = p.firmId;
  const hash = requestHash(body);
  return ctx.db.transaction((): ItemOutcome => {
    if (key) {
      const prior = ctx.idempotency.find(firmId, key);
      if (prior) {
        if (prior.requestHash !== hash)
          throw new ProblemError(422, "idempotency-key-reused", "This idempotency key was used for a different contact.");
        return { status: prior.status, contact: prior.body as ApiContact };
      }
    }
    // R2/R13: a record already made from this Outlook contact (say, by another device, or before a crash
    // whose key was lost) is the answer; nothing new is made. The key, if any, then replays that answer.
    const outlookRef = body.outlookRef as OutlookRef | undefined;
    const made = outlookRef ? ctx.contacts.byOutlookRef(firmId, outlookRef) : undefined;
    if (made) {
      const contact = toApiContact(made);
      if (key) ctx.idempotency.save(firmId, key, hash, 200, contact);
      return { status: 200, contact };
    }
    const { fields, attributes } = splitFlat(body);
    checkReferences(ctx, firmId, attributes);
    const created = ctx.contacts.create(firmId, {
      kind: body.kind as ContactKind,
      fields: fields as ContactFields,
      attributes: attributes as PracticeAttributes,
      outlookRef,
    });
    const contact = toApiContact(created);
    if (key) ctx.idempotency.save(firmId, key, hash, 201, contact);
    return { status: 201, contact };
  })();
}

export function patchContact(ctx: ServerContext, p: Principal, id: string, ifMatch: string, body: Record<string, unknown>): ApiContact {
  return ctx.db.transaction(() => {
    const changes = splitFlat(body);
    checkReferences(ctx, p.firmId, changes.attributes);
    return toApiContact(ctx.contacts.update(p.firmId, id, ifMatch, changes));
  })();
}

export function deleteContact(ctx: ServerContext, p: Principal, id: string, ifMatch: string | undefined): void {
  ctx.db.transaction(() => ctx.contacts.delete(p.firmId, id, ifMatch))();
}

/** Runs one item; a ProblemError becomes that item's result, anything else is a server fault. */
export function outcome(run: () => ItemOutcome): ItemOutcome {
  try {
    return run();
  } catch (e) {
    if (e instanceof ProblemError) return { status: e.status, problem: e.toBody() };
    throw e;
  }
}
