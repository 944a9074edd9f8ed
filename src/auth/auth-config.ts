// Configuration for MSAL and the scopes the pane asks for. Values come from config.json's "auth" section
// (client id, authority, the practice API's scope) so one build serves every tenant.
import { LogLevel, type Configuration } from "@azure/msal-browser";

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

export function msalConfiguration(settings: AuthSettings, pageUrl: string): Configuration {
  return {
    auth: {
      clientId: settings.clientId,
      authority: settings.authority ?? DEFAULT_AUTHORITY,
      redirectUri: new URL(REDIRECT_BRIDGE_PAGE, pageUrl).href,
      // Continuous access evaluation: Graph may answer 401 with a claims challenge instead of waiting for expiry.
      clientCapabilities: ["CP1"],
    },
    // MSAL's own cache is the only place a token is kept; NAA reads it first too.
    cache: { cacheLocation: "localStorage" },
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          if (level === LogLevel.Error) console.error(`[msal] ${message}`);
          else if (level === LogLevel.Warning) console.warn(`[msal] ${message}`);
        },
      },
    },
  };
}
