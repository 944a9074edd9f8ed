// The stable problem `type` codes of the contract (openapi.yaml, Problem.type). Clients switch on these.
export const PROBLEM_PREFIX = "urn:practice-api:problem:";

export const PROBLEM_CODES = [
  "invalid-request",
  "invalid-json",
  "unsupported-media-type",
  "payload-too-large",
  "unauthorized",
  "insufficient-scope",
  "forbidden",
  "not-found",
  "stale-version",
  "precondition-required",
  "invalid-filter",
  "invalid-reference",
  "idempotency-key-reused",
  "cannot-delete-client",
  "invalid-cursor",
  "cursor-expired",
  "lease-held",
  "limit-exceeded",
  "rate-limited",
  "internal",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export function problemType(code: ProblemCode): string {
  return PROBLEM_PREFIX + code;
}

/** The code of a problem type, or undefined when it is not one of ours. */
export function problemCode(type: string): ProblemCode | undefined {
  if (!type.startsWith(PROBLEM_PREFIX)) return undefined;
  const code = type.slice(PROBLEM_PREFIX.length);
  return (PROBLEM_CODES as readonly string[]).includes(code) ? (code as ProblemCode) : undefined;
}
