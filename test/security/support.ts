// Probes' shared set-up: an identity provider on 127.0.0.1 (a JWKS of a local RSA key, tokens shaped like
// Entra ID's) and a practice server that trusts only it, with a file database the probe can inspect.
import Database from "better-sqlite3";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PracticeServerOptions } from "../../src/practice-api/server";
import { startTestServer, type TestServer } from "../practice-api/helpers";

export const ISSUER = "https://login.example/11111111-1111-1111-1111-111111111111/v2.0";
export const AUDIENCE = "api://practice-security";
export const ANNA = { id: "staff-anna", oid: "00000000-0000-0000-0000-0000000000a1", email: "anna.lindqvist@demo-practice.example" };

export interface Idp {
  url: string;
  /** A token for this suite's ISSUER and AUDIENCE. */
  sign(claims: Record<string, unknown>): Promise<string>;
  /** A token with exactly these claims (iss and aud included), valid for ten minutes. */
  signWith(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startIdp(): Promise<Idp> {
  const pair = await generateKeyPair("RS256");
  const key: CryptoKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const server: Server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/keys`,
    async sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt(now - 5).setExpirationTime(now + 600).sign(key);
    },
    async signWith(claims) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iat: now - 5, nbf: now - 5, exp: now + 600, ...claims }).setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" }).sign(key);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface ProductionServer extends TestServer {
  /** Read-write SQL on the server's own database file (to inspect it, or set a firm's tenant). */
  db: Database.Database;
}

/** A demo-seeded server that trusts only the local identity provider (no development tokens). */
export async function startProductionServer(idp: Idp, opts: PracticeServerOptions = {}): Promise<ProductionServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "practice-security-"));
  const file = path.join(dir, "practice.db");
  const t = await startTestServer({ devAuth: false, jwksUrl: idp.url, issuer: ISSUER, audience: AUDIENCE, db: file, ...opts });
  const db = new Database(file);
  return {
    ...t,
    db,
    async close() {
      db.close();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliServer {
  url: string;
  close(): Promise<void>;
}

/** The real `practice-server` command (build/cli, rebuilt by jest's globalSetup) in its own process. */
export async function startCliServer(args: string[]): Promise<CliServer> {
  const bin = path.join(__dirname, "..", "..", "build", "cli", "practice-server.js");
  const child = spawn(process.execPath, [bin, "--port", "0", "--quiet", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`practice-server did not start: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+?)\/api\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`practice-server exited (${code}): ${out}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
