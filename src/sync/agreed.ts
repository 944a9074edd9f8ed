// What the engine last wrote to an Outlook contact, carried in the contact's own stamp (R2) as one
// short hash per synced field. Every device reads it with the contact, so a value some device's sync
// wrote there is never mistaken for a user's edit by a device whose cache (base) is older: it would
// otherwise contest a newer practice edit and could win it on recency (R5), losing that edit.
import { FIELD_SPECS } from "./fields";
import { capFields } from "./merge";
import type { ContactFields, FieldName } from "./model";
import { valueKey } from "./normalize";

// Versioned: "2" + 4 base-36 characters per field of FIELD_SPECS, in its order, of the value as Outlook
// holds it (capped, R16), then 4 more per capped field, of the whole value the practice record holds. A
// stamp written with another layout is simply not used.
const VERSION = "2";
const WIDTH = 4;
const SPACE = 36 ** WIDTH;
const INDEX = new Map<FieldName, number>(FIELD_SPECS.map((s, i) => [s.name, i]));
const CAPPED = FIELD_SPECS.filter((s) => s.outlookCap !== undefined);
const CAPPED_INDEX = new Map<FieldName, number>(CAPPED.map((s, i) => [s.name, FIELD_SPECS.length + i]));
const LENGTH = 1 + (FIELD_SPECS.length + CAPPED.length) * WIDTH;

/** FNV-1a, 32 bits, folded into 4 base-36 characters: a collision is one in 1.7 million per field. */
function hash(value: unknown): string {
  const s = valueKey(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % SPACE).toString(36).padStart(WIDTH, "0");
}

/** The hashes of an agreed record (normalized, uncapped): as Outlook holds it, and whole where capped. */
export function agreedOf(fields: ContactFields): string {
  const f = fields as Record<string, unknown>;
  const outlook = capFields(fields) as Record<string, unknown>;
  return VERSION + FIELD_SPECS.map((s) => hash(outlook[s.name])).join("") + CAPPED.map((s) => hash(f[s.name])).join("");
}

function slot(agreed: string | undefined, i: number): string | null {
  if (!agreed || agreed[0] !== VERSION || agreed.length !== LENGTH) return null;
  return agreed.slice(1 + i * WIDTH, 1 + (i + 1) * WIDTH);
}

/** True when `value`, as Outlook holds it (normalized, capped), is what the engine last wrote there. */
export function engineWrote(agreed: string | undefined, field: FieldName, value: unknown): boolean {
  return slot(agreed, INDEX.get(field)!) === hash(value);
}

/** True when `value`, whole (normalized, uncapped, as the practice record holds it), is the last agreement. */
export function agreedWhole(agreed: string | undefined, field: FieldName, value: unknown): boolean {
  const i = CAPPED_INDEX.get(field);
  return i === undefined ? engineWrote(agreed, field, value) : slot(agreed, i) === hash(value);
}
