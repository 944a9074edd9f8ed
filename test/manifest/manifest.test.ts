// The manifest is generated from one template for every origin; these tests validate the output against
// Microsoft's XSDs with xmllint (the shared, patched copies next to the repository) and check what a schema
// cannot: resource references, icons, and that every URL points at the chosen origin.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const manifestLib = require("../../scripts/lib/manifest.cjs") as {
  LOCALHOST_ORIGIN: string;
  renderManifest(options: { origin: string; id?: string; displayName?: string; template?: string }): string;
  renderLocalhostManifest(): string;
  normalizeOrigin(origin: string): string;
  manifestVersion(version: string): string;
  templatePath: string;
  repoRoot: string;
};

const run = promisify(execFile);
const repoRoot = manifestLib.repoRoot;
const schema = path.resolve(repoRoot, "..", "shared", "schemas", "office-manifest", "OfficeAppManifestV1_1.xsd");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-test-"));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function xmllint(xml: string, name: string): Promise<{ code: number; output: string }> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, xml);
  try {
    const { stdout, stderr } = await run("xmllint", ["--noout", "--nonet", "--schema", schema, file]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

const production = () => manifestLib.renderManifest({ origin: "https://contacts.example.com/pane/" });

describe("schemas", () => {
  it("are found relative to the repository", () => {
    expect(fs.existsSync(schema)).toBe(true);
  });
});

describe("xmllint validation", () => {
  it("accepts the localhost manifest", async () => {
    const result = await xmllint(manifestLib.renderLocalhostManifest(), "localhost.xml");
    expect(result.output).toContain("validates");
    expect(result.code).toBe(0);
  });

  it("accepts the production manifest", async () => {
    const result = await xmllint(production(), "production.xml");
    expect(result.output).toContain("validates");
    expect(result.code).toBe(0);
  });

  it("rejects a manifest whose ShowTaskpane children are out of order", async () => {
    const broken = production().replace(
      /(<SupportsPinning>true<\/SupportsPinning>)(\s*)(<SupportsNoItemContext>true<\/SupportsNoItemContext>)/,
      "$3$2$1",
    );
    expect(broken).not.toEqual(production());
    const result = await xmllint(broken, "broken-order.xml");
    expect(result.code).toBe(3);
    expect(result.output).toContain("fails to validate");
  });

  it("rejects a manifest without an Id", async () => {
    const broken = production().replace(/<Id>[^<]*<\/Id>/, "");
    const result = await xmllint(broken, "no-id.xml");
    expect(result.code).toBe(3);
  });

  it("rejects an unknown permission", async () => {
    const broken = production().replace("<Permissions>ReadItem</Permissions>", "<Permissions>Everything</Permissions>");
    const result = await xmllint(broken, "bad-permission.xml");
    expect(result.code).toBe(3);
  });
});

describe("manifest content", () => {
  const xml = production();

  it("the committed manifest.xml is the template rendered for localhost", () => {
    const committed = fs.readFileSync(path.join(repoRoot, "manifest.xml"), "utf8");
    expect(committed).toBe(manifestLib.renderLocalhostManifest());
  });

  it("opens a pinnable task pane from the message read surface, usable with no item selected", () => {
    expect(xml).toContain('xsi:type="MailApp"');
    expect(xml).toContain('<ExtensionPoint xsi:type="MessageReadCommandSurface">');
    expect(xml).toMatch(/<Action xsi:type="ShowTaskpane">\s*<SourceLocation resid="TaskpaneUrl"\/>/);
    expect(xml).toContain("<SupportsPinning>true</SupportsPinning>");
    expect(xml).toContain("<SupportsNoItemContext>true</SupportsNoItemContext>");
    expect(xml).toContain("<Permissions>ReadItem</Permissions>");
  });

  it("points every URL at the chosen origin (or Entra ID for the sign-in dialog)", () => {
    const urls = [...xml.matchAll(/DefaultValue="(https?:[^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) expect(url.startsWith("https://contacts.example.com/pane/")).toBe(true);
    expect(xml).not.toContain("localhost");
    expect(xml).not.toMatch(/\{\{/);
  });

  it("every resid names a resource", () => {
    const defined = new Set([...xml.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]));
    const used = [...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(defined).toContain(id);
  });

  it("every icon the manifest names exists with the size its name says", () => {
    const icons = [...xml.matchAll(/\/assets\/(icon-(\d+)\.png)/g)];
    expect(new Set(icons.map((m) => m[1]))).toEqual(new Set(["icon-16.png", "icon-32.png", "icon-64.png", "icon-80.png", "icon-128.png"]));
    for (const size of [16, 32, 64, 80, 128]) {
      const png = fs.readFileSync(path.join(repoRoot, "assets", `icon-${size}.png`));
      expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
      expect(png.readUInt32BE(16)).toBe(size); // IHDR width
      expect(png.readUInt32BE(20)).toBe(size); // IHDR height
    }
  });

  it("escapes values that would break the XML", async () => {
    const named = manifestLib.renderManifest({ origin: "https://contacts.example.com", displayName: 'Smith & "Jones" <Sync>' });
    expect(named).toContain("Smith &amp; &quot;Jones&quot; &lt;Sync&gt;");
    expect((await xmllint(named, "escaped.xml")).code).toBe(0);
  });
});

describe("origin and version checks", () => {
  it("refuses origins Outlook would not load", () => {
    expect(() => manifestLib.normalizeOrigin("http://contacts.example.com")).toThrow(/https/);
    expect(() => manifestLib.normalizeOrigin("not a url")).toThrow(/not a URL/);
    expect(() => manifestLib.normalizeOrigin("")).toThrow(/required/);
    expect(() => manifestLib.normalizeOrigin("https://x.example/?a=1")).toThrow(/query/);
  });

  it("normalizes trailing slashes", () => {
    expect(manifestLib.normalizeOrigin("https://x.example/a/")).toBe("https://x.example/a");
    expect(manifestLib.normalizeOrigin("https://x.example")).toBe("https://x.example");
  });

  it("refuses an id that is not a GUID", () => {
    expect(() => manifestLib.renderManifest({ origin: "https://x.example", id: "my-addin" })).toThrow(/GUID/);
  });

  it("derives a four-part version from the package version", () => {
    expect(manifestLib.manifestVersion("1.2.3")).toBe("1.2.3.0");
    expect(manifestLib.manifestVersion("0.1.0-beta.1")).toBe("0.1.0.0");
    expect(() => manifestLib.manifestVersion("one")).toThrow();
  });

  it("refuses an unknown placeholder in the template", () => {
    expect(() => manifestLib.renderManifest({ origin: "https://x.example", template: "<a>{{NOPE}}</a>" })).toThrow(/NOPE/);
  });
});
