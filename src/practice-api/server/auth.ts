// Bearer JWT authentication (jose): signature from a JWKS, issuer, audience, expiry, and a scope claim.
// Production trusts Entra ID through jwksUrl; development mode adds a local signing key whose tokens
// POST /dev/token hands out. Tokens are never logged: errors name the failed check, not the token.
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, type JWTPayload } from "jose";
import { randomUUID } from "node:crypto";
import { isSecureOrLoopbackUrl } from "./loopback";
import { ProblemError } from "./problem";

export const READ_SCOPE = "Practice.Read";
export const WRITE_SCOPE = "Practice.ReadWrite";
export const DEV_ISSUER = "urn:practice-server:dev";
export const DEFAULT_AUDIENCE = "api://practice-contact-sync";

export interface VerifiedToken {
  /** The Entra object id: the only claim a staff member is recognised by once bound. */
  oid?: string;
  /** `preferred_username` only (never `email` or `upn`, which a tenant admin or user can set freely). */
  signInName?: string;
  /** The Entra tenant (`tid`): names the firm on a server that hosts several. */
  tenantId?: string;
  /** Issued by this server's development key (POST /dev/token), not by the production issuer. */
  dev: boolean;
  /** An application token (client credentials): no user behind it, so its `roles` are its scopes. */
  appOnly: boolean;
  scopes: string[];
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

interface Trusted {
  issuer: string;
  audience: string;
  keys: KeySet;
}

export interface AuthOptions {
  devAuth: boolean;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  now: () => number;
}

export interface Authenticator {
  verify(authorization: string | undefined): Promise<VerifiedToken>;
  /** Development only: undefined without devAuth. */
  issueDevToken?: (claims: { oid: string; email: string; scope: string; expiresInSeconds: number }) => Promise<string>;
}

const unauthorized = (detail: string) => new ProblemError(401, "unauthorized", detail);

export async function createAuthenticator(opts: AuthOptions): Promise<Authenticator> {
  const trusted: Trusted[] = [];
  let issueDevToken: Authenticator["issueDevToken"];
  if (opts.jwksUrl && opts.devAuth)
    throw new Error("Development auth cannot be combined with a JWKS URL: anyone could mint tokens for the production audience.");
  if (opts.jwksUrl) {
    if (!opts.issuer || !opts.audience) throw new Error("jwksUrl needs an issuer and an audience.");
    // Keys fetched in clear text could be replaced on the way; only this machine may serve them over http.
    if (!isSecureOrLoopbackUrl(opts.jwksUrl)) throw new Error("The JWKS URL must be https:// (http only on a loopback host).");
    trusted.push({ issuer: opts.issuer, audience: opts.audience, keys: createRemoteJWKSet(new URL(opts.jwksUrl)) as unknown as KeySet });
  }
  if (opts.devAuth) {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
    const audience = opts.audience ?? DEFAULT_AUDIENCE;
    trusted.push({ issuer: DEV_ISSUER, audience, keys: createLocalJWKSet({ keys: [jwk] }) });
    issueDevToken = async ({ oid, email, scope, expiresInSeconds }) => {
      const iat = Math.floor(opts.now() / 1000);
      return new SignJWT({ oid, preferred_username: email, scp: scope })
        .setProtectedHeader({ alg: "ES256", kid, typ: "JWT" })
        .setIssuer(DEV_ISSUER)
        .setAudience(audience)
        .setSubject(oid)
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresInSeconds)
        .sign(privateKey);
    };
  }
  if (trusted.length === 0) throw new Error("Configure a JWKS URL (with issuer and audience) or development auth.");

  async function verify(authorization: string | undefined): Promise<VerifiedToken> {
    if (!authorization) throw unauthorized("A bearer token is required.");
    const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
    if (!m) throw unauthorized("The Authorization header is not a bearer JWT.");
    const token = m[1];
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw unauthorized("The token cannot be decoded.");
    }
    const t = trusted.find((x) => x.issuer === iss);
    if (!t) throw unauthorized("The token's issuer is not trusted.");
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, t.keys, {
        issuer: t.issuer,
        audience: t.audience,
        algorithms: ["RS256", "ES256", "PS256"],
        requiredClaims: ["exp"],
        currentDate: new Date(opts.now()),
        clockTolerance: 30,
      }));
    } catch (e) {
      const code = (e as { code?: string }).code ?? "";
      const why =
        code === "ERR_JWT_EXPIRED"
          ? "The token has expired."
          : code === "ERR_JWT_CLAIM_VALIDATION_FAILED"
            ? `The token's ${(e as { claim?: string }).claim ?? "claims"} claim is not accepted.`
            : code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" || code === "ERR_JWKS_NO_MATCHING_KEY"
              ? "The token's signature is not valid."
              : "The token is not valid.";
      throw unauthorized(why);
    }
    const scp = typeof payload.scp === "string" ? payload.scp.split(" ").filter(Boolean) : [];
    // Entra puts delegated permissions in `scp` and app roles in `roles`. A user token can carry roles
    // assigned to the user, which must not grant API scopes; so roles count only in app-only tokens
    // (`idtyp: app`, or no `scp` at all). https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
    const appOnly = payload.idtyp === "app" || (payload.scp === undefined && payload.idtyp !== "user");
    const roles = appOnly && Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string" && r !== "") : [];
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    return {
      oid: str(payload.oid),
      signInName: appOnly ? undefined : str(payload.preferred_username),
      tenantId: str(payload.tid),
      dev: t.issuer === DEV_ISSUER,
      appOnly,
      scopes: appOnly ? roles : scp,
    };
  }

  return { verify, issueDevToken };
}

export function canRead(scopes: string[]): boolean {
  return scopes.includes(READ_SCOPE) || scopes.includes(WRITE_SCOPE);
}

export function canWrite(scopes: string[]): boolean {
  return scopes.includes(WRITE_SCOPE);
}
