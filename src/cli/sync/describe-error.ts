// Maps any failure of a run to an exit code and one readable sentence (never a stack trace, never a token).
import { MalformedResponseError, StoreUnavailableError } from "../../sync/ports";
import { CliError, EXIT, type ExitCode } from "./exit-codes";

const SIDE = { practice: "the practice API", outlook: "Microsoft Graph" } as const;

export function describeError(err: unknown): { exitCode: ExitCode; message: string } {
  if (err instanceof CliError) return { exitCode: err.exitCode, message: err.message };
  const named = err as { name?: string; stop?: { reason?: string }; message?: string };
  if (named?.name === "SafetyStopError") {
    return { exitCode: EXIT.safetyStop, message: `Stopped by the safety valve (R15): ${named.stop?.reason ?? named.message}` };
  }
  if (err instanceof StoreUnavailableError || named?.name === "StoreUnavailableError") {
    const e = err as StoreUnavailableError;
    if (e.status === 401 || e.status === 403) {
      return {
        exitCode: EXIT.usage,
        message: `${capital(SIDE[e.side])} refused the credentials (HTTP ${e.status}): check the app registration, its permissions and the mailbox. ${e.message}`,
      };
    }
    if (e.status === 404) {
      return { exitCode: EXIT.usage, message: `${capital(SIDE[e.side])} did not find what was asked for (HTTP 404): ${e.message}` };
    }
    return { exitCode: EXIT.unexpected, message: `${capital(SIDE[e.side])} is unavailable; nothing was lost, run again later. ${e.message}` };
  }
  if (err instanceof MalformedResponseError || named?.name === "MalformedResponseError") {
    const e = err as MalformedResponseError;
    return { exitCode: EXIT.unexpected, message: `${capital(SIDE[e.side])} answered with something unexpected; nothing was written for it. ${e.message}` };
  }
  if (err instanceof Error && typeof (err as { status?: unknown }).status === "number" && /Folder|Filter/.test(err.name)) {
    // The adapters' folder and filter errors carry a message written for the user (access, not found, exists).
    return { exitCode: EXIT.usage, message: err.message };
  }
  if (named?.name === "FilterMissingError") return { exitCode: EXIT.usage, message: named.message ?? "The filter no longer exists." };
  if (named?.name === "AbortError") return { exitCode: EXIT.unexpected, message: "Cancelled; what was applied is kept and the rest comes back next run." };
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: EXIT.unexpected, message: `Unexpected error: ${message}` };
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
