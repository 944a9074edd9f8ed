// Firm-wide contact filters: validation and evaluation (R1).
// The practice server evaluates filters with this same module, so the engine and the server
// always agree on what is in scope.
import type { PracticeContact } from "./model";

export type FilterMethod = "equals" | "list" | "range" | "contains" | "beginsWith" | "isBlank" | "isNotBlank";
export const FILTER_METHODS: readonly FilterMethod[] = [
  "equals",
  "list",
  "range",
  "contains",
  "beginsWith",
  "isBlank",
  "isNotBlank",
];

export type FilterMatch = "all" | "any";

export interface FilterCriterion {
  field: string;
  method: FilterMethod;
  values: string[];
}

/** What a user edits: a named set of criteria. */
export interface FilterDefinition {
  name: string;
  match: FilterMatch;
  criteria: FilterCriterion[];
}

/** A stored, firm-wide filter. */
export interface ContactFilter extends FilterDefinition {
  id: string;
  ownerId: string;
  updatedAt: string;
}

export type FilterFieldType = "string" | "date" | "enum";

export interface FilterField {
  name: string;
  label: string;
  type: FilterFieldType;
  /** Allowed values for enum fields. */
  options?: string[];
  /** Reads the field's value(s) from a practice contact; a list matches when any entry matches. */
  read: (c: PracticeContact) => string | string[] | undefined;
}

const attr = (k: keyof PracticeContact["attributes"]) => (c: PracticeContact) => c.attributes[k];

export const FILTER_FIELDS: readonly FilterField[] = [
  { name: "kind", label: "Contact type", type: "enum", options: ["client", "standalone"], read: (c) => c.kind },
  { name: "clientCode", label: "Client code", type: "string", read: attr("clientCode") },
  { name: "status", label: "Status", type: "string", read: attr("status") },
  { name: "partnerId", label: "Partner", type: "string", read: attr("partnerId") },
  { name: "managerId", label: "Manager", type: "string", read: attr("managerId") },
  { name: "associateId", label: "Associate", type: "string", read: attr("associateId") },
  { name: "office", label: "Office", type: "string", read: attr("office") },
  { name: "entityType", label: "Entity type", type: "string", read: attr("entityType") },
  { name: "displayName", label: "Name", type: "string", read: (c) => c.fields.displayName },
  { name: "givenName", label: "First name", type: "string", read: (c) => c.fields.givenName },
  { name: "surname", label: "Last name", type: "string", read: (c) => c.fields.surname },
  { name: "companyName", label: "Company", type: "string", read: (c) => c.fields.companyName },
  { name: "jobTitle", label: "Job title", type: "string", read: (c) => c.fields.jobTitle },
  { name: "businessAddress.city", label: "City", type: "string", read: (c) => c.fields.businessAddress?.city },
  { name: "businessAddress.state", label: "State", type: "string", read: (c) => c.fields.businessAddress?.state },
  {
    name: "businessAddress.postalCode",
    label: "Postal code",
    type: "string",
    read: (c) => c.fields.businessAddress?.postalCode,
  },
  {
    name: "businessAddress.countryOrRegion",
    label: "Country/region",
    type: "string",
    read: (c) => c.fields.businessAddress?.countryOrRegion,
  },
  {
    name: "emailAddresses",
    label: "Email",
    type: "string",
    read: (c) => c.fields.emailAddresses?.map((e) => e.address),
  },
  { name: "categories", label: "Category", type: "string", read: (c) => c.fields.categories },
  { name: "birthday", label: "Birthday", type: "date", read: (c) => c.fields.birthday },
];

const fieldByName = new Map(FILTER_FIELDS.map((f) => [f.name, f]));

export function filterField(name: string): FilterField | undefined {
  return fieldByName.get(name);
}

// ---- validation ----------------------------------------------------------------------------

export interface FilterError {
  /** JSON-pointer-like path to the offending part, e.g. `criteria/2/values`. */
  path: string;
  message: string;
}

export type FilterValidation = { ok: true; value: FilterDefinition } | { ok: false; errors: FilterError[] };

export const FILTER_LIMITS = { nameMax: 100, criteriaMax: 50, valuesMax: 200, valueMax: 255 } as const;

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function isValidDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function expectedValueCount(method: FilterMethod): [number, number] {
  switch (method) {
    case "equals":
    case "contains":
    case "beginsWith":
      return [1, 1];
    case "list":
      return [1, FILTER_LIMITS.valuesMax];
    case "range":
      return [2, 2];
    case "isBlank":
    case "isNotBlank":
      return [0, 0];
  }
}

/** Validates untrusted input as a filter definition; every problem is reported with its path. */
export function validateFilter(input: unknown): FilterValidation {
  const errors: FilterError[] = [];
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, errors: [{ path: "", message: "A filter must be an object." }] };
  }
  const raw = input as Record<string, unknown>;
  const name = typeof raw.name === "string" ? raw.name.trim() : "";
  if (typeof raw.name !== "string" || name === "") errors.push({ path: "name", message: "A filter needs a name." });
  else if (name.length > FILTER_LIMITS.nameMax)
    errors.push({ path: "name", message: `The name is longer than ${FILTER_LIMITS.nameMax} characters.` });
  if (raw.match !== "all" && raw.match !== "any")
    errors.push({ path: "match", message: 'Match must be "all" (must match all) or "any" (one or more).' });
  const criteria: FilterCriterion[] = [];
  if (!Array.isArray(raw.criteria) || raw.criteria.length === 0) {
    errors.push({ path: "criteria", message: "A filter needs at least one criterion." });
  } else if (raw.criteria.length > FILTER_LIMITS.criteriaMax) {
    errors.push({ path: "criteria", message: `A filter has at most ${FILTER_LIMITS.criteriaMax} criteria.` });
  } else {
    raw.criteria.forEach((c, i) => {
      const crit = validateCriterion(c, `criteria/${i}`, errors);
      if (crit) criteria.push(crit);
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, match: raw.match as FilterMatch, criteria } };
}

function validateCriterion(input: unknown, path: string, errors: FilterError[]): FilterCriterion | null {
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    errors.push({ path, message: "A criterion must be an object with field, method and values." });
    return null;
  }
  const raw = input as Record<string, unknown>;
  const before = errors.length;
  const field = typeof raw.field === "string" ? filterField(raw.field) : undefined;
  if (!field) errors.push({ path: `${path}/field`, message: `Unknown field "${String(raw.field)}".` });
  const method = FILTER_METHODS.includes(raw.method as FilterMethod) ? (raw.method as FilterMethod) : undefined;
  if (!method) errors.push({ path: `${path}/method`, message: `Unknown method "${String(raw.method)}".` });
  const values = raw.values === undefined ? [] : raw.values;
  if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) {
    errors.push({ path: `${path}/values`, message: "Values must be a list of text values." });
    return null;
  }
  if (!field || !method) return null;
  const vals = (values as string[]).map((v) => v.trimEnd());
  const [min, max] = expectedValueCount(method);
  if (vals.length < min || vals.length > max) {
    const need = min === max ? `exactly ${min}` : `between ${min} and ${max}`;
    errors.push({ path: `${path}/values`, message: `"${method}" takes ${need} value(s), got ${vals.length}.` });
    return null;
  }
  vals.forEach((v, j) => {
    if (v.length > FILTER_LIMITS.valueMax)
      errors.push({ path: `${path}/values/${j}`, message: `A value is longer than ${FILTER_LIMITS.valueMax} characters.` });
  });
  if (method === "range") {
    if (vals[0] === "" && vals[1] === "")
      errors.push({ path: `${path}/values`, message: "A range needs a lower or an upper bound." });
  } else if (method !== "list") {
    vals.forEach((v, j) => {
      if (v === "") errors.push({ path: `${path}/values/${j}`, message: "The value is empty." });
    });
  } else if (vals.every((v) => v === "")) {
    errors.push({ path: `${path}/values`, message: "The list has no values." });
  }
  if (field.type === "date") {
    if (method === "contains" || method === "beginsWith")
      errors.push({ path: `${path}/method`, message: `"${method}" does not apply to a date.` });
    vals.forEach((v, j) => {
      if (v !== "" && !isValidDate(v))
        errors.push({ path: `${path}/values/${j}`, message: `"${v}" is not a date (YYYY-MM-DD).` });
    });
  }
  if (field.type === "enum" && field.options) {
    vals.forEach((v, j) => {
      if (v !== "" && !field.options!.includes(v))
        errors.push({ path: `${path}/values/${j}`, message: `"${v}" is not one of ${field.options!.join(", ")}.` });
    });
  }
  if (method === "range" && vals[0] !== "" && vals[1] !== "" && compare(vals[0], vals[1]) > 0)
    errors.push({ path: `${path}/values`, message: "The lower bound is above the upper bound." });
  if (errors.length > before) return null;
  return { field: field.name, method, values: vals };
}

// ---- evaluation ----------------------------------------------------------------------------

function fold(s: string): string {
  return s.trimEnd().toLocaleLowerCase("en");
}

function compare(a: string, b: string): number {
  const x = fold(a);
  const y = fold(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A criterion with its values folded once: a list becomes a Set, so testing a contact costs the same for
 * 2 values or 200 (a firm-wide filter is evaluated for every contact of a listing, on the server too).
 */
interface CompiledCriterion {
  field: FilterField;
  method: FilterMethod;
  /** Folded values; "" kept where it means "no bound" (range). */
  folded: string[];
  set: Set<string>;
}

function compileCriterion(c: FilterCriterion): CompiledCriterion | undefined {
  const field = filterField(c.field);
  if (!field) return undefined;
  const folded = c.values.map((v) => (v === "" ? "" : fold(v)));
  return { field, method: c.method, folded, set: new Set(folded.filter((v) => v !== "")) };
}

function matchesValue(c: CompiledCriterion, v: string): boolean {
  const f = fold(v);
  const [a, b] = c.folded;
  switch (c.method) {
    case "equals":
      return f === a;
    case "list":
      return c.set.has(f);
    case "range":
      return (a === "" || f >= a) && (b === "" || f <= b);
    case "contains":
      return f.includes(a);
    case "beginsWith":
      return f.startsWith(a);
    default:
      return false;
  }
}

function matchesCriterion(c: CompiledCriterion | undefined, contact: PracticeContact): boolean {
  if (!c) return false;
  const raw = c.field.read(contact);
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v) => v.trim() !== "");
  if (c.method === "isBlank") return list.length === 0;
  if (c.method === "isNotBlank") return list.length > 0;
  return list.some((v) => matchesValue(c, v));
}

// Compiled once per filter object: callers evaluate one filter against thousands of contacts.
const compiledFilters = new WeakMap<FilterDefinition, (CompiledCriterion | undefined)[]>();

function compiled(filter: FilterDefinition): (CompiledCriterion | undefined)[] {
  let crits = compiledFilters.get(filter);
  if (!crits) {
    crits = filter.criteria.map(compileCriterion);
    compiledFilters.set(filter, crits);
  }
  return crits;
}

/** R1: does the practice contact match the filter? No filter: everything is in scope. */
export function matchesFilter(filter: FilterDefinition | null | undefined, contact: PracticeContact): boolean {
  if (!filter) return true;
  if (filter.criteria.length === 0) return true;
  const crits = compiled(filter);
  return filter.match === "all" ? crits.every((c) => matchesCriterion(c, contact)) : crits.some((c) => matchesCriterion(c, contact));
}
