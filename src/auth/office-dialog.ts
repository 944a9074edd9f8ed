// The last-resort sign-in path: older Outlook clients block MSAL's popup, so the pane opens its own
// auth-dialog.html in an Office dialog, which signs in with a redirect and posts the result back.
import { AUTH_DIALOG_PAGE } from "./auth-config";

type AsyncResult<T> = { status: string; value: T; error?: { code?: number; message?: string } | null };

/** What Office passes to a dialog's handlers: a message (with its sender's origin) or an event code. */
export interface DialogEventArg {
  message?: string;
  /** The sending page's origin; undefined on clients without DialogOrigin 1.1. */
  origin?: string;
  error?: number;
}

export interface OfficeDialogLike {
  addEventHandler(eventType: string, handler: (arg: DialogEventArg) => void): void;
  close(): void;
}

/** The slice of Office.context.ui (plus the event names) this module needs. */
export interface OfficeUiLike {
  displayDialogAsync(
    url: string,
    options: { height: number; width: number; promptBeforeOpen?: boolean },
    callback: (result: AsyncResult<OfficeDialogLike>) => void,
  ): void;
  messageEvent: string;
  closedEvent: string;
}

/** Office's code when the user closed the dialog window. */
const DIALOG_CLOSED_BY_USER = 12006;

export function authDialogUrl(
  pageUrl: string,
  params: {
    clientId: string;
    authority: string;
    scopes: readonly string[];
    loginHint: string | null;
    /** A claims challenge's JSON, for a token that must carry it. */
    claims?: string | null;
    /** Ask which account (after sign-out), instead of signing in the hinted one. */
    selectAccount?: boolean;
  },
): string {
  const url = new URL(AUTH_DIALOG_PAGE, pageUrl);
  url.searchParams.set("clientId", params.clientId);
  url.searchParams.set("authority", params.authority);
  url.searchParams.set("scopes", params.scopes.join(" "));
  if (params.loginHint) url.searchParams.set("loginHint", params.loginHint);
  if (params.claims) url.searchParams.set("claims", params.claims);
  if (params.selectAccount) url.searchParams.set("prompt", "select_account");
  return url.href;
}

/**
 * Whether a dialog message may be trusted as the pane's own auth page. The dialog navigates through the
 * identity provider's pages, and with DialogOrigin 1.1 a page of another domain listed in AppDomains can
 * call messageParent too; only our own page's answer carries a token, so anything else is ignored.
 * Clients without DialogOrigin 1.1 give no origin, but they deliver messageParent only from a page of
 * the parent's own domain (learn.microsoft.com/office/dev/add-ins/develop/dialog-api-in-office-add-ins,
 * "Cross-domain messaging"), so undefined is accepted.
 */
export function fromPaneOrigin(origin: string | undefined, paneOrigin: string): boolean {
  return origin === undefined || origin === paneOrigin;
}

/**
 * Opens the dialog and resolves with the first message the pane's own auth page posts (a JSON string).
 * `paneOrigin` is the task pane's origin; the dialog page must live there and so must every message taken.
 */
export function openOfficeDialog(ui: OfficeUiLike, url: string, paneOrigin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (new URL(url).origin !== paneOrigin) {
      reject(new Error(`The sign-in dialog must be served from the pane's origin (${paneOrigin}), not ${new URL(url).origin}.`));
      return;
    }
    ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (result) => {
      if (result.status !== "succeeded") {
        reject(new Error(`The sign-in dialog could not open: ${result.error?.message ?? "unknown error"}`));
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(ui.messageEvent, (arg) => {
        if (!fromPaneOrigin(arg.origin, paneOrigin)) {
          console.warn(`Ignored a sign-in dialog message from ${String(arg.origin)}: only ${paneOrigin} may answer.`);
          return;
        }
        dialog.close();
        if (typeof arg.message === "string") resolve(arg.message);
        else reject(new Error("The sign-in dialog closed without an answer."));
      });
      dialog.addEventHandler(ui.closedEvent, (arg) => {
        reject(
          new Error(arg.error === DIALOG_CLOSED_BY_USER ? "Sign-in was cancelled." : `The sign-in dialog failed (${arg.error}).`),
        );
      });
    });
  });
}
