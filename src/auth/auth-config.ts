// Settings and scopes for sign-in (no MSAL import here: this module is in the first load). Values come from config.json's "auth" section
// (client id, authority, the practice API's scope) so one build serves every tenant.
export interface AuthSettings {
  clientId: string;
  /** Defaults to work and school accounts of any tenant; a firm usually pins its own tenant. */
  authority?: string;
  /** The practice API's delegated scope, e.g. api://<app id>/access_as_user. */
  practiceScope: string;
}

export const DEFAULT_AUTHORITY = "https://login.microsoftonline.com/organizations";

/** Graph is always reached with graph.microsoft.com scopes, whatever graphUrl says (a national cloud aside). */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** Least privilege to read, create and update contacts and folders in the user's own mailbox. */
export const GRAPH_OWN_MAILBOX_SCOPES = [`${GRAPH_RESOURCE}/Contacts.ReadWrite`];
/** Only when the user picks a shared mailbox's folder (research: addin-conventions §4). */
export const GRAPH_SHARED_MAILBOX_SCOPES = [`${GRAPH_RESOURCE}/Contacts.ReadWrite.Shared`];

/** The MSAL v5 redirect bridge page (a separate webpack entry, served without COOP). */
export const REDIRECT_BRIDGE_PAGE = "redirect.html";
/** The Office dialog fallback page for clients that block popups. */
export const AUTH_DIALOG_PAGE = "auth-dialog.html";
