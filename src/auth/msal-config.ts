// MSAL's configuration, built from config.json's "auth" section. Only the MSAL owner and the auth
// dialog import this, so MSAL itself stays out of the pane's first load.
import { LogLevel, type Configuration } from "@azure/msal-browser";
import { DEFAULT_AUTHORITY, REDIRECT_BRIDGE_PAGE, type AuthSettings } from "./auth-config";

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
