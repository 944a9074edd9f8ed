// Checks JSON against the contract's own schemas (the subset of JSON Schema 2020-12 that openapi.yaml uses
// for responses: type, enum, const, required, properties, additionalProperties: false, items, maxItems,
// minLength/maxLength, minimum/maximum, format date and date-time, $ref, allOf, oneOf), compiled once into
// closures. No code is generated at run time, so it runs under the pane's CSP (no 'unsafe-eval').
//
// Why not Ajv's compiled code: Ajv tests every property the schema names on every object (`data.title !==
// undefined`, ~40 per contact). Contacts parsed from JSON come in many shapes, so each of those loads is
// megamorphic; on 50,000 contacts that took 2.5–2.9 s on a loaded 2-core machine. Walking each object's own
// keys and looking the rule up by name costs a tenth of that (docs/benchmarks.md, issue 11).
export type JsonSchema = Record<string, unknown>;

export interface SchemaIssue {
  path: string[];
  message: string;
}

/** A compiled check: null when valid, else the first problem found. */
export type Check = (value: unknown, path: string[]) => SchemaIssue | null;

const fail = (path: string[], message: string): SchemaIssue => ({ path: [...path], message });

/** Code points, as JSON Schema counts string length; `.length` (UTF-16 units) is an upper bound of it. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 date-time: a time zone is required (Z or ±hh:mm).
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && !leap ? 28 : DAYS[month]);
}

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m || !isDate(m[1])) return false;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const tzOk = m[5] === undefined || (Number(m[5]) <= 23 && Number(m[6]) <= 59);
  return tzOk && h <= 23 && min <= 59 && sec <= 60;
}

const FORMATS: Record<string, (s: string) => boolean> = { date: isDate, "date-time": isDateTime };

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(actual: string, wanted: string): boolean {
  return actual === wanted || (wanted === "number" && actual === "integer");
}

/**
 * Compiles `schema`; `$ref`s name other schemas of `defs` by "#/components/schemas/Name" (or the bare name).
 * A schema keyword this checker does not know is an error here, so the contract cannot grow a rule that
 * is silently not checked.
 */
export function compileSchema(schema: JsonSchema, defs: Record<string, JsonSchema>): Check {
  const compiled = new Map<string, Check>();
  const byRef = (ref: string): Check => {
    const name = ref.replace(/^#\/components\/schemas\//, "");
    if (!(name in defs)) throw new Error(`schema-check: unknown $ref ${ref}`);
    // Late-bound, so recursive schemas compile.
    return (v, p) => {
      let c = compiled.get(name);
      if (!c) {
        c = compile(defs[name]);
        compiled.set(name, c);
      }
      return c(v, p);
    };
  };

  const KNOWN = new Set([
    "type", "enum", "const", "required", "properties", "additionalProperties", "items", "maxItems", "minItems",
    "minLength", "maxLength", "minimum", "maximum", "format", "$ref", "allOf", "oneOf", "description", "$id",
    "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly",
  ]);

  const deref = (part: JsonSchema): JsonSchema =>
    typeof part.$ref === "string" && Object.keys(part).length === 1 ? deref(defs[part.$ref.replace(/^#\/components\/schemas\//, "")] ?? part) : part;

  /**
   * allOf of open objects (Contact = fields + attributes + metadata) as one object: one walk over the
   * contact's keys instead of one per part. Anything else keeps allOf's general meaning.
   */
  function mergedAllOf(parts: JsonSchema[]): JsonSchema | null {
    const properties: Record<string, JsonSchema> = {};
    const required = new Set<string>();
    for (const raw of parts) {
      const part = deref(raw);
      if (!Object.keys(part).every((k) => ["type", "properties", "required", "description", "$id"].includes(k))) return null;
      if (part.type !== undefined && part.type !== "object") return null;
      for (const [k, v] of Object.entries((part.properties ?? {}) as Record<string, JsonSchema>)) {
        if (k in properties) return null;
        properties[k] = v;
      }
      for (const r of (part.required ?? []) as string[]) required.add(r);
    }
    return { type: "object", properties, required: [...required] };
  }

  function compile(s: JsonSchema): Check {
    if (Array.isArray(s.allOf)) {
      const merged = mergedAllOf(s.allOf as JsonSchema[]);
      const { allOf: _allOf, ...rest } = s;
      const plain = Object.keys(rest).every((k) => k === "description" || k === "$id" || (k === "type" && rest.type === "object"));
      if (merged && plain) {
        return compile({ ...rest, ...merged, required: [...new Set([...((rest.required ?? []) as string[]), ...(merged.required as string[])])] });
      }
    }
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`schema-check: keyword "${k}" is not supported`);
    const checks: Check[] = [];
    if (typeof s.$ref === "string") checks.push(byRef(s.$ref));
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      const label = types.join(" or ");
      checks.push((v, p) => {
        const t = typeOf(v);
        return types.some((w) => typeMatches(t, w)) ? null : fail(p, `must be ${label}`);
      });
    }
    if (Array.isArray(s.enum)) {
      const allowed = s.enum as unknown[];
      checks.push((v, p) => (allowed.includes(v) ? null : fail(p, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`)));
    }
    if (s.const !== undefined) checks.push((v, p) => (v === s.const ? null : fail(p, `must be ${JSON.stringify(s.const)}`)));
    const maxLength = typeof s.maxLength === "number" ? s.maxLength : null;
    const minLength = typeof s.minLength === "number" ? s.minLength : null;
    const format = typeof s.format === "string" ? FORMATS[s.format] : undefined;
    if (typeof s.format === "string" && !format) throw new Error(`schema-check: format "${s.format}" is not supported`);
    if (maxLength !== null || minLength !== null || format) {
      checks.push((v, p) => {
        if (typeof v !== "string") return null;
        if (maxLength !== null && v.length > maxLength && codePoints(v) > maxLength) return fail(p, `must NOT have more than ${maxLength} characters`);
        if (minLength !== null && (v.length < minLength || codePoints(v) < minLength)) return fail(p, `must NOT have fewer than ${minLength} characters`);
        if (format && !format(v)) return fail(p, `must be a ${s.format as string}`);
        return null;
      });
    }
    if (typeof s.minimum === "number" || typeof s.maximum === "number") {
      const min = s.minimum as number | undefined;
      const max = s.maximum as number | undefined;
      checks.push((v, p) =>
        typeof v !== "number" || ((min === undefined || v >= min) && (max === undefined || v <= max)) ? null : fail(p, `must be within ${min ?? "-∞"}..${max ?? "∞"}`),
      );
    }
    if (s.items !== undefined || s.maxItems !== undefined || s.minItems !== undefined) {
      const item = s.items === undefined ? null : compile(s.items as JsonSchema);
      const maxItems = s.maxItems as number | undefined;
      const minItems = s.minItems as number | undefined;
      checks.push((v, p) => {
        if (!Array.isArray(v)) return null;
        if (maxItems !== undefined && v.length > maxItems) return fail(p, `must NOT have more than ${maxItems} items`);
        if (minItems !== undefined && v.length < minItems) return fail(p, `must NOT have fewer than ${minItems} items`);
        if (item) {
          for (let i = 0; i < v.length; i++) {
            p.push(String(i));
            const issue = item(v[i], p);
            p.pop();
            if (issue) return issue;
          }
        }
        return null;
      });
    }
    if (s.properties !== undefined || s.required !== undefined || s.additionalProperties !== undefined) {
      checks.push(objectCheck(s));
    }
    if (Array.isArray(s.allOf)) for (const part of s.allOf as JsonSchema[]) checks.push(compile(part));
    if (Array.isArray(s.oneOf)) {
      const branches = (s.oneOf as JsonSchema[]).map(compile);
      checks.push((v, p) => {
        let matched = 0;
        let first: SchemaIssue | null = null;
        for (const b of branches) {
          const issue = b(v, p);
          if (!issue) matched++;
          else first ??= issue;
        }
        if (matched === 1) return null;
        return matched === 0 ? fail(p, `must match one of the allowed shapes (${first?.path.join(".") || "(root)"} ${first?.message ?? ""})`.trim()) : fail(p, "must match exactly one allowed shape");
      });
    }
    if (checks.length === 1) return checks[0];
    return (v, p) => {
      for (const c of checks) {
        const issue = c(v, p);
        if (issue) return issue;
      }
      return null;
    };
  }

  /** Walks the object's own keys and looks each rule up by name (see the comment at the top). */
  function objectCheck(s: JsonSchema): Check {
    const props = new Map<string, Check>();
    for (const [k, sub] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) props.set(k, compile(sub));
    const required = (s.required ?? []) as string[];
    const requiredSet = new Set(required);
    if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
      throw new Error("schema-check: only additionalProperties: false is supported");
    }
    const closed = s.additionalProperties === false;
    return (v, p) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
      const o = v as Record<string, unknown>;
      let seenRequired = 0;
      for (const k in o) {
        const value = o[k];
        const check = props.get(k);
        if (check) {
          // An own property set to undefined cannot come from JSON; treat it as absent.
          if (value === undefined) continue;
          p.push(k);
          const issue = check(value, p);
          p.pop();
          if (issue) return issue;
        } else if (closed) return fail(p, `must NOT have additional property '${k}'`);
        if (requiredSet.has(k)) seenRequired++;
      }
      if (seenRequired < required.length) {
        const missing = required.find((k) => o[k] === undefined);
        if (missing !== undefined) return fail(p, `must have required property '${missing}'`);
      }
      return null;
    };
  }

  return compile(schema);
}
