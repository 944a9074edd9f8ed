// Recognises the engine's SafetyStopError (R15) without importing the engine's class, so the pane
// keeps working against any session that follows the contract.
import type { SafetyStop } from "../sync/plan-types";

export function safetyStopOf(err: unknown): SafetyStop | null {
  if (!err || typeof err !== "object") return null;
  const e = err as { name?: unknown; stop?: unknown };
  if (e.name !== "SafetyStopError" || !e.stop || typeof e.stop !== "object") return null;
  return e.stop as SafetyStop;
}

/** A readable message for any failure, never a stack trace. */
export function messageOf(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  if (typeof err === "string" && err) return err;
  return "Something went wrong.";
}

/** A failed sync, classified so Status can say which side failed and what to do. */
export interface SyncFailure {
  /**
   * outlook / practice: that store could not be reached or refused; filter: the user's filter was
   * deleted; lease: someone else (or another device of the user) is syncing the folder (R18).
   */
  kind: "outlook" | "practice" | "filter" | "lease" | "other";
  /** The full message, shown only behind "Details". */
  message: string;
  /** For a lease: who holds it and until when, so the pane can say so in its own words. */
  lease?: { holder: string; until?: string; sameStaff: boolean };
}

export function failureOf(err: unknown): SyncFailure {
  const message = messageOf(err);
  const e = (err && typeof err === "object" ? err : {}) as { name?: unknown; side?: unknown; holder?: unknown; until?: unknown; sameStaff?: unknown };
  if (e.name === "FilterMissingError") return { kind: "filter", message };
  if (e.name === "LeaseHeldError" && typeof e.holder === "string") {
    const until = typeof e.until === "string" ? e.until : undefined;
    return { kind: "lease", message, lease: { holder: e.holder, ...(until ? { until } : {}), sameStaff: e.sameStaff === true } };
  }
  if (e.name === "StoreUnavailableError" && (e.side === "outlook" || e.side === "practice")) return { kind: e.side, message };
  return { kind: kindOfMessage(message), message };
}

/** For failures known only by their words (a run record's message). */
export function kindOfMessage(message: string): SyncFailure["kind"] {
  if (/contact filter .* no longer exists/i.test(message)) return "filter";
  if (/\b(outlook|graph|mailbox)\b/i.test(message)) return "outlook";
  if (/\bpractice\b/i.test(message)) return "practice";
  return "other";
}
