// Errors the routes throw; the app's error handler turns them into application/problem+json.
import { problemType, type ProblemCode } from "../problem-types";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  holder?: { staffId: string; name: string; device?: string };
  expiresAt?: string;
  /** With lease-held: the holder is the caller on another device or session. */
  sameStaff?: boolean;
  /** With limit-exceeded: which limit, and its value. */
  limit?: { name: string; max: number };
}

const TITLES: Record<ProblemCode, string> = {
  "invalid-request": "The request is not valid",
  "invalid-json": "The body is not valid JSON",
  "unsupported-media-type": "The body must be application/json",
  "payload-too-large": "The body is too large",
  unauthorized: "Authentication is required",
  "insufficient-scope": "The token does not allow this",
  forbidden: "Not allowed",
  "not-found": "Not found",
  "stale-version": "The record has changed since it was read",
  "precondition-required": "If-Match is required",
  "invalid-filter": "The filter is not valid",
  "invalid-reference": "A referenced record does not exist",
  "idempotency-key-reused": "The idempotency key was used for a different request",
  "cannot-delete-client": "Clients cannot be deleted",
  "invalid-cursor": "The cursor is not valid",
  "cursor-expired": "The cursor has expired; list the contacts again",
  "lease-held": "Another staff member is syncing this folder",
  "limit-exceeded": "A limit was reached",
  "rate-limited": "Too many requests",
  internal: "Internal error",
};

export class ProblemError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly extra: Partial<ProblemBody>;
  constructor(status: number, code: ProblemCode, detail?: string, extra: Partial<ProblemBody> = {}) {
    super(detail ?? TITLES[code]);
    this.status = status;
    this.code = code;
    this.extra = { ...extra, ...(detail ? { detail } : {}) };
  }
  toBody(): ProblemBody {
    return problemBody(this.status, this.code, this.extra);
  }
}

export function problemBody(status: number, code: ProblemCode, extra: Partial<ProblemBody> = {}): ProblemBody {
  return { type: problemType(code), title: TITLES[code], status, ...extra };
}

export const notFound = (what = "No such record.") => new ProblemError(404, "not-found", what);
export const invalid = (detail: string, errors?: ProblemBody["errors"]) =>
  new ProblemError(400, "invalid-request", detail, errors ? { errors } : {});
