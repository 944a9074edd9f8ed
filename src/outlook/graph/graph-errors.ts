// Turning Graph failures into the engine's words (src/sync/ports.ts). Error codes: research/graph-contacts.md §3.1.
import type { WriteError, WriteErrorCode } from "../../sync/ports";
import { StoreUnavailableError } from "../../sync/ports";

export interface GraphFailure {
  /** HTTP status; 0 when no response arrived (network failure, aborted). */
  status: number;
  code: string;
  message: string;
}

/** Reads what the SDK's GraphError (statusCode, code, message) or a plain error says. */
export function describeFailure(err: unknown): GraphFailure {
  if (err && typeof err === "object") {
    const e = err as { statusCode?: unknown; code?: unknown; message?: unknown };
    const status = typeof e.statusCode === "number" && e.statusCode > 0 ? e.statusCode : 0;
    return { status, code: typeof e.code === "string" ? e.code : "", message: typeof e.message === "string" ? e.message : String(err) };
  }
  return { status: 0, code: "", message: String(err) };
}

/** Reads Graph's error body `{error: {code, message}}` (a batch item's body). */
export function failureFromBody(status: number, body: unknown): GraphFailure {
  const error = body && typeof body === "object" ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  return {
    status,
    code: typeof error?.code === "string" ? error.code : "",
    message: typeof error?.message === "string" && error.message !== "" ? error.message : `HTTP ${status}`,
  };
}

function codeFor(status: number): WriteErrorCode {
  if (status === 400 || status === 422) return "invalid";
  if (status === 401 || status === 403) return "forbidden";
  if (status === 404 || status === 410) return "not_found";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "throttled";
  // 424: never attempted because an earlier item of its dependsOn chain failed (§5): safe to send again.
  if (status === 424) return "unavailable";
  if (status === 0 || status >= 500) return "unavailable";
  return "unknown";
}

export function writeErrorFrom(f: GraphFailure): WriteError {
  const code = codeFor(f.status);
  const where = f.status ? `Outlook answered ${f.status}${f.code ? ` ${f.code}` : ""}` : "Outlook could not be reached";
  return { code, message: `${where}: ${f.message}`, retryable: code === "throttled" || code === "unavailable" };
}

export function unavailable(what: string, f: GraphFailure): StoreUnavailableError {
  const where = f.status ? `HTTP ${f.status}${f.code ? ` ${f.code}` : ""}` : "no answer";
  return new StoreUnavailableError("outlook", `Could not ${what} (${where}): ${f.message}`, f.status || undefined);
}
