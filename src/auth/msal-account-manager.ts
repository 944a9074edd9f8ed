// The one owner of MSAL state in the pane. Token order: MSAL's cache / the broker silently; then a popup;
// then, where popups are blocked, the Office dialog. Nested app authentication is used when the Office
// client supports NestedAppAuth 1.1; otherwise a standard MSAL client does the same dance in the webview.
// The Office user comes from Office.auth.getAuthContext() where the client has it (as Microsoft's NAA
// sample does), else from the mailbox's address. A claims challenge (claims-challenge.ts) asks again
// with the claims, past every cache. Outside NAA the user can sign out and pick another account.
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

/** The parts of Office.auth.getAuthContext()'s answer used to find the Office user's account. */
export interface OfficeAuthContext {
  userPrincipalName: string;
  tenantId: string;
  userObjectId: string;
}

export interface MsalEnvironment {
  /** Office.context.requirements.isSetSupported("NestedAppAuth", "1.1"). */
  naaSupported: boolean;
  /** Office.auth.getAuthContext(), where the client offers it; null otherwise. */
  authContext?: (() => Promise<OfficeAuthContext | null>) | null;
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
  /** After sign-out: no silent sign-in as the previous user; the next prompt asks which account. */
  private choosingAccount = false;
  private authContext: Promise<OfficeAuthContext | null> | null = null;

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

  getGraphToken(opts: { shared?: boolean; claims?: string } = {}): Promise<string> {
    return this.token(graphScopes(opts), opts.claims);
  }

  getPracticeToken(opts: { claims?: string } = {}): Promise<string> {
    return this.token([this.settings.practiceScope], opts.claims);
  }

  /**
   * Forgets the signed-in account in this pane (MSAL's cache for it and the dialog's tokens); the next
   * token request asks the user to pick an account. Under nested app authentication the account is
   * Office's own, so there is nothing to sign out of here.
   */
  async signOut(): Promise<void> {
    if (this.env.naaSupported) {
      throw new Error("You are signed in with your Office account. To use another account, switch accounts in Outlook.");
    }
    const account = this.account;
    this.account = null;
    this.dialogAccount = null;
    this.dialogTokens.clear();
    this.choosingAccount = true;
    if (this.pca) await (await this.pca).clearCache(account ? { account } : undefined);
  }

  /** Signs out, then in again with the account the user picks. */
  async switchAccount(): Promise<void> {
    await this.signOut();
    await this.signIn();
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

  /** `claims`: a claims challenge's JSON; the token must carry it, so no cached token will do. */
  private async token(scopes: string[], claims?: string): Promise<string> {
    const fromDialog = claims ? null : this.dialogTokens.get(scopeKey(scopes));
    if (fromDialog) return fromDialog;
    const pca = await this.client();
    const promptsBefore = this.prompts;
    try {
      return this.remember(await this.silent(pca, scopes, claims));
    } catch (error) {
      if (!needsInteraction(error)) throw new Error(`Could not get a token: ${describeAuthError(error)}`, { cause: error });
    }
    // Queued behind any prompt already open; once that one finishes the token may be there silently.
    return this.serialized(async () => {
      if (this.prompts !== promptsBefore && !claims) {
        try {
          return this.dialogTokens.get(scopeKey(scopes)) ?? this.remember(await this.silent(pca, scopes));
        } catch {
          // still needs the user
        }
      }
      try {
        return await this.interactively(pca, scopes, claims);
      } finally {
        this.prompts++;
      }
    });
  }

  private async silent(pca: IPublicClientApplication, scopes: string[], claims?: string): Promise<AuthenticationResult> {
    if (this.choosingAccount) throw Object.assign(new Error("Signed out"), { errorCode: "no_account_error" });
    const account = this.account ?? (await this.knownAccount(pca));
    if (account) return pca.acquireTokenSilent({ scopes, account, ...(claims ? { claims } : {}) });
    // No account cached yet: under NAA the broker knows the Office user; elsewhere a hidden iframe may.
    const loginHint = await this.loginHint();
    if (loginHint) return pca.ssoSilent({ scopes, loginHint, ...(claims ? { claims } : {}) });
    throw Object.assign(new Error("No account yet"), { errorCode: "no_account_error" });
  }

  /** Office's own answer to "who is the user" (NestedAppAuth clients), asked once. */
  private officeUser(): Promise<OfficeAuthContext | null> {
    const ask = this.env.authContext;
    if (!ask) return Promise.resolve(null);
    this.authContext ??= ask().catch(() => null); // an older client: fall back to the mailbox address
    return this.authContext;
  }

  private async loginHint(): Promise<string | null> {
    return (await this.officeUser())?.userPrincipalName || this.env.loginHint;
  }

  private async knownAccount(pca: IPublicClientApplication): Promise<AccountInfo | null> {
    const office = await this.officeUser();
    if (office) {
      // The account MSAL knows for this Office user: its home account id is "<object id>.<tenant id>".
      return (
        pca.getAccount({ homeAccountId: `${office.userObjectId}.${office.tenantId}` }) ??
        pca.getAccount({ username: office.userPrincipalName })
      );
    }
    const accounts = pca.getAllAccounts();
    const hint = this.env.loginHint?.toLowerCase();
    return (hint && accounts.find((a) => a.username.toLowerCase() === hint)) || (accounts.length === 1 ? accounts[0] : null);
  }

  private async interactively(pca: IPublicClientApplication, scopes: string[], claims?: string): Promise<string> {
    const choosing = this.choosingAccount;
    // After sign-out the user picks the account: no hint that would sign the previous one back in.
    const loginHint = choosing ? null : await this.loginHint();
    try {
      const result = await pca.acquireTokenPopup({
        scopes,
        ...(loginHint ? { loginHint } : {}),
        ...(choosing ? { prompt: "select_account" } : {}),
        ...(claims ? { claims } : {}),
      });
      this.choosingAccount = false;
      return this.remember(result);
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
      loginHint,
      claims: claims ?? null,
      selectAccount: choosing,
    });
    const result = parseDialogMessage(await this.env.openDialog(url));
    this.choosingAccount = false;
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
