// MSAL v5's redirect bridge: the popup (and the auth dialog's redirect) lands here, and this page hands
// the response to the window that started sign-in. It must be served without Cross-Origin-Opener-Policy,
// or the popup loses its opener (webpack.config.js gives it no COOP header).
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";
import { describeAuthError } from "../token-requests";

broadcastResponseToMainFrame().catch((error: unknown) => {
  const message = document.getElementById("message");
  if (message) message.textContent = `Sign-in could not complete: ${describeAuthError(error)}`;
});
