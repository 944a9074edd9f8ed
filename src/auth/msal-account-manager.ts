// The one owner of MSAL state in the pane. Token order: MSAL's cache / the broker silently; then a popup;
// then, where popups are blocked, the Office dialog. Nested app authentication is used when the Office
// client supports NestedAppAuth 1.1; otherwise a standard MSAL client does the same dance in the webview.
import {
  createNestablePublicClientApplication,
  createStandardPublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { DEFAULT_AUTHORITY, type AuthSettings } from "./auth-config";
import { msalConfiguration } from "./msal-config";
import { MemoryTokenCache } from "./memory-token-cache";
import { authDialogUrl } from "./office-dialog";
import type { TokenProvider } from "./token-provider";
import {
  describeAuthError,
  graphScopes,
  needsInteraction,
  parseDialogMessage,
  popupUnavailable,
  scopeKey,
  userCancelled,
} from "./token-requests";

export interface MsalEnvironment {
  /** Office.context.requirements.isSetSupported("NestedAppAuth", "1.1"). */
  naaSupported: boolean;
  /** The mailbox owner's address: the account to pick without asking. */
  loginHint: string | null;
  /** The task pane's URL (redirect and dialog pages are resolved against it). */
  pageUrl: string;
  /** Opens the Office dialog at a URL and resolves with its message; null outside Office. */
  openDialog: ((url: string) => Promise<string>) | null;
}

export interface PcaFactories {
  nestable(config: Configuration): Promise<IPublicClientApplication>;
  standard(config: Configuration): Promise<IPublicClientApplication>;
}

const defaultFactories: PcaFactories = {
  nestable: (config) => createNestablePublicClientApplication(config),
  standard: (config) => createStandardPublicClientApplication(config),
};

export class MsalAccountManager implements TokenProvider {
  private pca: Promise<IPublicClientApplication> | null = null;
  private account: AccountInfo | null = null;
  private dialogAccount: string | null = null;
  private readonly dialogTokens: MemoryTokenCache;
  /** One interactive prompt at a time: parallel token requests must not open parallel popups. */
  private interactive: Promise<unknown> = Promise.resolve();
  /** Counts finished prompts, so a request queued behind one knows to try silently again first. */
  private prompts = 0;

  constructor(
    private readonly settings: AuthSettings,
    private readonly env: MsalEnvironment,
    private readonly factories: PcaFactories = defaultFactories,
    now: () => number = Date.now,
  ) {
    this.dialogTokens = new MemoryTokenCache(now);
  }

  async signIn(): Promise<void> {
    await this.token(graphScopes());
  }

  getGraphToken(opts: { shared?: boolean } = {}): Promise<string> {
    return this.token(graphScopes(opts));
  }

  getPracticeToken(): Promise<string> {
    return this.token([this.settings.practiceScope]);
  }

  accountName(): string | null {
    return this.account?.username ?? this.dialogAccount;
  }

  private client(): Promise<IPublicClientApplication> {
    if (!this.pca) {
      const config = msalConfiguration(this.settings, this.env.pageUrl);
      this.pca = (this.env.naaSupported ? this.factories.nestable(config) : this.factories.standard(config)).catch(
        (error: unknown) => {
          this.pca = null; // let the next call try again
          throw new Error(`Sign-in could not start: ${describeAuthError(error)}`, { cause: error });
        },
      );
    }
    return this.pca;
  }

  private async token(scopes: string[]): Promise<string> {
    const fromDialog = this.dialogTokens.get(scopeKey(scopes));
    if (fromDialog) return fromDialog;
    const pca = await this.client();
    const promptsBefore = this.prompts;
    try {
      return this.remember(await this.silent(pca, scopes));
    } catch (error) {
      if (!needsInteraction(error)) throw new Error(`Could not get a token: ${describeAuthError(error)}`, { cause: error });
    }
    // Queued behind any prompt already open; once that one finishes the token may be there silently.
    return this.serialized(async () => {
      if (this.prompts !== promptsBefore) {
        try {
          return this.dialogTokens.get(scopeKey(scopes)) ?? this.remember(await this.silent(pca, scopes));
        } catch {
          // still needs the user
        }
      }
      try {
        return await this.interactively(pca, scopes);
      } finally {
        this.prompts++;
      }
    });
  }

  private silent(pca: IPublicClientApplication, scopes: string[]): Promise<AuthenticationResult> {
    const account = this.account ?? this.knownAccount(pca);
    if (account) return pca.acquireTokenSilent({ scopes, account });
    // No account cached yet: under NAA the broker knows the Office user; elsewhere a hidden iframe may.
    if (this.env.loginHint) return pca.ssoSilent({ scopes, loginHint: this.env.loginHint });
    return Promise.reject(Object.assign(new Error("No account yet"), { errorCode: "no_account_error" }));
  }

  private knownAccount(pca: IPublicClientApplication): AccountInfo | null {
    const accounts = pca.getAllAccounts();
    const hint = this.env.loginHint?.toLowerCase();
    return (hint && accounts.find((a) => a.username.toLowerCase() === hint)) || (accounts.length === 1 ? accounts[0] : null);
  }

  private async interactively(pca: IPublicClientApplication, scopes: string[]): Promise<string> {
    try {
      return this.remember(await pca.acquireTokenPopup({ scopes, loginHint: this.env.loginHint ?? undefined }));
    } catch (error) {
      if (userCancelled(error)) throw new Error("Sign-in was cancelled.", { cause: error });
      if (!popupUnavailable(error) || !this.env.openDialog) {
        throw new Error(`Sign-in failed: ${describeAuthError(error)}`, { cause: error });
      }
    }
    const url = authDialogUrl(this.env.pageUrl, {
      clientId: this.settings.clientId,
      authority: this.settings.authority ?? DEFAULT_AUTHORITY,
      scopes,
      loginHint: this.env.loginHint,
    });
    const result = parseDialogMessage(await this.env.openDialog(url));
    this.dialogTokens.set(scopeKey(scopes), result.accessToken, result.expiresOn);
    this.dialogAccount = result.username ?? this.dialogAccount;
    return result.accessToken;
  }

  private remember(result: AuthenticationResult): string {
    if (result.account) this.account = result.account;
    if (!result.accessToken) throw new Error("Sign-in returned no access token.");
    return result.accessToken;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.interactive.then(task, task);
    this.interactive = run.catch(() => undefined);
    return run;
  }
}
