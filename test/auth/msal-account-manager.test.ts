// The MSAL owner with a fake PublicClientApplication: which client is built (NAA or standard) and the
// order silent → popup → Office dialog. Real sign-in needs Entra ID, which this machine cannot reach.
import type { AccountInfo, AuthenticationResult, Configuration, IPublicClientApplication } from "@azure/msal-browser";
import { createAuth } from "../../src/auth";
import { MsalAccountManager, type MsalEnvironment, type PcaFactories } from "../../src/auth/msal-account-manager";

const settings = { clientId: "client-1", practiceScope: "api://practice/access_as_user" };
const anna = { username: "anna@harbour.example", homeAccountId: "h1" } as AccountInfo;

function result(token: string, account: AccountInfo | null = anna): AuthenticationResult {
  return { accessToken: token, account } as AuthenticationResult;
}

function fakePca(behaviour: Partial<Record<"silent" | "sso" | "popup", (req: { scopes: string[] }) => Promise<AuthenticationResult>>>) {
  const calls: string[] = [];
  let accounts: AccountInfo[] = [];
  const pca = {
    getAllAccounts: () => accounts,
    acquireTokenSilent: async (req: { scopes: string[] }) => {
      calls.push(`silent ${req.scopes.join(",")}`);
      return (behaviour.silent ?? (() => Promise.reject({ name: "InteractionRequiredAuthError" })))(req);
    },
    ssoSilent: async (req: { scopes: string[] }) => {
      calls.push(`sso ${req.scopes.join(",")}`);
      return (behaviour.sso ?? (() => Promise.reject({ name: "InteractionRequiredAuthError" })))(req);
    },
    acquireTokenPopup: async (req: { scopes: string[] }) => {
      calls.push(`popup ${req.scopes.join(",")}`);
      const r = await (behaviour.popup ?? (() => Promise.resolve(result("popup-token"))))(req);
      if (r.account) accounts = [r.account];
      return r;
    },
  } as unknown as IPublicClientApplication;
  const built: string[] = [];
  const configs: Configuration[] = [];
  const factories: PcaFactories = {
    nestable: async (c) => (built.push("nestable"), configs.push(c), pca),
    standard: async (c) => (built.push("standard"), configs.push(c), pca),
  };
  return { pca, calls, built, configs, factories };
}

function env(overrides: Partial<MsalEnvironment> = {}): MsalEnvironment {
  return { naaSupported: true, loginHint: "anna@harbour.example", pageUrl: "https://pane.example/taskpane.html", openDialog: null, ...overrides };
}

it("uses nested app authentication when Office supports NestedAppAuth 1.1", async () => {
  const fake = fakePca({ sso: async () => result("naa-token") });
  const auth = new MsalAccountManager(settings, env({ naaSupported: true }), fake.factories);
  expect(await auth.getGraphToken()).toBe("naa-token");
  expect(fake.built).toEqual(["nestable"]);
  expect(fake.configs[0].auth.redirectUri).toBe("https://pane.example/redirect.html");
  expect(auth.accountName()).toBe("anna@harbour.example");
});

it("uses a standard client where NAA is not available", async () => {
  const fake = fakePca({});
  const auth = new MsalAccountManager(settings, env({ naaSupported: false }), fake.factories);
  await auth.signIn();
  expect(fake.built).toEqual(["standard"]);
});

it("goes silent first, then popup, then silent again with the account the popup returned", async () => {
  const fake = fakePca({
    silent: async (req) => result(`silent-${req.scopes[0].split("/").pop()}`),
  });
  const auth = new MsalAccountManager(settings, env(), fake.factories);
  expect(await auth.getGraphToken()).toBe("popup-token"); // sso failed → popup
  expect(await auth.getPracticeToken()).toBe("silent-access_as_user");
  expect(await auth.getGraphToken({ shared: true })).toBe("silent-Contacts.ReadWrite.Shared");
  expect(fake.calls).toEqual([
    "sso https://graph.microsoft.com/Contacts.ReadWrite",
    "popup https://graph.microsoft.com/Contacts.ReadWrite",
    "silent api://practice/access_as_user",
    "silent https://graph.microsoft.com/Contacts.ReadWrite.Shared",
  ]);
});

it("opens one popup for concurrent requests", async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let popups = 0;
  const fake = fakePca({
    popup: async () => {
      popups++;
      await gate;
      return result("popup-token");
    },
    silent: async () => result("silent-token"),
  });
  const auth = new MsalAccountManager(settings, env({ loginHint: null }), fake.factories);
  const both = Promise.all([auth.getGraphToken(), auth.getGraphToken()]);
  await new Promise((r) => setTimeout(r, 10));
  release();
  expect(await both).toEqual(["popup-token", "silent-token"]);
  expect(popups).toBe(1);
});

it("falls back to the Office dialog when the popup is blocked, and keeps that token in memory", async () => {
  const fake = fakePca({ popup: () => Promise.reject({ errorCode: "popup_window_error" }) });
  const opened: string[] = [];
  const auth = new MsalAccountManager(
    settings,
    env({
      openDialog: async (url) => {
        opened.push(url);
        return JSON.stringify({ accessToken: "dialog-token", expiresOn: Date.now() + 3_600_000, username: "anna@harbour.example" });
      },
    }),
    fake.factories,
  );
  expect(await auth.getGraphToken()).toBe("dialog-token");
  expect(await auth.getGraphToken()).toBe("dialog-token");
  expect(opened).toHaveLength(1);
  expect(new URL(opened[0]).pathname).toBe("/auth-dialog.html");
  expect(new URL(opened[0]).searchParams.get("clientId")).toBe("client-1");
  expect(auth.accountName()).toBe("anna@harbour.example");
});

it("reports a blocked popup plainly where no Office dialog exists", async () => {
  const fake = fakePca({ popup: () => Promise.reject({ errorCode: "popup_window_error", message: "blocked" }) });
  const auth = new MsalAccountManager(settings, env({ openDialog: null }), fake.factories);
  await expect(auth.getGraphToken()).rejects.toThrow(/Sign-in failed: popup_window_error/);
});

it("says so when the user cancels", async () => {
  const fake = fakePca({ popup: () => Promise.reject({ errorCode: "user_cancelled" }) });
  const auth = new MsalAccountManager(settings, env(), fake.factories);
  await expect(auth.signIn()).rejects.toThrow("Sign-in was cancelled.");
});

it("does not prompt for errors a prompt cannot fix", async () => {
  const fake = fakePca({ sso: () => Promise.reject({ errorCode: "network_error", message: "offline" }) });
  const auth = new MsalAccountManager(settings, env(), fake.factories);
  await expect(auth.getGraphToken()).rejects.toThrow(/Could not get a token: network_error/);
  expect(fake.calls.some((c) => c.startsWith("popup"))).toBe(false);
});

it("retries building the client after a failed start", async () => {
  const fake = fakePca({ sso: async () => result("ok") });
  let fail = true;
  const factories: PcaFactories = {
    nestable: async (c) => {
      if (fail) throw new Error("bridge unavailable");
      return fake.factories.nestable(c);
    },
    standard: fake.factories.standard,
  };
  const auth = new MsalAccountManager(settings, env(), factories);
  await expect(auth.getGraphToken()).rejects.toThrow(/Sign-in could not start: bridge unavailable/);
  fail = false;
  expect(await auth.getGraphToken()).toBe("ok");
});

it("createAuth requires an auth section in Microsoft 365 mode", () => {
  expect(() => createAuth({ mode: "microsoft365", practiceApiUrl: "https://p", graphUrl: "https://graph.microsoft.com/v1.0" })).toThrow(
    /needs an "auth" section/,
  );
});

it("createAuth builds the MSAL owner from config in Microsoft 365 mode", async () => {
  const fake = fakePca({ sso: async () => result("naa") });
  const auth = createAuth(
    { mode: "microsoft365", practiceApiUrl: "https://p", graphUrl: "https://graph.microsoft.com/v1.0", auth: settings },
    { environment: env(), factories: fake.factories },
  );
  expect(await auth.getPracticeToken()).toBe("naa");
  expect(fake.calls).toEqual(["sso api://practice/access_as_user"]);
});

it("never logs a token", async () => {
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => {}));
  try {
    const fake = fakePca({ popup: () => Promise.reject({ errorCode: "popup_window_error" }) });
    const auth = new MsalAccountManager(
      settings,
      env({ openDialog: async () => JSON.stringify({ accessToken: "SECRET-TOKEN", expiresOn: Date.now() + 3_600_000 }) }),
      fake.factories,
    );
    await auth.getGraphToken();
    const logged = spies.flatMap((s) => s.mock.calls.flat()).map(String).join(" ");
    expect(logged).not.toContain("SECRET-TOKEN");
  } finally {
    for (const s of spies) s.mockRestore();
  }
});

describe("claims challenges", () => {
  const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';

  it("asks MSAL for a token carrying the claims, silently first", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const fake = fakePca({
      sso: async (req) => (requests.push(req), result("with-claims")),
      silent: async (req) => (requests.push(req), result("silent-with-claims")),
    });
    const auth = new MsalAccountManager(settings, env(), fake.factories);
    expect(await auth.getGraphToken({ claims: CLAIMS })).toBe("with-claims");
    expect(requests[0]).toMatchObject({ claims: CLAIMS, loginHint: "anna@harbour.example" });
    expect(await auth.getPracticeToken({ claims: CLAIMS })).toBe("silent-with-claims");
    expect(requests[1]).toMatchObject({ claims: CLAIMS, account: anna });
    await auth.getPracticeToken();
    expect(requests[2]).not.toHaveProperty("claims");
  });

  it("prompts with the claims when they need the user (e.g. MFA), and never answers them from the dialog's cache", async () => {
    const popups: Array<Record<string, unknown>> = [];
    const opened: string[] = [];
    const fake = fakePca({ popup: (req) => (popups.push(req), Promise.reject({ errorCode: "popup_window_error" })) });
    const auth = new MsalAccountManager(
      settings,
      env({
        openDialog: async (url) => {
          opened.push(url);
          return JSON.stringify({ accessToken: `dialog-${opened.length}`, expiresOn: Date.now() + 3_600_000 });
        },
      }),
      fake.factories,
    );
    expect(await auth.getGraphToken()).toBe("dialog-1");
    expect(await auth.getGraphToken({ claims: CLAIMS })).toBe("dialog-2");
    expect(popups[1]).toMatchObject({ claims: CLAIMS });
    expect(new URL(opened[1]).searchParams.get("claims")).toBe(CLAIMS);
    expect(new URL(opened[0]).searchParams.has("claims")).toBe(false);
  });
});

describe("the Office user from Office.auth.getAuthContext()", () => {
  const context = { userPrincipalName: "anna.upn@harbour.example", tenantId: "t1", userObjectId: "o1" };

  it("picks MSAL's account for that user and hints sign-in with the UPN, not the mailbox address", async () => {
    const fake = fakePca({ sso: async () => result("naa-token") });
    const filters: unknown[] = [];
    const known = { username: "anna.upn@harbour.example", homeAccountId: "o1.t1" } as AccountInfo;
    (fake.pca as unknown as { getAccount: (f: unknown) => AccountInfo | null }).getAccount = (f) => (filters.push(f), null);
    const auth = new MsalAccountManager(settings, env({ authContext: async () => context }), fake.factories);
    await auth.getGraphToken();
    expect(filters[0]).toEqual({ homeAccountId: "o1.t1" });
    expect(fake.calls).toEqual(["sso https://graph.microsoft.com/Contacts.ReadWrite"]);

    const fake2 = fakePca({ silent: async () => result("cached") });
    (fake2.pca as unknown as { getAccount: (f: { homeAccountId?: string }) => AccountInfo | null }).getAccount = (f) =>
      f.homeAccountId === "o1.t1" ? known : null;
    const auth2 = new MsalAccountManager(settings, env({ authContext: async () => context }), fake2.factories);
    expect(await auth2.getGraphToken()).toBe("cached");
    expect(fake2.calls).toEqual(["silent https://graph.microsoft.com/Contacts.ReadWrite"]);
  });

  it("uses the UPN as the login hint", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const fake = fakePca({ sso: async (req) => (requests.push(req), result("t")) });
    (fake.pca as unknown as { getAccount: () => null }).getAccount = () => null;
    const auth = new MsalAccountManager(settings, env({ authContext: async () => context }), fake.factories);
    await auth.getGraphToken();
    expect(requests[0]).toMatchObject({ loginHint: "anna.upn@harbour.example" });
  });

  it("falls back to the mailbox address when the client cannot answer", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const fake = fakePca({ sso: async (req) => (requests.push(req), result("t")) });
    const auth = new MsalAccountManager(settings, env({ authContext: () => Promise.reject(new Error("not supported")) }), fake.factories);
    await auth.getGraphToken();
    expect(requests[0]).toMatchObject({ loginHint: "anna@harbour.example" });
  });
});

describe("sign out and switch account (outside nested app authentication)", () => {
  it("forgets the account, then asks which account without a hint, and signs in the one picked", async () => {
    const popups: Array<Record<string, unknown>> = [];
    const bob = { username: "bob@harbour.example", homeAccountId: "h2" } as AccountInfo;
    let next = anna;
    const fake = fakePca({ popup: async (req) => (popups.push(req), result(`token-${next.username}`, next)) });
    const cleared: unknown[] = [];
    (fake.pca as unknown as { clearCache: (r: unknown) => Promise<void> }).clearCache = async (r) => void cleared.push(r);
    const auth = new MsalAccountManager(settings, env({ naaSupported: false }), fake.factories);
    await auth.signIn();
    expect(auth.accountName()).toBe("anna@harbour.example");

    next = bob;
    await auth.switchAccount();
    expect(cleared).toEqual([{ account: anna }]);
    expect(popups[1]).toMatchObject({ prompt: "select_account" });
    expect(popups[1]).not.toHaveProperty("loginHint");
    expect(auth.accountName()).toBe("bob@harbour.example");
    expect(fake.calls.filter((c) => c.startsWith("sso"))).toHaveLength(1); // no silent sign-in back as Anna
  });

  it("after sign-out the dialog fallback asks for the account too, and its old tokens are gone", async () => {
    const opened: string[] = [];
    const fake = fakePca({ popup: () => Promise.reject({ errorCode: "popup_window_error" }) });
    (fake.pca as unknown as { clearCache: () => Promise<void> }).clearCache = async () => undefined;
    const auth = new MsalAccountManager(
      settings,
      env({
        naaSupported: false,
        openDialog: async (url) => (opened.push(url), JSON.stringify({ accessToken: `d${opened.length}`, expiresOn: Date.now() + 3_600_000, username: "x@y" })),
      }),
      fake.factories,
    );
    expect(await auth.getGraphToken()).toBe("d1");
    await auth.signOut();
    expect(auth.accountName()).toBeNull();
    expect(await auth.getGraphToken()).toBe("d2");
    expect(new URL(opened[1]).searchParams.get("prompt")).toBe("select_account");
    expect(new URL(opened[1]).searchParams.has("loginHint")).toBe(false);
  });

  it("is refused under nested app authentication, where the account is Office's", async () => {
    const fake = fakePca({ sso: async () => result("t") });
    const auth = new MsalAccountManager(settings, env({ naaSupported: true }), fake.factories);
    await expect(auth.signOut()).rejects.toThrow(/switch accounts in Outlook/);
    const provider = createAuth(
      { mode: "microsoft365", practiceApiUrl: "https://p", graphUrl: "https://graph.microsoft.com/v1.0", auth: settings },
      { environment: env({ naaSupported: true }), factories: fake.factories },
    );
    expect(provider.signOut).toBeUndefined();
    const fallback = createAuth(
      { mode: "microsoft365", practiceApiUrl: "https://p", graphUrl: "https://graph.microsoft.com/v1.0", auth: settings },
      { environment: env({ naaSupported: false }), factories: fake.factories },
    );
    expect(typeof fallback.switchAccount).toBe("function");
  });
});
