// Generates src/practice-api/response-contract.json: the contract's schemas (openapi.yaml) for the large
// responses the client checks (contact pages, change pages, batch answers) and every schema they refer to,
// without descriptions. The client compiles them into checks when it loads (schema-check.ts), in Node and
// in the pane alike, where openapi.yaml itself is not at hand.
//   npm run gen:validators        (test/practice-api/response-validators.test.ts fails when stale)
import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadContract } from "../src/practice-api/server/contract";

/** The responses checked against the contract's schemas; the small ones stay with zod (response-schemas.ts). */
export const CHECKED_RESPONSES = ["ContactPage", "ChangePage", "BatchResponse"] as const;

export const OUTPUT = path.join(__dirname, "..", "src", "practice-api", "response-contract.json");

const REF = /^#\/components\/schemas\/(.+)$/;

/** The schema without its prose, with the names of the schemas it refers to collected. */
function strip(value: unknown, refs: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, refs));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "description" || k === "example" || k === "examples") continue;
    if (k === "$ref" && typeof v === "string") {
      const m = REF.exec(v);
      if (!m) throw new Error(`gen-response-validators: $ref ${v} is not a component schema`);
      refs.add(m[1]);
    }
    // Inside `properties` the keys are property names, kept whatever they are called.
    out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strip(s, refs)])) : strip(v, refs);
  }
  return out;
}

export function generateResponseContract(): string {
  const schemas = loadContract().components.schemas;
  const out: Record<string, unknown> = {};
  const todo: string[] = [...CHECKED_RESPONSES];
  while (todo.length) {
    const name = todo.shift()!;
    if (name in out) continue;
    if (!(name in schemas)) throw new Error(`gen-response-validators: no schema ${name} in openapi.yaml`);
    const refs = new Set<string>();
    out[name] = strip(schemas[name], refs);
    todo.push(...refs);
  }
  return `${JSON.stringify(out, null, 1)}\n`;
}

if (require.main === module) {
  writeFileSync(OUTPUT, generateResponseContract());
  console.log(`gen-response-validators: ${CHECKED_RESPONSES.join(", ")} and their references → ${path.relative(process.cwd(), OUTPUT)}`);
}
