// Graph's error body and the Outlook error codes the emulator answers with.
// Body shape: ERR ({"error":{"code","message","innerError":{"request-id","date","client-request-id"}}});
// the SDK reads exactly these keys (SDK GraphErrorHandler.ts), so the casing of innerError matters.

/** A failure that becomes a Graph error response. Thrown anywhere below the router. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  /** Extra innerError members (the throttling sample carries code/status/message there: THR). */
  readonly inner: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}, inner: Record<string, string> = {}) {
    super(message);
    this.name = "GraphError";
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.inner = inner;
  }
}

/** Graph's innerError.date is UTC without a zone suffix and second precision (ERR and THR samples). */
export function innerErrorDate(now: Date): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(err: GraphError, requestId: string, clientRequestId: string | undefined, now: Date): unknown {
  const innerError: Record<string, string> = { ...err.inner, date: innerErrorDate(now), "request-id": requestId };
  if (clientRequestId) innerError["client-request-id"] = clientRequestId;
  return { error: { code: err.code, message: err.message, innerError } };
}

// ---- the codes (sources in graph-contacts.md §3.1, §4, §6) -----------------------------------

export const itemNotFound = (): GraphError =>
  // [O] microsoft/MHA#77: well-formed id that does not exist.
  new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");

export const idMalformed = (): GraphError =>
  // [O] microsoftgraph/microsoft-graph-docs#2268.
  new GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");

export const idEmpty = (): GraphError =>
  // [O] gscales/Exch-Rest#28 (status not shown there: 400 is assumed).
  new GraphError(400, "ErrorInvalidIdEmpty", "Id must be non-empty.");

export const accessDenied = (): GraphError =>
  // [O] microsoftgraph/msgraph-sdk-powershell#1860.
  new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");

export const folderExists = (): GraphError =>
  // [O] alcionai/corso#3278 (message text assumed).
  new GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.");

export const invalidToken = (message = "Access token validation failure. Invalid audience."): GraphError =>
  // ERR lists 401 Unauthorized; the code InvalidAuthenticationToken is what Graph answers for a bad token [O].
  new GraphError(401, "InvalidAuthenticationToken", message, { "WWW-Authenticate": 'Bearer realm="", error="invalid_token"' });

export const badRequest = (message: string, code = "BadRequest"): GraphError => new GraphError(400, code, message);

export const segmentNotFound = (segment: string): GraphError =>
  // [O] Graph's answer to an unknown path segment.
  new GraphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = (): GraphError =>
  new GraphError(405, "ErrorInvalidRequest", "The OData request is not supported.");

export const syncStateNotFound = (message: string, location?: string): GraphError =>
  // [O] microsoftgraph/microsoft-graph-docs#2350 (410, PascalCase code); Location for a reset is DQ.
  new GraphError(410, "SyncStateNotFound", message, location ? { Location: location } : {});

export const applicationThrottled = (retryAfterSeconds: number, limit = "MailboxConcurrency"): GraphError =>
  // [O] magodo/terraform-provider-outlook#21 (the MailboxConcurrency text); Retry-After per THR.
  // The text for the 10,000-per-10-minutes limit is assumed to follow the same pattern [U].
  new GraphError(429, "ApplicationThrottled", `Application is over its ${limit} limit.`, {
    "Retry-After": String(retryAfterSeconds),
  });

export const tooManyRequests = (retryAfterSeconds: number): GraphError =>
  // THR sample body (graph-examples/throttled-429-response.json).
  new GraphError(429, "TooManyRequests", "Please retry again later.", { "Retry-After": String(retryAfterSeconds) }, {
    code: "429",
    message: "Please retry after",
    status: "429",
  });

export const serviceUnavailable = (status: 503 | 504, retryAfterSeconds?: number): GraphError =>
  // ERR: 503 "temporarily unavailable", 504 may come with it. The codes are ERR's generic ones [U].
  new GraphError(
    status,
    status === 503 ? "serviceNotAvailable" : "gatewayTimeout",
    status === 503 ? "The service is temporarily unavailable. Please retry after a delay." : "The gateway timed out.",
    retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {},
  );
