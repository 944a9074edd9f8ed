// What the engine last wrote to an Outlook contact, carried in the contact's own stamp (R2) as one
// short hash per synced field. Every device reads it with the contact, so a value some device's sync
// wrote there is never mistaken for a user's edit by a device whose cache (base) is older: it would
// otherwise contest a newer practice edit and could win it on recency (R5), losing that edit.
import { FIELD_SPECS } from "./fields";
import type { ContactFields, FieldName } from "./model";
import { valueKey } from "./normalize";

// Versioned: "1" + 4 base-36 characters per field of FIELD_SPECS, in its order. A stamp written with
// another field list (an older or newer version) is simply not used.
const VERSION = "1";
const WIDTH = 4;
const SPACE = 36 ** WIDTH;
const INDEX = new Map<FieldName, number>(FIELD_SPECS.map((s, i) => [s.name, i]));

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

/** The hashes of a contact's synced fields, as normalized and capped for Outlook (what it holds). */
export function agreedOf(fields: ContactFields): string {
  const f = fields as Record<string, unknown>;
  return VERSION + FIELD_SPECS.map((s) => hash(f[s.name])).join("");
}

/** True when `value` (normalized, as Outlook holds it) is what the engine last wrote to this field. */
export function engineWrote(agreed: string | undefined, field: FieldName, value: unknown): boolean {
  if (!agreed || agreed[0] !== VERSION || agreed.length !== 1 + FIELD_SPECS.length * WIDTH) return false;
  const i = INDEX.get(field)!;
  return agreed.slice(1 + i * WIDTH, 1 + (i + 1) * WIDTH) === hash(value);
}
