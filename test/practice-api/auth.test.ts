// Authentication against a JWKS (production mode, as with Entra ID): signature, issuer, audience,
// expiry and scopes; and development mode's token route existing only when enabled.
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { forgedToken, startTestServer, type TestServer } from "./helpers";

const ISS = "https://login.example/tenant-1/v2.0";
const AUD = "api://practice-test";
const ANNA_OID = "00000000-0000-0000-0000-0000000000a1";

let jwks: Server;
let key: CryptoKey;
let t: TestServer;

async function sign(claims: Record<string, unknown>, o: { iss?: string; aud?: string; exp?: number; kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: o.kid ?? "k1" })
    .setIssuer(o.iss ?? ISS)
    .setAudience(o.aud ?? AUD)
    .setIssuedAt(now - 10)
    .setExpirationTime(o.exp ?? now + 600)
    .sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  key = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwks = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", r));
  const { port } = jwks.address() as AddressInfo;
  t = await startTestServer({ devAuth: false, jwksUrl: `http://127.0.0.1:${port}/keys`, issuer: ISS, audience: AUD });
});
afterAll(async () => {
  await t.close();
  await new Promise((r) => jwks.close(r));
});

const expect401 = async (token: string | null, header?: string) => {
  const r = await t.call("GET", "/me", header ? { token: null, headers: { authorization: header } } : { token });
  expect(r.status).toBe(401);
  expect(r.body.type).toBe("urn:practice-api:problem:unauthorized");
  expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
  return r;
};

test("a valid token with the read-write scope is accepted and mapped by object id", async () => {
  const r = await t.call("GET", "/me", { token: await sign({ oid: ANNA_OID, scp: "Practice.ReadWrite" }) });
  expect(r.status).toBe(200);
  expect(r.body.staff.id).toBe("staff-anna");
});

test("a token without oid names nobody, even with a staff member's sign-in name: 403", async () => {
  const r = await t.call("GET", "/me", { token: await sign({ preferred_username: "Kenji.Tanaka@demo-practice.example", scp: "Practice.Read" }) });
  expect(r.status).toBe(403);
  expect(r.body.detail).toMatch(/oid/);
});

test("missing token: 401", () => expect401(null));
test("not a bearer header: 401", () => expect401(null, "Basic dXNlcjpwYXNz"));
test("malformed JWT: 401", () => expect401("not.a.jwt"));
test("garbage in three parts: 401", () => expect401("aaaa.bbbb.cccc"));
test("wrong signature (a key the JWKS does not have): 401", async () => {
  await expect401(await forgedToken({ oid: ANNA_OID, scp: "Practice.ReadWrite" }, { iss: ISS, aud: AUD }));
});
test("expired: 401 saying so", async () => {
  const r = await expect401(await sign({ oid: ANNA_OID, scp: "Practice.ReadWrite" }, { exp: Math.floor(Date.now() / 1000) - 3600 }));
  expect(r.body.detail).toMatch(/expired/);
});
test("wrong issuer: 401", async () => {
  await expect401(await sign({ oid: ANNA_OID, scp: "Practice.ReadWrite" }, { iss: "https://evil.example/" }));
});
test("wrong audience: 401", async () => {
  await expect401(await sign({ oid: ANNA_OID, scp: "Practice.ReadWrite" }, { aud: "api://someone-else" }));
});
test("a tampered payload (signature no longer matches): 401", async () => {
  const good = await sign({ oid: ANNA_OID, scp: "Practice.Read" });
  const [h, , s] = good.split(".");
  const payload = Buffer.from(JSON.stringify({ oid: ANNA_OID, scp: "Practice.ReadWrite", iss: ISS, aud: AUD, exp: 9999999999 })).toString("base64url");
  await expect401(`${h}.${payload}.${s}`);
});
test("alg none: 401", async () => {
  const h = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
  const p = Buffer.from(JSON.stringify({ oid: ANNA_OID, scp: "Practice.ReadWrite", iss: ISS, aud: AUD, exp: 9999999999 })).toString("base64url");
  const r = await t.call("GET", "/me", { token: null, headers: { authorization: `Bearer ${h}.${p}.` } });
  expect(r.status).toBe(401);
});

test("no scope: 403 insufficient-scope", async () => {
  const r = await t.call("GET", "/me", { token: await sign({ oid: ANNA_OID }) });
  expect(r.status).toBe(403);
  expect(r.body.type).toBe("urn:practice-api:problem:insufficient-scope");
});

test("read scope reads; writes are 403 and write nothing", async () => {
  const ro = await sign({ oid: ANNA_OID, scp: "Practice.Read" });
  expect((await t.call("GET", "/contacts?limit=1", { token: ro })).status).toBe(200);
  const r = await t.call("POST", "/filters", { token: ro, body: { name: "x", match: "all", criteria: [{ field: "office", method: "isBlank" }] } });
  expect(r.status).toBe(403);
  const rw = await sign({ oid: ANNA_OID, scp: "Practice.ReadWrite" });
  expect((await t.call("GET", "/filters", { token: rw })).body.items.map((f: { name: string }) => f.name)).not.toContain("x");
});

test("a valid token for someone who is not staff: 403", async () => {
  const r = await t.call("GET", "/me", { token: await sign({ oid: "stranger", scp: "Practice.ReadWrite" }) });
  expect(r.status).toBe(403);
});

test("without devAuth the dev token route does not exist", async () => {
  const r = await t.call("POST", "/dev/token", { token: null, body: {} });
  expect(r.status).toBe(404);
});

test("in dev mode, an unknown staff id gets no token, and dev tokens carry the requested scope", async () => {
  const dev = await startTestServer();
  try {
    expect((await dev.call("POST", "/dev/token", { token: null, body: { staffId: "nobody" } })).status).toBe(400);
    const ro = await dev.token("staff-zoe", "Practice.Read");
    const me = await dev.call("GET", "/me", { token: ro });
    expect(me.body).toMatchObject({ staff: { id: "staff-zoe" }, scopes: ["Practice.Read"] });
  } finally {
    await dev.close();
  }
});
