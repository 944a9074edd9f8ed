// Findings 6, 9, 10 and 14 of the security review, through the real commands: development tokens never
// beside production keys or off loopback; keys and bearer tokens only over https (loopback excepted);
// and the issuer/audience pairs docs/practice-api.md gives accept tokens shaped as Entra ID v1 and v2
// issue them (and refuse the mismatched pair the old example showed).
import { spawn } from "node:child_process";
import path from "node:path";
import { startPracticeServer } from "../../src/practice-api/server";
import { startTestServer } from "../practice-api/helpers";
import { ANNA, startIdp, type Idp } from "./support";

const root = path.join(__dirname, "..", "..");

function runBin(name: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [path.join(root, "bin", `${name}.js`), ...args], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  // A server that did start (the old behaviour) is stopped after a moment, so the probe fails instead of hanging.
  const timer = setTimeout(() => child.kill("SIGTERM"), 8000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

describe("practice-server refuses unsafe combinations (findings 6, 10)", () => {
  const prod = ["--jwks-url", "https://login.microsoftonline.com/t/discovery/v2.0/keys", "--issuer", "https://login.microsoftonline.com/t/v2.0", "--audience", "00000000-0000-0000-0000-00000000abcd"];
  test.each([
    ["--dev-auth with --jwks-url", ["--dev-auth", ...prod], /--dev-auth cannot be combined with --jwks-url/],
    ["--dev-auth on 0.0.0.0", ["--dev-auth", "--host", "0.0.0.0"], /--dev-auth only listens on a loopback host/],
    ["--dev-auth on a LAN address", ["--dev-auth", "--host", "192.168.1.20"], /loopback host/],
    ["a JWKS over http", ["--jwks-url", "http://keys.example/keys", "--issuer", "i", "--audience", "a"], /--jwks-url must be https/],
  ])("%s: exit 2 with the reason, nothing listening", async (_what, args, reason) => {
    const r = await runBin("practice-server", ["--db", ":memory:", "--port", "0", ...args]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(reason);
    expect(r.out).not.toMatch(/listening on/);
  }, 20_000);

  test("the module refuses the same, for anyone embedding it", async () => {
    await expect(startPracticeServer({ devAuth: true, jwksUrl: "https://keys.example/keys", issuer: "i", audience: "a" })).rejects.toThrow(/cannot be combined/);
    await expect(startPracticeServer({ jwksUrl: "http://keys.example/keys", issuer: "i", audience: "a" })).rejects.toThrow(/must be https/);
  });
});

describe("contact-sync sends production tokens only over https (finding 9)", () => {
  test.each([
    ["filters", ["filters", "--practice-url", "http://practice.example"], /--practice-url must be https/],
    ["folders", ["folders", "--graph-url", "http://graph.example/v1.0", "--mailbox", "book@firm.example"], /--graph-url must be https/],
  ])("%s with an http URL: exit 2 before any connection", async (_what, args, reason) => {
    const r = await runBin("contact-sync", args);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(reason);
  }, 20_000);
});

describe("the documented issuer/audience pairs match Entra ID tokens (finding 14)", () => {
  const TENANT = "72f988bf-0000-4000-8000-000000000001";
  const API_CLIENT_ID = "6e2a1c3b-0000-4000-8000-0000000000aa";
  const APP_ID_URI = "api://practice.firm.example";
  const V2 = { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: API_CLIENT_ID };
  const V1 = { issuer: `https://sts.windows.net/${TENANT}/`, audience: APP_ID_URI };
  let idp: Idp;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(() => idp.close());

  // Claims as Entra ID puts them in an access token of each version (access-token-claims-reference).
  const v2Token = (aud: string) => idp.signWith({ iss: V2.issuer, aud, ver: "2.0", tid: TENANT, oid: ANNA.oid, azp: "pane-client-id", scp: "Practice.ReadWrite", preferred_username: ANNA.email });
  const v1Token = (aud: string) => idp.signWith({ iss: V1.issuer, aud, ver: "1.0", tid: TENANT, oid: ANNA.oid, appid: "pane-client-id", scp: "Practice.ReadWrite", upn: ANNA.email });

  test.each([
    ["v2 (requestedAccessTokenVersion 2)", V2, () => v2Token(API_CLIENT_ID), () => v2Token(APP_ID_URI)],
    ["v1 (the default)", V1, () => v1Token(APP_ID_URI), () => v1Token(API_CLIENT_ID)],
  ])("%s: the documented pair accepts the real shape and refuses the other audience", async (_v, pair, good, wrongAud) => {
    const t = await startTestServer({ devAuth: false, jwksUrl: idp.url, issuer: pair.issuer, audience: pair.audience });
    try {
      expect((await t.call("GET", "/me", { token: await good() })).body.staff?.id).toBe(ANNA.id);
      expect((await t.call("GET", "/me", { token: await wrongAud() })).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  test("the old example's pair (v2 issuer with an api:// audience) refuses a real v2 token", async () => {
    const t = await startTestServer({ devAuth: false, jwksUrl: idp.url, issuer: V2.issuer, audience: APP_ID_URI });
    try {
      expect((await t.call("GET", "/me", { token: await v2Token(API_CLIENT_ID) })).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
