// A 401 carrying a claims challenge is answered once with a token that carries the claims; against a real
// HTTP server on 127.0.0.1 standing in for Graph or the practice API.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseClaimsChallenge, withClaimsChallenge } from "../../src/auth/claims-challenge";

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}';
const CLAIMS_B64 = Buffer.from(CLAIMS).toString("base64");
const CHALLENGE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${CLAIMS_B64}"`;

describe("parseClaimsChallenge", () => {
  it("decodes the base64 claims of a challenge", () => {
    expect(parseClaimsChallenge(CHALLENGE)).toBe(CLAIMS);
    expect(parseClaimsChallenge(`Bearer claims=${CLAIMS_B64}, error="insufficient_claims"`)).toBe(CLAIMS);
    expect(parseClaimsChallenge(`Bearer claims="${Buffer.from(CLAIMS).toString("base64url")}"`)).toBe(CLAIMS);
  });

  it("ignores headers without claims, empty claims and claims that are not a JSON object", () => {
    expect(parseClaimsChallenge(null)).toBeNull();
    expect(parseClaimsChallenge('Bearer realm="", error="invalid_token"')).toBeNull();
    expect(parseClaimsChallenge('Bearer claims=""')).toBeNull();
    expect(parseClaimsChallenge(`Bearer claims="${Buffer.from("[1,2]").toString("base64")}"`)).toBeNull();
    expect(parseClaimsChallenge('Bearer claims="not base64!"')).toBeNull();
    expect(parseClaimsChallenge('Bearer xclaims="e30="')).toBeNull();
  });
});

describe("withClaimsChallenge against a server that challenges", () => {
  let server: http.Server;
  let url: string;
  const seen: Array<{ auth: string | undefined; body: string }> = [];
  let challengeEvery = true;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ auth: req.headers.authorization, body });
        if (req.headers.authorization === "Bearer with-claims" && !challengeEvery) {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: true, body }));
          return;
        }
        res.writeHead(401, { "www-authenticate": CHALLENGE, "content-type": "application/json" });
        res.end('{"error":{"code":"InvalidAuthenticationToken"}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/me/contacts`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    challengeEvery = false;
  });

  it("gets a token with the challenge's claims and sends the same request (body too) once more", async () => {
    const asked: string[] = [];
    const wrapped = withClaimsChallenge(fetch, async (claims) => (asked.push(claims), "with-claims"));
    const res = await wrapped(url, { method: "POST", headers: { Authorization: "Bearer old", "content-type": "application/json" }, body: '{"givenName":"Ann"}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, body: '{"givenName":"Ann"}' });
    expect(asked).toEqual([CLAIMS]);
    expect(seen.map((s) => s.auth)).toEqual(["Bearer old", "Bearer with-claims"]);
  });

  it("works the same for a Request object (the practice client's shape)", async () => {
    const wrapped = withClaimsChallenge(fetch, async () => "with-claims");
    const res = await wrapped(new Request(url, { method: "PATCH", headers: { Authorization: "Bearer old" }, body: "x=1" }));
    expect(res.status).toBe(200);
    expect(seen).toEqual([
      { auth: "Bearer old", body: "x=1" },
      { auth: "Bearer with-claims", body: "x=1" },
    ]);
  });

  it("retries only once: a second challenge goes back to the caller", async () => {
    challengeEvery = true;
    let asked = 0;
    const wrapped = withClaimsChallenge(fetch, async () => (asked++, "with-claims"));
    const res = await wrapped(url, { headers: { Authorization: "Bearer old" } });
    expect(res.status).toBe(401);
    expect(asked).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it("leaves a request without a bearer token alone", async () => {
    let asked = 0;
    const wrapped = withClaimsChallenge(fetch, async () => (asked++, "with-claims"));
    expect((await wrapped(url)).status).toBe(401);
    expect(asked).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it("does not retry a 401 without claims (an expired token is the transport's business)", async () => {
    let asked = 0;
    const plain401: typeof fetch = async () => new Response("{}", { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
    const wrapped = withClaimsChallenge(plain401, async () => (asked++, "t"));
    expect((await wrapped(url, { headers: { Authorization: "Bearer old" } })).status).toBe(401);
    expect(asked).toBe(0);
  });

  it("passes a token failure to the caller", async () => {
    const wrapped = withClaimsChallenge(fetch, async () => {
      throw new Error("Sign-in was cancelled.");
    });
    await expect(wrapped(url, { headers: { Authorization: "Bearer old" } })).rejects.toThrow("Sign-in was cancelled.");
  });
});
