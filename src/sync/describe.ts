// Human-readable parts of a PlannedChange: the contact's name, the R16 overflow notes, the reasons.
import { FIELD_SPECS } from "./fields";
import type { ContactFields } from "./model";

type Rec = Record<string, unknown>;

/** The name a user recognises: display name, else first + last name, else company, else email. */
export function contactName(fields: ContactFields | undefined): string {
  if (!fields || typeof fields !== "object") return "(no name)";
  const dn = fields.displayName?.trim();
  if (dn) return dn;
  const full = [fields.givenName, fields.surname].filter((s) => s && s.trim()).join(" ").trim();
  if (full) return full;
  if (fields.companyName?.trim()) return fields.companyName.trim();
  const email = fields.emailAddresses?.[0]?.address;
  return email?.trim() || "(no name)";
}

function show(v: unknown): string {
  if (v && typeof v === "object" && "address" in (v as Rec)) return String((v as Rec).address);
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** R16: one note per capped field whose values do not all fit in Outlook. */
export function overflowNotes(fields: ContactFields): string[] {
  const notes: string[] = [];
  for (const spec of FIELD_SPECS) {
    if (spec.outlookCap === undefined) continue;
    const v = (fields as Rec)[spec.name];
    if (!Array.isArray(v) || v.length <= spec.outlookCap) continue;
    const extra = v.slice(spec.outlookCap);
    notes.push(
      `${spec.label}: ${extra.map(show).join(", ")} kept in the practice system only (Outlook holds ${spec.outlookCap}).`,
    );
  }
  return notes;
}

/** A short, stable rendering of an ISO time for reasons ("2026-11-03 10:04 UTC"). */
export function when(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
