// The task pane's Content-Security-Policy, built from the origins it really talks to. It is placed in a
// <meta http-equiv> tag so it travels with the files whatever serves them; a web server may send the
// same policy as a header instead (docs/admin-guide.md).
"use strict";

const ENTRA_ORIGIN = "https://login.microsoftonline.com";

/** "https://api.example.com/practice" → "https://api.example.com"; relative URLs are same-origin. */
function originOf(url) {
  if (!url || url.startsWith("/")) return null;
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`Not a URL: "${url}"`);
  }
}

/**
 * @param {{ officeJsUrl: string, practiceApiUrl: string, graphUrl: string, microsoft365: boolean }} o
 */
function buildCsp({ officeJsUrl, practiceApiUrl, graphUrl, microsoft365 }) {
  const unique = (list) => [...new Set(list.filter(Boolean))];
  const officeOrigin = originOf(officeJsUrl);
  const connect = unique(["'self'", originOf(practiceApiUrl), originOf(graphUrl), microsoft365 && ENTRA_ORIGIN]);
  const directives = {
    "default-src": ["'self'"],
    // office.js loads further scripts from its own folder; nothing is inline and nothing is eval'd.
    "script-src": unique(["'self'", officeOrigin]),
    // Fluent UI (Griffel) inserts its styles at run time.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": connect,
    // MSAL's silent renewal outside NAA uses a hidden Entra ID iframe; office.js frames its own origin.
    "frame-src": unique(["'self'", officeOrigin, microsoft365 && ENTRA_ORIGIN]),
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

module.exports = { buildCsp, originOf, ENTRA_ORIGIN };
