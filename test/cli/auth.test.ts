import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ConnectionOptions } from "../../src/cli/sync/args";
import { emulatorBase, tokenProviders } from "../../src/cli/sync/auth";
import { CliError, EXIT } from "../../src/cli/sync/exit-codes";

describe("dev tokens (--dev-auth)", () => {
  let server: Server;
  let base: string;
  const seen: { url: string; body: unknown }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { access_token: "tok-1", expires_in: 3600 } };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d: Buffer) => (raw += d.toString()));
      req.on("end", () => {
        seen.push({ url: req.url ?? "", body: raw ? JSON.parse(raw) : null });
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    answer = { status: 200, body: { access_token: "tok-1", expires_in: 3600 } };
  });

  const conn = (over: Partial<ConnectionOptions>): ConnectionOptions => ({ mailbox: "me", devAuth: true, ...over });

  test("the practice token names the staff member and is requested once for many calls", async () => {
    const t = tokenProviders(conn({ practiceUrl: base, staffId: "S7" }), fetch);
    expect(await Promise.all([t.practice!(), t.practice!(), t.practice!()])).toEqual(["tok-1", "tok-1", "tok-1"]);
    expect(seen).toEqual([{ url: "/api/v1/dev/token", body: { staffId: "S7" } }]);
  });

  test("the Graph token is a user token with --upn and an application token for a named mailbox", async () => {
    await tokenProviders(conn({ graphUrl: `${base}/v1.0`, upn: "ann@firm.test" }), fetch).graph!();
    await tokenProviders(conn({ graphUrl: `${base}/v1.0`, mailbox: "office@firm.test" }), fetch).graph!();
    expect(seen).toEqual([
      { url: "/dev/token", body: { upn: "ann@firm.test" } },
      { url: "/dev/token", body: { app: true } },
    ]);
    expect(() => tokenProviders(conn({ graphUrl: `${base}/v1.0` }), fetch)).toThrow(/needs --upn/);
  });

  test("a refused or malformed token answer is a configuration error (exit 2) that never echoes a token", async () => {
    answer = { status: 404, body: { title: "Not Found" } };
    const err = await tokenProviders(conn({ practiceUrl: base }), fetch).practice!().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    expect((err as CliError).message).toMatch(/refused a development token \(HTTP 404\)/);
    answer = { status: 200, body: { token: "secret-value" } };
    const bad = await tokenProviders(conn({ practiceUrl: base }), fetch).practice!().catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/did not return an access_token/);
    expect((bad as Error).message).not.toContain("secret-value");
    const down = await tokenProviders(conn({ practiceUrl: "http://127.0.0.1:9" }), fetch).practice!().catch((e: unknown) => e);
    expect((down as CliError).exitCode).toBe(EXIT.usage);
    expect((down as Error).message).toMatch(/Cannot reach the practice server/);
  });

  test("the emulator's base is Graph's URL without its version", () => {
    expect(emulatorBase("https://127.0.0.1:4200/v1.0")).toBe("https://127.0.0.1:4200");
    expect(emulatorBase("https://127.0.0.1:4200/graph/beta/")).toBe("https://127.0.0.1:4200/graph");
  });
});

describe("production credentials (environment)", () => {
  const conn: ConnectionOptions = {
    mailbox: "office@firm.test",
    devAuth: false,
    practiceUrl: "https://practice.firm.test",
    graphUrl: "https://graph.microsoft.com/v1.0",
  };
  const env = { PCS_TENANT_ID: "t", PCS_CLIENT_ID: "c", PCS_CLIENT_SECRET: "s", PCS_PRACTICE_SCOPE: "api://practice/.default" };

  test("missing variables are named, with exit 2", () => {
    for (const missing of ["PCS_TENANT_ID", "PCS_CLIENT_ID", "PCS_PRACTICE_SCOPE"]) {
      const partial: NodeJS.ProcessEnv = { ...env };
      delete partial[missing];
      let err: unknown;
      try {
        tokenProviders(conn, fetch, partial);
      } catch (e) {
        err = e;
      }
      expect((err as CliError).exitCode).toBe(EXIT.usage);
      expect((err as Error).message).toContain(missing);
    }
    expect(() => tokenProviders(conn, fetch, { ...env, PCS_CLIENT_SECRET: undefined })).toThrow(/PCS_CLIENT_SECRET or PCS_CLIENT_CERT_FILE/);
  });

  test('application permissions have no "me"', () => {
    expect(() => tokenProviders({ ...conn, mailbox: "me" }, fetch, env)).toThrow(/no "me"/);
  });

  test("a complete environment gives both providers without any request yet", () => {
    const t = tokenProviders(conn, fetch, env);
    expect(typeof t.graph).toBe("function");
    expect(typeof t.practice).toBe("function");
  });
});
