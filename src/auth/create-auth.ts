// The thin entry: local mode gets development tokens from the local servers; Microsoft 365 mode gets
// MSAL (nested app auth when Office offers it). Office is read here, once, so the rest stays testable.
import type { AuthSettings } from "./auth-config";
import { createDevTokenProvider, DEV_DEFAULT_UPN } from "./dev-tokens";
import type { MsalAccountManager, MsalEnvironment, OfficeAuthContext, PcaFactories } from "./msal-account-manager";
import { openOfficeDialog } from "./office-dialog";
import type { TokenProvider } from "./token-provider";

/** The parts of config.json authentication needs (src/taskpane/config.ts validates the file). */
export interface AuthConfig {
  mode: "local" | "microsoft365";
  practiceApiUrl: string;
  graphUrl: string;
  auth?: AuthSettings;
}

export interface CreateAuthOptions {
  /** Local mode's user; defaults to the demo mailbox owner. */
  devUpn?: string;
  fetch?: typeof fetch;
  /** Overrides what is otherwise read from the Office global and the page location. */
  environment?: Partial<MsalEnvironment>;
  factories?: PcaFactories;
}

export function createAuth(config: AuthConfig, options: CreateAuthOptions = {}): TokenProvider {
  if (config.mode === "local") {
    return createDevTokenProvider({
      practiceApiUrl: config.practiceApiUrl,
      graphUrl: config.graphUrl,
      upn: options.devUpn ?? DEV_DEFAULT_UPN,
      fetch: options.fetch,
    });
  }
  if (!config.auth) throw new Error('config.json: mode "microsoft365" needs an "auth" section (clientId, practiceScope).');
  const settings = config.auth;
  const environment = { ...officeEnvironment(), ...options.environment };
  // MSAL is ~80 KB gzipped and local mode never needs it: load it on the first token request, so it is
  // an async chunk outside the pane's first load.
  let manager: Promise<MsalAccountManager> | null = null;
  let loaded: MsalAccountManager | null = null;
  const get = () =>
    (manager ??= import("./msal-account-manager").then((m) => {
      loaded = new m.MsalAccountManager(settings, environment, options.factories);
      return loaded;
    }));
  const provider: TokenProvider = {
    signIn: async () => (await get()).signIn(),
    getGraphToken: async (opts) => (await get()).getGraphToken(opts),
    getPracticeToken: async (opts) => (await get()).getPracticeToken(opts),
    accountName: () => loaded?.accountName() ?? null,
  };
  // Under nested app authentication the account is Office's; elsewhere the pane may change it.
  if (!environment.naaSupported) {
    provider.signOut = async () => (await get()).signOut();
    provider.switchAccount = async () => (await get()).switchAccount();
  }
  return provider;
}

interface OfficeGlobal {
  EventType?: { DialogMessageReceived?: string; DialogEventReceived?: string };
  auth?: { getAuthContext?: () => Promise<OfficeAuthContext> };
  context?: {
    requirements?: { isSetSupported(name: string, version?: string): boolean };
    mailbox?: { userProfile?: { emailAddress?: string } } | null;
    ui?: Parameters<typeof openOfficeDialog>[0] | null;
  };
}

function officeEnvironment(): MsalEnvironment {
  const office = (globalThis as unknown as { Office?: OfficeGlobal }).Office;
  const context = office?.context;
  const ui = context?.ui;
  const pageUrl = typeof location === "undefined" ? "https://localhost/" : location.href;
  let naaSupported: boolean;
  try {
    naaSupported = context?.requirements?.isSetSupported("NestedAppAuth", "1.1") ?? false;
  } catch {
    naaSupported = false; // outside an Office host the requirements object may throw
  }
  // Office.auth.getAuthContext() (NestedAppAuth 1.1 clients): the Office user, as NAA knows them.
  const officeAuth = office?.auth;
  const authContext =
    naaSupported && typeof officeAuth?.getAuthContext === "function" ? () => officeAuth.getAuthContext!() : null;
  return {
    naaSupported,
    authContext,
    loginHint: context?.mailbox?.userProfile?.emailAddress || null,
    pageUrl,
    openDialog: ui
      ? (url) =>
          openOfficeDialog(
            {
              displayDialogAsync: ui.displayDialogAsync.bind(ui),
              messageEvent: office?.EventType?.DialogMessageReceived ?? "dialogMessageReceived",
              closedEvent: office?.EventType?.DialogEventReceived ?? "dialogEventReceived",
            },
            url,
            new URL(pageUrl).origin,
          )
      : null,
  };
}
