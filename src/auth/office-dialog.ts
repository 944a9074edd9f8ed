// The last-resort sign-in path: older Outlook clients block MSAL's popup, so the pane opens its own
// auth-dialog.html in an Office dialog, which signs in with a redirect and posts the result back.
import { AUTH_DIALOG_PAGE } from "./auth-config";

type AsyncResult<T> = { status: string; value: T; error?: { code?: number; message?: string } | null };

export interface OfficeDialogLike {
  addEventHandler(eventType: string, handler: (arg: { message?: string; error?: number }) => void): void;
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
  params: { clientId: string; authority: string; scopes: readonly string[]; loginHint: string | null },
): string {
  const url = new URL(AUTH_DIALOG_PAGE, pageUrl);
  url.searchParams.set("clientId", params.clientId);
  url.searchParams.set("authority", params.authority);
  url.searchParams.set("scopes", params.scopes.join(" "));
  if (params.loginHint) url.searchParams.set("loginHint", params.loginHint);
  return url.href;
}

/** Opens the dialog and resolves with the first message it posts (a JSON string). */
export function openOfficeDialog(ui: OfficeUiLike, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (result) => {
      if (result.status !== "succeeded") {
        reject(new Error(`The sign-in dialog could not open: ${result.error?.message ?? "unknown error"}`));
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(ui.messageEvent, (arg) => {
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
