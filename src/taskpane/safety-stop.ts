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
