// Claims challenges (continuous access evaluation, conditional access): with the CP1 client capability
// declared (msal-config.ts), Graph or an API may answer 401 with
//   WWW-Authenticate: Bearer realm="", error="insufficient_claims", claims="<base64 JSON>"
// instead of waiting for the token to expire. The client must get a new token carrying those claims and
// send the request again, once (learn.microsoft.com/entra/identity-platform/claims-challenge).

/** The decoded claims JSON of a claims challenge, or null when the header carries none (or garbage). */
export function parseClaimsChallenge(wwwAuthenticate: string | null | undefined): string | null {
  if (!wwwAuthenticate) return null;
  // Auth-params are name=value or name="quoted value" (RFC 9110 §11.2); only `claims` matters here.
  const match = /(?:^|[\s,])claims\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/i.exec(wwwAuthenticate);
  const raw = match ? (match[1] ?? match[2]).replace(/\\(.)/g, "$1") : "";
  if (!raw) return null;
  for (const candidate of [decodeBase64(raw), raw]) {
    if (candidate === null) continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return candidate;
    } catch {
      // not this form
    }
  }
  return null;
}

function decodeBase64(value: string): string | null {
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return null;
  try {
    const binary = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "="));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Gets a token for the same resource, carrying the challenge's claims. */
export type ClaimsTokenGetter = (claims: string) => Promise<string>;

/**
 * Wraps a fetch: a 401 carrying a claims challenge, on a request that was sent with a bearer token, is
 * answered by getting a token with those claims and sending the same request again, once. Any other
 * answer (and the retry's answer, whatever it is) goes back to the caller unchanged.
 */
export function withClaimsChallenge(fetchImpl: typeof fetch, getToken: ClaimsTokenGetter): typeof fetch {
  return async (input, init) => {
    // The caller's arguments go through untouched (init may carry a runtime's own options, such as
    // Node's dispatcher); only the replay gets a new Authorization header.
    const isRequest = typeof Request !== "undefined" && input instanceof Request;
    const headers = init?.headers ? new Headers(init.headers) : isRequest ? input.headers : new Headers();
    if (!/^Bearer\s/i.test(headers.get("Authorization") ?? "")) return fetchImpl(input, init);
    const replayInput = isRequest ? input.clone() : input; // before the first send consumes the body
    const response = await fetchImpl(input, init);
    if (response.status !== 401) return response;
    const claims = parseClaimsChallenge(response.headers.get("WWW-Authenticate"));
    if (!claims) return response;
    const token = await getToken(claims);
    await response.body?.cancel().catch(() => undefined);
    const replayHeaders = new Headers(headers);
    replayHeaders.set("Authorization", `Bearer ${token}`);
    if (init?.headers || !isRequest) return fetchImpl(replayInput, { ...init, headers: replayHeaders });
    return fetchImpl(new Request(replayInput as Request, { headers: replayHeaders }));
  };
}
