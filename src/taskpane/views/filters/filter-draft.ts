// Pure editing model of a filter: the rows a user edits, conversion to a FilterDefinition, and the
// validation messages of src/sync/filters.ts (or of the API) keyed by the part they are about.
import type { ContactFilter, FilterDefinition, FilterError, FilterMatch, FilterMethod } from "../../../sync/filters";
import type { MessageKey } from "../../i18n/catalogues";
import type { FilterFieldInfo } from "../../services";

export interface CriterionDraft {
  /** Stable React key; not sent anywhere. */
  key: string;
  field: string;
  method: FilterMethod;
  values: string[];
}

export interface FilterDraft {
  id: string | null;
  name: string;
  match: FilterMatch;
  criteria: CriterionDraft[];
}

/** The catalogue key of each method's name. */
export const METHOD_LABELS: Record<FilterMethod, MessageKey> = {
  equals: "method.equals",
  list: "method.list",
  range: "method.range",
  contains: "method.contains",
  beginsWith: "method.beginsWith",
  isBlank: "method.isBlank",
  isNotBlank: "method.isNotBlank",
};

/** Methods offered for a field; dates have no text matching, staff are picked (no text matching). */
export function methodsFor(type: FilterFieldInfo["type"] | undefined, field?: string): FilterMethod[] {
  if (field && STAFF_FIELD_NAMES.has(field)) return ["equals", "list", "isBlank", "isNotBlank"];
  if (type === "date") return ["equals", "list", "range", "isBlank", "isNotBlank"];
  if (type === "enum") return ["equals", "list", "isBlank", "isNotBlank"];
  return ["equals", "list", "range", "contains", "beginsWith", "isBlank", "isNotBlank"];
}

/** Criteria fields whose values are staff ids: the editor offers the firm's staff by name. */
export const STAFF_FIELD_NAMES: ReadonlySet<string> = new Set(["partnerId", "managerId", "associateId"]);

/** How many value inputs a method shows; "list" is one multi-line box. */
export function valueSlots(method: FilterMethod): number {
  if (method === "range") return 2;
  if (method === "isBlank" || method === "isNotBlank") return 0;
  return 1;
}

let keySeq = 0;
export function newKey(): string {
  keySeq += 1;
  return `c${keySeq}`;
}

export function emptyCriterion(fields: readonly FilterFieldInfo[]): CriterionDraft {
  return { key: newKey(), field: fields[0]?.name ?? "", method: "equals", values: [""] };
}

export function newDraft(fields: readonly FilterFieldInfo[]): FilterDraft {
  return { id: null, name: "", match: "all", criteria: [emptyCriterion(fields)] };
}

export function draftOf(f: ContactFilter): FilterDraft {
  return {
    id: f.id,
    name: f.name,
    match: f.match,
    criteria: f.criteria.map((c) => ({ key: newKey(), field: c.field, method: c.method, values: [...c.values] })),
  };
}

/** Values shaped for a method: a list is split on new lines; others keep their slots. */
export function reshapeValues(method: FilterMethod, values: string[]): string[] {
  const slots = valueSlots(method);
  if (method === "list") return values.length ? values : [""];
  return Array.from({ length: slots }, (_, i) => values[i] ?? "");
}

export function toDefinition(d: FilterDraft): FilterDefinition {
  return {
    name: d.name,
    match: d.match,
    criteria: d.criteria.map((c) => ({
      field: c.field,
      method: c.method,
      values: c.method === "list" ? c.values.filter((v) => v.trim() !== "") : reshapeValues(c.method, c.values),
    })),
  };
}

/** List values as the multi-line box shows them, and back. */
export const listText = (values: string[]) => values.join("\n");
export const parseListText = (text: string) => text.split(/\r?\n/);

export interface DraftErrors {
  name: string[];
  match: string[];
  criteria: string[];
  /** By criterion index. */
  rows: Map<number, string[]>;
  other: string[];
}

/** Groups validation messages by where they belong in the form. */
export function groupErrors(errors: readonly FilterError[]): DraftErrors {
  const out: DraftErrors = { name: [], match: [], criteria: [], rows: new Map(), other: [] };
  for (const e of errors) {
    const parts = e.path.split("/");
    if (parts[0] === "name") out.name.push(e.message);
    else if (parts[0] === "match") out.match.push(e.message);
    else if (parts[0] === "criteria" && parts.length === 1) out.criteria.push(e.message);
    else if (parts[0] === "criteria" && /^\d+$/.test(parts[1])) {
      const i = Number(parts[1]);
      out.rows.set(i, [...(out.rows.get(i) ?? []), e.message]);
    } else out.other.push(e.message);
  }
  return out;
}

export const NO_ERRORS: DraftErrors = { name: [], match: [], criteria: [], rows: new Map(), other: [] };
