// Checks every HTTP answer the tests see against openapi.yaml: the operation must exist, the status must
// be documented for it, and the body must match the documented schema for its content type.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { componentSchemas, loadContract, SCHEMA_ID_PREFIX } from "../../src/practice-api/server/contract";

type Json = Record<string, unknown>;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const s of componentSchemas()) ajv.addSchema(s);

const contract = loadContract() as unknown as { paths: Record<string, Record<string, Json>>; components: Json };
const templates = Object.keys(contract.paths).map((t) => ({
  template: t,
  re: new RegExp("^" + t.replace(/\{[^}]+\}/g, "[^/]+") + "$"),
}));
const compiled = new Map<string, ValidateFunction>();

function deref(obj: Json): Json {
  const ref = obj.$ref;
  if (typeof ref !== "string") return obj;
  const parts = ref.replace(/^#\//, "").split("/");
  let cur: unknown = contract;
  for (const p of parts) cur = (cur as Json)[p];
  return cur as Json;
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (!value || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", SCHEMA_ID_PREFIX) : rewrite(v);
  }
  return out;
}

/** Throws with a readable message when the answer is not what the contract documents. */
export function checkAgainstContract(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
  const bare = path.split("?")[0].replace(/^\/api\/v1/, "");
  const match = templates.find((t) => t.re.test(bare) && contract.paths[t.template][method.toLowerCase()]);
  // A path the contract does not have must answer a problem (404 from the not-found handler).
  if (!match) {
    if (status !== 404 && status !== 405) throw new Error(`${method} ${bare} is not in the contract but answered ${status}`);
    return checkProblem(`${method} ${bare}`, contentType, body);
  }
  const op = contract.paths[match.template][method.toLowerCase()] as Json;
  const responses = op.responses as Json;
  const documented = responses[String(status)] as Json | undefined;
  if (!documented) {
    // Infrastructure answers (validation 400, 401, 413, 415, 429) are problems even where an operation omits them.
    if (status >= 400) return checkProblem(`${method} ${match.template} ${status}`, contentType, body);
    throw new Error(`${method} ${match.template} answered ${status}, which the contract does not document`);
  }
  const resp = deref(documented);
  const content = resp.content as Record<string, Json> | undefined;
  if (!content) {
    if (body !== undefined && body !== "" && body !== null) throw new Error(`${method} ${match.template} ${status} should have no body`);
    return;
  }
  const mediaType = (contentType ?? "").split(";")[0].trim();
  const media = content[mediaType];
  if (!media) throw new Error(`${method} ${match.template} ${status} answered ${mediaType}, documented: ${Object.keys(content).join(", ")}`);
  validate(`${method} ${match.template} ${status}`, media.schema as Json, body);
}

function checkProblem(what: string, contentType: string | null, body: unknown): void {
  if (!(contentType ?? "").startsWith("application/problem+json")) throw new Error(`${what}: not application/problem+json (${contentType})`);
  validate(what, { $ref: "#/components/schemas/Problem" }, body);
}

function validate(what: string, schema: Json, body: unknown): void {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(rewrite(schema) as Json);
    compiled.set(key, fn);
  }
  if (!fn(body)) throw new Error(`${what}: the body does not match the contract: ${ajv.errorsText(fn.errors)}`);
}
