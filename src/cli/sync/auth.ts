// Where the CLI's bearer tokens come from. Two modes:
//  - development (--dev-auth): the local practice server's and mailbox emulator's dev token routes;
//  - production: Microsoft Entra ID client credentials through @azure/msal-node (Graph application
//    permission Contacts.ReadWrite, and the practice API's own app scope), configured by environment.
// Tokens are only ever handed to fetch: never printed, logged or put in an error message.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ConfidentialClientApplication, Configuration } from "@azure/msal-node";
import type { ConnectionOptions } from "./args";
import { CliError, EXIT, usageError } from "./exit-codes";
import type { FetchLike } from "./http";

export type GetToken = () => Promise<string>;

export interface TokenProviders {
  practice?: GetToken;
  graph?: GetToken;
}

/** The environment variables of the production mode (documented in docs/cli.md). */
export const ENV = {
  tenant: "PCS_TENANT_ID",
  clientId: "PCS_CLIENT_ID",
  secret: "PCS_CLIENT_SECRET",
  certFile: "PCS_CLIENT_CERT_FILE",
  authorityHost: "PCS_AUTHORITY_HOST",
  practiceScope: "PCS_PRACTICE_SCOPE",
  practiceClientId: "PCS_PRACTICE_CLIENT_ID",
  practiceSecret: "PCS_PRACTICE_CLIENT_SECRET",
} as const;

export function tokenProviders(
  conn: ConnectionOptions,
  fetch: FetchLike,
  env: NodeJS.ProcessEnv = process.env,
): TokenProviders {
  return conn.devAuth ? devTokens(conn, fetch) : productionTokens(conn, env);
}

// ---- development -------------------------------------------------------------------------------

function devTokens(conn: ConnectionOptions, fetch: FetchLike): TokenProviders {
  const out: TokenProviders = {};
  if (conn.practiceUrl) {
    const body = conn.staffId ? { staffId: conn.staffId } : {};
    out.practice = cachedToken(() => requestDevToken(fetch, `${conn.practiceUrl}/api/v1/dev/token`, body, "practice server"));
  }
  const graphUrl = conn.graphUrl;
  if (graphUrl) {
    // A user token reaches "me" and what is shared with that user; without --upn an app token reaches
    // any mailbox, as an application permission would.
    if (conn.mailbox === "me" && !conn.upn) {
      throw usageError("--dev-auth with --mailbox me needs --upn to say whose mailbox (or pass --mailbox UPN).");
    }
    const body = conn.upn ? { upn: conn.upn } : { app: true };
    out.graph = cachedToken(() => requestDevToken(fetch, `${emulatorBase(graphUrl)}/dev/token`, body, "mailbox emulator"));
  }
  return out;
}

/** The emulator serves Graph under /v1.0 (or /beta) and its dev routes beside it. */
export function emulatorBase(graphUrl: string): string {
  return graphUrl.replace(/\/+$/, "").replace(/\/(v1\.0|beta)$/i, "");
}

async function requestDevToken(
  fetch: FetchLike,
  url: string,
  body: object,
  what: string,
): Promise<{ token: string; expiresAt: number }> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    throw new CliError(EXIT.usage, `Cannot reach the ${what} for a development token (${url}): ${causeOf(err)}`);
  }
  if (!res.ok) {
    throw new CliError(EXIT.usage, `The ${what} refused a development token (HTTP ${res.status}); is it running with dev auth on?`);
  }
  const json = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
  if (!json || typeof json.access_token !== "string" || json.access_token === "") {
    throw new CliError(EXIT.usage, `The ${what}'s dev token route did not return an access_token.`);
  }
  const ttl = typeof json.expires_in === "number" ? json.expires_in : 3600;
  return { token: json.access_token, expiresAt: Date.now() + ttl * 1000 };
}

/** Reuses a token until a minute before it expires; concurrent callers share one request. */
function cachedToken(get: () => Promise<{ token: string; expiresAt: number }>): GetToken {
  let current: { token: string; expiresAt: number } | null = null;
  let pending: Promise<{ token: string; expiresAt: number }> | null = null;
  return async () => {
    if (current && current.expiresAt - 60_000 > Date.now()) return current.token;
    pending ??= get().finally(() => (pending = null));
    current = await pending;
    return current.token;
  };
}

// ---- production --------------------------------------------------------------------------------

function productionTokens(conn: ConnectionOptions, env: NodeJS.ProcessEnv): TokenProviders {
  const tenant = need(env, ENV.tenant);
  const authorityHost = (env[ENV.authorityHost] ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
  // The client secret or certificate assertion goes to this host: only over TLS.
  if (!authorityHost.startsWith("https://")) throw usageError(`${ENV.authorityHost} must be an https:// URL.`);
  const authority = `${authorityHost}/${tenant}`;
  const out: TokenProviders = {};
  if (conn.graphUrl) {
    if (conn.mailbox === "me") {
      throw usageError('Application permissions have no signed-in user, so there is no "me": pass --mailbox with the mailbox UPN.');
    }
    const app = confidentialApp(authority, need(env, ENV.clientId), env[ENV.secret], env[ENV.certFile]);
    out.graph = msalToken(app, `${new URL(conn.graphUrl).origin}/.default`, "Microsoft Graph");
  }
  if (conn.practiceUrl) {
    const scope = need(env, ENV.practiceScope);
    const separate = env[ENV.practiceClientId];
    const app = separate
      ? confidentialApp(authority, separate, env[ENV.practiceSecret], undefined)
      : confidentialApp(authority, need(env, ENV.clientId), env[ENV.secret], env[ENV.certFile]);
    out.practice = msalToken(app, scope, "the practice API");
  }
  return out;
}

/**
 * The MSAL application, made on the first token request. The settings are checked at once (a usage
 * error before any work), but msal-node itself is loaded only when a token is needed: a run that never
 * asks for one (--dev-auth, `status`) does not pay for loading it at start.
 */
function confidentialApp(
  authority: string,
  clientId: string,
  secret: string | undefined,
  certFile: string | undefined,
): () => Promise<ConfidentialClientApplication> {
  if (!secret && !certFile) {
    throw usageError(`Set ${ENV.secret} or ${ENV.certFile} (or use --dev-auth against the local servers).`);
  }
  let config: Configuration;
  if (secret) config = { auth: { clientId, authority, clientSecret: secret } };
  else {
    const pem = readCertFile(certFile!);
    config = { auth: { clientId, authority, clientCertificate: { thumbprintSha256: pem.thumbprint, privateKey: pem.privateKey } } };
  }
  let app: Promise<ConfidentialClientApplication> | undefined;
  return () => (app ??= import("@azure/msal-node").then((msal) => new msal.ConfidentialClientApplication(config)));
}

/** One PEM file with the certificate and its private key, as Entra ID's certificate credential needs. */
function readCertFile(file: string): { thumbprint: string; privateKey: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw usageError(`Cannot read ${ENV.certFile} (${file}): ${(err as Error).message}`);
  }
  const cert = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  const key = text.match(/-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/)?.[0];
  if (!cert || !key) throw usageError(`${ENV.certFile} must hold both the certificate and its private key in PEM form.`);
  return { thumbprint: new X509Certificate(cert).fingerprint256.replace(/:/g, ""), privateKey: key };
}

function msalToken(app: () => Promise<ConfidentialClientApplication>, scope: string, what: string): GetToken {
  // msal-node caches the token and renews it near expiry by itself; callers that come while a request
  // is out (the run asks early, connect.ts) share it instead of sending a second one.
  let pending: Promise<string> | null = null;
  const acquire = async () => {
    let result;
    try {
      result = await (await app()).acquireTokenByClientCredential({ scopes: [scope] });
    } catch (err) {
      // MSAL's errorCode (e.g. invalid_client) says what is wrong without echoing the secret.
      const code = (err as { errorCode?: string }).errorCode ?? "error";
      throw new CliError(EXIT.usage, `Could not get a token for ${what} (${code}); check the app registration and ${ENV.tenant}/${ENV.clientId}.`);
    }
    if (!result?.accessToken) throw new CliError(EXIT.usage, `Entra ID returned no token for ${what}.`);
    return result.accessToken;
  };
  return () => (pending ??= acquire().finally(() => (pending = null)));
}

function need(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw usageError(`Missing the environment variable ${name} (see docs/cli.md), or use --dev-auth against the local servers.`);
  return v;
}

function causeOf(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
