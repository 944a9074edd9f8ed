// The client's error for a problem the API answered with (4xx): the status and the parsed problem, so
// callers can switch on `code` (e.g. "lease-held" with its holder, "invalid-filter" with its errors).
import { problemCode, type ProblemCode } from "./problem-types";

export interface Problem {
  type: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  holder?: { staffId: string; name: string; device?: string };
  expiresAt?: string;
  /** With lease-held: the holder is the caller on another device or session. */
  sameStaff?: boolean;
}

export class PracticeApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** The stable problem code, when the server used one of the contract's. */
  readonly code: ProblemCode | undefined;
  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `The practice API answered ${status}.`);
    this.name = "PracticeApiError";
    this.status = status;
    this.problem = problem;
    this.code = problemCode(problem.type);
  }
}
