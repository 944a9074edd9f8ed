// Access tokens signed by the emulator (HMAC-SHA256 over a small JSON claim set). They stand in for
// Entra ID tokens: a delegated token names one mailbox (upn); an application token ("app": true)
// reaches every mailbox, like the application permission Contacts.ReadWrite (C-GET, C-LIST).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Caller } from "./graph-types";

interface Claims {
  upn: string | null;
  app: boolean;
  appId: string;
  exp: number;
}

export const DEFAULT_APP_ID = "practice-contact-sync";
const PREFIX = "emu1";

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function issueToken(secret: string, claims: { upn?: string; app?: boolean; appId?: string; expiresInSeconds: number }, now: Date): string {
  const body: Claims = {
    upn: claims.app ? null : (claims.upn ?? "").toLowerCase(),
    app: claims.app === true,
    appId: claims.appId ?? DEFAULT_APP_ID,
    exp: Math.floor(now.getTime() / 1000) + claims.expiresInSeconds,
  };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return `${PREFIX}.${payload}.${sign(secret, payload)}`;
}

export type TokenCheck = { ok: true; caller: Caller } | { ok: false; reason: string };

/** Checks "Authorization: Bearer <token>": signature, expiry and shape. */
export function verifyAuthorization(secret: string, header: string | undefined, now: Date): TokenCheck {
  if (!header) return { ok: false, reason: "Access token is empty." };
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) return { ok: false, reason: "Access token is empty." };
  const parts = m[1]!.split(".");
  if (parts.length !== 3 || parts[0] !== PREFIX) return { ok: false, reason: "IDX14100: JWT is not well formed." };
  const expected = Buffer.from(sign(secret, parts[1]!));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "Access token validation failure. Invalid signature." };
  }
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Claims;
  } catch {
    return { ok: false, reason: "IDX14100: JWT is not well formed." };
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now.getTime()) {
    return { ok: false, reason: "Lifetime validation failed, the token is expired." };
  }
  if (!claims.app && !claims.upn) return { ok: false, reason: "Access token has no user." };
  return { ok: true, caller: { kind: claims.app ? "app" : "user", upn: claims.upn, appId: claims.appId } };
}
