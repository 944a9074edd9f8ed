// The Content-Security-Policy builder (scripts/lib/csp.cjs): the pane may talk only to where config.json
// points, plus Entra ID in Microsoft 365 mode, and may load scripts only from itself and office.js's origin.
const { buildCsp, originOf } = require("../../scripts/lib/csp.cjs") as {
  buildCsp(o: { officeJsUrl: string; practiceApiUrl: string; graphUrl: string; microsoft365: boolean }): string;
  originOf(url: string): string | null;
};

function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(csp.split("; ").map((d) => {
    const [name, ...values] = d.split(" ");
    return [name, values];
  }));
}

it("local mode: everything same-origin, office.js from /office/", () => {
  const d = directives(buildCsp({ officeJsUrl: "/office/office.js", practiceApiUrl: "/practice", graphUrl: "/graph/v1.0", microsoft365: false }));
  expect(d["script-src"]).toEqual(["'self'"]);
  expect(d["connect-src"]).toEqual(["'self'"]);
  expect(d["object-src"]).toEqual(["'none'"]);
});

it("Microsoft 365 mode: the API, Graph and Entra ID origins, office.js from the CDN", () => {
  const d = directives(
    buildCsp({
      officeJsUrl: "https://appsforoffice.microsoft.com/lib/1/hosted/office.js",
      practiceApiUrl: "https://practice.firm.example/base",
      graphUrl: "https://graph.microsoft.com/v1.0",
      microsoft365: true,
    }),
  );
  expect(d["script-src"]).toEqual(["'self'", "https://appsforoffice.microsoft.com"]);
  expect(d["connect-src"]).toEqual(["'self'", "https://practice.firm.example", "https://graph.microsoft.com", "https://login.microsoftonline.com"]);
  expect(d["frame-src"]).toContain("https://login.microsoftonline.com");
  expect(Object.values(d).flat()).not.toContain("'unsafe-eval'");
  expect(d["script-src"]).not.toContain("'unsafe-inline'");
});

it("refuses a URL it cannot parse instead of writing a broken policy", () => {
  expect(() => originOf("not a url")).toThrow(/Not a URL/);
  expect(originOf("/relative")).toBeNull();
});
