// Microsoft's own documented requests (fixtures/documented-requests.json, each with its source page
// and commit in microsoftgraph/microsoft-graph-docs-contrib), replayed against the strict emulator:
// each is accepted with the documented status, and its answer has the documented shape.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startHarness, type Harness, type Json } from "./harness";

interface DocumentedRequest {
  name: string;
  source: string;
  commit: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  collection?: boolean;
  responseKeys: string[];
  itemKeys?: string[];
  responseValues?: Record<string, unknown>;
  responseDates?: Record<string, string>;
}

const corpus = JSON.parse(readFileSync(join(__dirname, "fixtures", "documented-requests.json"), "utf8")) as { requests: DocumentedRequest[] };
const STAMP = "String {0aaf2070-647a-4428-85bb-6e7b34c786a2} Name PracticeContactSyncId";
const COUNT = "Integer {0aaf2070-647a-4428-85bb-6e7b34c786a2} Name Count";

let h: Harness;
let token: string;
const bound: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ upn: "docs@example.test" });
  bound.folderId = (await h.graph(token, "POST", "/me/contactFolders", { displayName: "Documented" })).json.id;
  for (const [i, name] of ["Alex", "Bea", "Cy"].entries()) {
    const c = await h.graph(token, "POST", `/me/contactFolders/${bound.folderId}/contacts`, {
      givenName: name,
      singleValueExtendedProperties: [{ id: STAMP, value: `firm:${name}` }, { id: COUNT, value: String(5 + i) }],
    });
    bound.contactId ??= c.json.id;
  }
  bound.id_value = STAMP;
  bound.numeric_id_value = COUNT;
});
afterAll(() => h.close());

/** The documented path with its placeholders bound, URL-encoded as the pages ask. */
function pathOf(r: DocumentedRequest): string {
  const [path, query] = r.path.replace(/\{(\w+)\}/g, (_, k: string) => bound[k] ?? `{${k}}`).split("?");
  if (!query) return path;
  const params = query.split("&").map((p) => {
    const i = p.indexOf("=");
    return `${p.slice(0, i)}=${encodeURIComponent(p.slice(i + 1))}`;
  });
  return `${path}?${params.join("&")}`;
}

describe.each(corpus.requests.map((r) => [`${r.name} [${r.source}@${r.commit.slice(0, 8)}]`, r] as const))("%s", (_label, r) => {
  it("is accepted with the documented status and answers with the documented shape", async () => {
    const res = await h.graph(token, r.method, pathOf(r), r.body, r.headers);
    expect([res.status, res.json?.error]).toEqual([r.status, undefined]);
    const body = res.json as Json;
    for (const key of r.responseKeys) expect([key, key in body]).toEqual([key, true]);
    for (const [key, value] of Object.entries(r.responseValues ?? {})) expect(body[key]).toEqual(value);
    // A DateTimeOffset the docs show as a date reads back as that date with a time (metadata type).
    for (const [key, date] of Object.entries(r.responseDates ?? {})) expect(String(body[key]).slice(0, 10)).toBe(date);
    if (r.collection) {
      expect(Array.isArray(body.value)).toBe(true);
      expect(body.value.length).toBeGreaterThan(0);
      for (const item of body.value) for (const key of r.itemKeys ?? []) expect([key, key in item]).toEqual([key, true]);
    }
  });
});

it("the corpus names a source page and a full commit for every request", () => {
  for (const r of corpus.requests) {
    expect(r.source).toMatch(/^api-reference\/v1\.0\/api\/[a-z-]+\.md$/);
    expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
  }
});
