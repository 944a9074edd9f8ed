// What a filter being edited would do, computed in the pane with the engine's own evaluation
// (src/sync/filters.ts matchesFilter, the same the server and the sync use) over the firm's
// practice contacts: how many match, which criteria can match nothing, and — for the filter the
// user's sync uses — who would leave or join their Outlook folder.
import { matchesFilter, validateFilter, type FilterCriterion, type FilterDefinition } from "../../../sync/filters";
import type { PracticeContact } from "../../../sync/model";
import type { MessageKey } from "../../i18n/catalogues";
import { ENGLISH, type Translator } from "../../i18n/translator";
import type { StaffMember } from "../../services";
import { optionLabel } from "./filter-field-words";
import { STAFF_FIELD_NAMES as STAFF_FIELDS, toDefinition, type FilterDraft } from "./filter-draft";

export interface DraftPreview {
  /** Contacts the whole filter matches; null while the draft is not a valid filter. */
  matches: number | null;
  /** By criterion index: why this criterion can never match (shown before saving). */
  warnings: Map<number, string>;
}

export function previewDraft(draft: FilterDraft, contacts: readonly PracticeContact[], staff: readonly StaffMember[], t: Translator = ENGLISH): DraftPreview {
  const def = toDefinition(draft);
  const warnings = new Map<number, string>();
  const staffIds = new Set(staff.map((s) => s.id));
  def.criteria.forEach((c, i) => {
    const w = criterionWarning(c, contacts, staffIds, t);
    if (w) warnings.set(i, w);
  });
  // The count is about the criteria; a missing or long name does not stop it.
  const checked = validateFilter({ ...def, name: "preview" });
  return { matches: checked.ok ? countMatches(checked.value, contacts) : null, warnings };
}

function criterionWarning(c: FilterCriterion, contacts: readonly PracticeContact[], staffIds: ReadonlySet<string>, t: Translator): string | null {
  if (STAFF_FIELDS.has(c.field) && (c.method === "equals" || c.method === "list")) {
    const unknown = c.values.filter((v) => v.trim() !== "" && !staffIds.has(v));
    if (unknown.length) return t.t(unknown.length === 1 ? "filters.warnNotStaff" : "filters.warnNotStaffMany");
  }
  const one = validateFilter({ name: "criterion", match: "all", criteria: [c] });
  if (!one.ok) return null; // its own validation message says what is wrong
  if (contacts.length > 0 && countMatches(one.value, contacts) === 0) return t.t("filters.warnNever");
  return null;
}

export function countMatches(filter: FilterDefinition | null, contacts: readonly PracticeContact[]): number {
  let n = 0;
  for (const c of contacts) if (matchesFilter(filter, c)) n++;
  return n;
}

export interface FolderEffect {
  /** Practice contacts the saved filter matches and the edited one does not (removed from the folder, R9). */
  leaving: number;
  /** Matched only by the edited filter (added to the folder, R6). */
  joining: number;
}

/**
 * Who would leave or join the user's folder if the filter their sync uses were saved as `next`.
 * Contacts made in Outlook (R7) stay whatever the filter says; the count is of practice contacts.
 */
export function folderEffect(current: FilterDefinition, next: FilterDefinition, contacts: readonly PracticeContact[]): FolderEffect {
  let leaving = 0;
  let joining = 0;
  for (const c of contacts) {
    const before = matchesFilter(current, c);
    const after = matchesFilter(next, c);
    if (before && !after) leaving++;
    else if (!before && after) joining++;
  }
  return { leaving, joining };
}

export function folderEffectText(e: FolderEffect, t: Translator = ENGLISH): string {
  const parts: string[] = [];
  if (e.leaving) parts.push(t.t("filters.effectLeaving", { count: e.leaving }));
  if (e.joining) parts.push(t.t("filters.effectJoining", { count: e.joining }));
  return parts.length ? `${parts.join(", ")}.` : t.t("filters.effectNone");
}

/** A criterion in words, with staff ids shown as names: "Partner is Anna Lindqvist". */
const CRITERION_WORDS: Record<FilterCriterion["method"], MessageKey> = {
  equals: "crit.equals",
  list: "crit.list",
  range: "crit.range",
  contains: "crit.contains",
  beginsWith: "crit.beginsWith",
  isBlank: "crit.isBlank",
  isNotBlank: "crit.isNotBlank",
};

export function criterionText(c: FilterCriterion, fieldLabel: string, staff: readonly StaffMember[], t: Translator = ENGLISH): string {
  const names = new Map(staff.map((s) => [s.id, s.name]));
  const show = (v: string) =>
    STAFF_FIELDS.has(c.field) ? (names.get(v) ?? t.t("crit.unknownPerson")) : t.t("crit.quoted", { value: optionLabel(c.field, v, t) });
  return t.t(CRITERION_WORDS[c.method], {
    field: fieldLabel,
    value: show(c.values[0] ?? ""),
    values: c.values.map(show).join(", "),
    from: c.values[0] ? show(c.values[0]) : t.t("crit.rangeStart"),
    to: c.values[1] ? show(c.values[1]) : t.t("crit.rangeEnd"),
  });
}
