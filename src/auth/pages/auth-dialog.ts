// Runs inside an Office dialog (the fallback for clients that block popups): signs in with a redirect,
// then posts {accessToken, expiresOn, username} or {error} to the task pane with messageParent.
// Parameters come from the pane in the query string (client id, authority, scopes, login hint, and for a
// claims challenge or an account switch: claims, prompt=select_account).
import { createStandardPublicClientApplication, type AuthenticationResult } from "@azure/msal-browser";
import { msalConfiguration } from "../msal-config";
import { describeAuthError } from "../token-requests";

interface DialogOffice {
  onReady(): Promise<unknown>;
  context: {
    requirements?: { isSetSupported(name: string, version?: string): boolean };
    ui: { messageParent(message: string, options?: { targetOrigin: string }): void };
  };
}

const office = (globalThis as unknown as { Office: DialogOffice }).Office;

function post(message: Record<string, unknown>): void {
  // The answer carries a token: address it to the pane's origin (this page's own) where the client can
  // say so (DialogOrigin 1.1); older clients deliver only to the same domain anyway.
  let targeted: boolean;
  try {
    targeted = office.context.requirements?.isSetSupported("DialogOrigin", "1.1") ?? false;
  } catch {
    targeted = false;
  }
  if (targeted) office.context.ui.messageParent(JSON.stringify(message), { targetOrigin: location.origin });
  else office.context.ui.messageParent(JSON.stringify(message));
}

async function run(): Promise<void> {
  await office.onReady();
  const params = new URLSearchParams(location.search);
  const clientId = params.get("clientId");
  const scopes = (params.get("scopes") ?? "").split(" ").filter(Boolean);
  if (!clientId || scopes.length === 0) {
    post({ error: "the sign-in dialog was opened without a client id or scopes" });
    return;
  }
  const pca = await createStandardPublicClientApplication(
    msalConfiguration(
      { clientId, authority: params.get("authority") ?? undefined, practiceScope: "" },
      location.href,
    ),
  );
  const result: AuthenticationResult | null = await pca.handleRedirectPromise();
  if (result) {
    post({ accessToken: result.accessToken, expiresOn: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000, username: result.account?.username ?? null });
    return;
  }
  const claims = params.get("claims");
  await pca.acquireTokenRedirect({
    scopes,
    loginHint: params.get("loginHint") ?? undefined,
    ...(claims ? { claims } : {}),
    ...(params.get("prompt") === "select_account" ? { prompt: "select_account" } : {}),
    redirectStartPage: location.href,
  });
}

run().catch((error: unknown) => post({ error: describeAuthError(error) }));
