// The contract (openapi.yaml) as data: served as JSON, and its component schemas feed request validation,
// so the server validates exactly what the contract promises.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

export const SCHEMA_ID_PREFIX = "urn:practice-api:schema:";

export interface ContractDocument {
  openapi: string;
  components: { schemas: Record<string, Record<string, unknown>> };
  [key: string]: unknown;
}

let cached: ContractDocument | undefined;

export function loadContract(): ContractDocument {
  if (!cached) {
    const text = readFileSync(path.join(__dirname, "..", "openapi.yaml"), "utf8");
    cached = parse(text) as ContractDocument;
  }
  return cached;
}

/** `#/components/schemas/X` → the id the validator knows X by. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/"))
      out[k] = SCHEMA_ID_PREFIX + v.slice("#/components/schemas/".length);
    else out[k] = rewriteRefs(v);
  }
  return out;
}

/** Every component schema, standalone (with its own $id), ready for Ajv.addSchema. */
export function componentSchemas(): Record<string, unknown>[] {
  const schemas = loadContract().components.schemas;
  return Object.entries(schemas).map(([name, schema]) => ({
    ...(rewriteRefs(schema) as Record<string, unknown>),
    $id: SCHEMA_ID_PREFIX + name,
  }));
}

export function schemaRef(name: string): { $ref: string } {
  if (!(name in loadContract().components.schemas)) throw new Error(`No schema ${name} in the contract`);
  return { $ref: SCHEMA_ID_PREFIX + name };
}
