import { REDIRECT_BRIDGE_PAGE } from "../../src/auth/auth-config";
import { msalConfiguration } from "../../src/auth/msal-config";
import {
  describeAuthError,
  graphScopes,
  needsInteraction,
  parseDialogMessage,
  popupUnavailable,
  scopeKey,
  userCancelled,
} from "../../src/auth/token-requests";
import { authDialogUrl } from "../../src/auth/office-dialog";
import { LogLevel } from "@azure/msal-browser";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl";

describe("scopes", () => {
  it("asks for Contacts.ReadWrite for the own mailbox and .Shared only for a shared one", () => {
    expect(graphScopes()).toEqual(["https://graph.microsoft.com/Contacts.ReadWrite"]);
    expect(graphScopes({ shared: true })).toEqual(["https://graph.microsoft.com/Contacts.ReadWrite.Shared"]);
  });

  it("keys scope sets regardless of order and case", () => {
    expect(scopeKey(["B", "a"])).toBe(scopeKey(["A", "b"]));
  });
});

describe("error classification", () => {
  it("sends consent and missing-account errors to interaction", () => {
    expect(needsInteraction({ name: "InteractionRequiredAuthError" })).toBe(true);
    expect(needsInteraction({ errorCode: "consent_required" })).toBe(true);
    expect(needsInteraction({ errorCode: "no_account_error" })).toBe(true);
    expect(needsInteraction({ errorCode: "network_error" })).toBe(false);
    expect(needsInteraction(null)).toBe(false);
  });

  it("recognizes a blocked popup and a cancelled sign-in", () => {
    expect(popupUnavailable({ errorCode: "popup_window_error" })).toBe(true);
    expect(popupUnavailable({ errorCode: "empty_window_error" })).toBe(true);
    expect(popupUnavailable({ errorCode: "user_cancelled" })).toBe(false);
    expect(userCancelled({ errorCode: "user_cancelled" })).toBe(true);
  });

  it("never puts a token or a URL fragment into an error description", () => {
    const error = Object.assign(new Error(`bad response ${JWT} at https://x/#code=secret`), { errorCode: "server_error" });
    const text = describeAuthError(error);
    expect(text).not.toContain(JWT);
    expect(text).not.toContain("secret");
    expect(text).toContain("[token]");
    expect(text).toContain("server_error");
  });
});

describe("parseDialogMessage", () => {
  it("reads a token result", () => {
    expect(parseDialogMessage(JSON.stringify({ accessToken: "t", expiresOn: 5, username: "anna@x" }))).toEqual({
      accessToken: "t",
      expiresOn: 5,
      username: "anna@x",
    });
  });

  it.each([
    ["not json", /not JSON/],
    [JSON.stringify({ error: "AADSTS50020: user not in tenant" }), /Sign-in failed: AADSTS50020/],
    [JSON.stringify({ accessToken: "", expiresOn: 1 }), /no access token/],
    [JSON.stringify({ accessToken: "t" }), /without an expiry/],
    ["null", /no access token/],
  ])("rejects %s", (message, pattern) => {
    expect(() => parseDialogMessage(message)).toThrow(pattern);
  });
});

describe("msalConfiguration", () => {
  const config = msalConfiguration({ clientId: "client-1", practiceScope: "api://p/access" }, "https://pane.example/app/taskpane.html");

  it("redirects to the v5 bridge page next to the pane", () => {
    expect(config.auth.redirectUri).toBe(`https://pane.example/app/${REDIRECT_BRIDGE_PAGE}`);
    expect(config.auth.authority).toBe("https://login.microsoftonline.com/organizations");
  });

  it("keeps tokens only in MSAL's cache and logs nothing personal", () => {
    expect(config.cache?.cacheLocation).toBe("localStorage");
    const logger = config.system?.loggerOptions;
    expect(logger?.piiLoggingEnabled).toBe(false);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
    try {
      logger?.loggerCallback?.(LogLevel.Warning, `pii ${JWT}`, true);
      expect(warn).not.toHaveBeenCalled();
      logger?.loggerCallback?.(LogLevel.Warning, "plain", false);
      expect(warn).toHaveBeenCalledWith("[msal] plain");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("authDialogUrl", () => {
  it("puts the dialog next to the pane with its parameters", () => {
    const url = new URL(
      authDialogUrl("https://pane.example/app/taskpane.html", {
        clientId: "c",
        authority: "https://login.microsoftonline.com/tenant",
        scopes: ["a", "b"],
        loginHint: "anna@x",
      }),
    );
    expect(url.pathname).toBe("/app/auth-dialog.html");
    expect(url.searchParams.get("scopes")).toBe("a b");
    expect(url.searchParams.get("loginHint")).toBe("anna@x");
  });
});
