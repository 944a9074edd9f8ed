// Pure helpers: which scopes to ask for, how to read MSAL's errors, and how to check what the Office
// dialog sends back. No state, no I/O.
import { GRAPH_OWN_MAILBOX_SCOPES, GRAPH_SHARED_MAILBOX_SCOPES } from "./auth-config";

export function graphScopes(opts: { shared?: boolean } = {}): string[] {
  return opts.shared ? [...GRAPH_SHARED_MAILBOX_SCOPES] : [...GRAPH_OWN_MAILBOX_SCOPES];
}

/** A stable key for a scope set (order-insensitive). */
export function scopeKey(scopes: readonly string[]): string {
  return [...scopes].map((s) => s.toLowerCase()).sort().join(" ");
}

function errorCode(error: unknown): string {
  const e = error as { errorCode?: unknown; name?: unknown } | null;
  return typeof e?.errorCode === "string" ? e.errorCode : "";
}

/** Silent acquisition failed in a way only the user can fix (consent, MFA, no account yet). */
export function needsInteraction(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "InteractionRequiredAuthError") return true;
  return [
    "interaction_required",
    "consent_required",
    "login_required",
    "no_account_error",
    "no_tokens_found",
    "native_account_unavailable",
    "invalid_grant",
    "bad_token",
  ].includes(errorCode(error));
}

/** The popup could not open (older Outlook clients block about:blank popups): use the Office dialog. */
export function popupUnavailable(error: unknown): boolean {
  return ["popup_window_error", "empty_window_error", "block_nested_popups"].includes(errorCode(error));
}

/** The user closed the sign-in window; not an error worth more than a message. */
export function userCancelled(error: unknown): boolean {
  return errorCode(error) === "user_cancelled";
}

export interface DialogTokenResult {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresOn: number;
  username: string | null;
}

/**
 * Checks the message the auth dialog posts back. It arrives as a string from another window, so it is
 * parsed defensively; the token itself never appears in the error text.
 */
export function parseDialogMessage(message: string): DialogTokenResult {
  let data: unknown;
  try {
    data = JSON.parse(message);
  } catch {
    throw new Error("The sign-in dialog sent back something that is not JSON.");
  }
  const d = data as { accessToken?: unknown; expiresOn?: unknown; username?: unknown; error?: unknown };
  if (typeof d?.error === "string") throw new Error(`Sign-in failed: ${d.error}`);
  if (typeof d?.accessToken !== "string" || d.accessToken.length === 0) {
    throw new Error("The sign-in dialog returned no access token.");
  }
  if (typeof d.expiresOn !== "number" || !Number.isFinite(d.expiresOn)) {
    throw new Error("The sign-in dialog returned a token without an expiry.");
  }
  return {
    accessToken: d.accessToken,
    expiresOn: d.expiresOn,
    username: typeof d.username === "string" ? d.username : null,
  };
}

/** A readable description of an auth error that never includes a token or a URL fragment. */
export function describeAuthError(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const safe = message.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[token]").replace(/#.*$/s, "");
  return code && !safe.includes(code) ? `${code}: ${safe}` : safe;
}
