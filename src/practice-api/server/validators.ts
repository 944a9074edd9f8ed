// Request validation from the contract's component schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses).
// Bodies are validated strictly (no coercion, nothing silently removed); query strings and path
// parameters are text on the wire, so that validator coerces "50" to 50 for integer parameters.
// Bodies stop at their first error: collecting every error of a body with half a million unknown
// properties costs seconds; query strings are short, so they report all of theirs.
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { componentSchemas, schemaRef } from "./contract";

export interface Validators {
  forBody: Ajv2020;
  forParams: Ajv2020;
  /** Validates data against a named component schema; returns the problems, or null when valid. */
  check(schemaName: string, data: unknown): { path: string; message: string }[] | null;
}

function makeAjv(coerce: boolean, allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors,
    coerceTypes: coerce,
    useDefaults: true,
    removeAdditional: false,
    messages: true,
  });
  addFormats(ajv);
  for (const schema of componentSchemas()) ajv.addSchema(schema);
  return ajv;
}

export function describeErrors(errors: ErrorObject[] | null | undefined): { path: string; message: string }[] {
  return (errors ?? []).slice(0, 20).map((e) => {
    const extra =
      e.keyword === "unevaluatedProperties" || e.keyword === "additionalProperties"
        ? ` (${String((e.params as { unevaluatedProperty?: string; additionalProperty?: string }).unevaluatedProperty ?? (e.params as { additionalProperty?: string }).additionalProperty)})`
        : "";
    return { path: e.instancePath.replace(/^\//, ""), message: `${e.message ?? "is not valid"}${extra}` };
  });
}

export function createValidators(): Validators {
  const forBody = makeAjv(false, false);
  const forParams = makeAjv(true, true);
  const compiled = new Map<string, ValidateFunction>();
  return {
    forBody,
    forParams,
    check(schemaName, data) {
      let fn = compiled.get(schemaName);
      if (!fn) {
        fn = forBody.compile(schemaRef(schemaName));
        compiled.set(schemaName, fn);
      }
      return fn(data) ? null : describeErrors(fn.errors);
    },
  };
}
