// The unified manifest (manifest.json) is rendered from the XML manifest's values and checked offline
// against Microsoft's own JSON schema for its version (shipped in @microsoft/app-manifest), plus what a
// schema cannot check: that both manifests say the same thing, actions resolve, icons exist at their sizes.
import fs from "node:fs";
import path from "node:path";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document under test
const manifestLib = require("../../scripts/lib/manifest.cjs") as {
  repoRoot: string;
  LOCALHOST_ID: string;
  PRODUCTION_ID: string;
  renderManifest(options: { origin: string; id?: string; displayName?: string; shortName?: string }): string;
  renderLocalhostManifest(): string;
};
const unified = require("../../scripts/lib/unified-manifest.cjs") as {
  UNIFIED_MANIFEST_VERSION: string;
  UNIFIED_SCHEMA_URL: string;
  PACKAGE_ICONS: Record<"color" | "outline", { file: string; size: number }>;
  READ_ITEM_PERMISSION: string;
  renderUnifiedManifest(options: { origin: string; id?: string; displayName?: string; shortName?: string }): Doc;
  renderLocalhostUnifiedManifest(): string;
};
const check = require("../../scripts/lib/validate-manifest.cjs") as {
  validateUnifiedManifest(doc: unknown): { valid: boolean; errors: string[] };
  validateXmlManifest(xml: string): Promise<{ valid: boolean; errors: string[] }>;
  unifiedSchemaPath(version?: string): string;
};

const repoRoot = manifestLib.repoRoot;
const ORIGIN = "https://contacts.example.com/pane";
const production = () => unified.renderUnifiedManifest({ origin: `${ORIGIN}/` });
const clone = (doc: Doc): Doc => JSON.parse(JSON.stringify(doc)) as Doc;

describe("Microsoft's JSON schema", () => {
  it("is the one for the rendered manifest version, read from the installed package (no network)", () => {
    const schemaFile = check.unifiedSchemaPath();
    expect(schemaFile).toContain(path.join("@microsoft", "app-manifest"));
    expect(schemaFile).toContain(`v${unified.UNIFIED_MANIFEST_VERSION}`);
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Doc;
    expect(schema.properties.extensions).toBeDefined();
    expect(production().$schema).toBe(unified.UNIFIED_SCHEMA_URL);
    expect(production().manifestVersion).toBe(unified.UNIFIED_MANIFEST_VERSION);
  });

  it("accepts the localhost and the production manifest", () => {
    expect(check.validateUnifiedManifest(JSON.parse(unified.renderLocalhostUnifiedManifest()))).toEqual({ valid: true, errors: [] });
    expect(check.validateUnifiedManifest(production())).toEqual({ valid: true, errors: [] });
  });

  it.each<[string, (doc: Doc) => void, RegExp]>([
    ["no icons", (d) => delete d.icons, /icons/],
    ["an unknown ribbon context", (d) => (d.extensions[0].ribbons[0].contexts = ["mailEverywhere"]), /contexts/],
    ["a short name over 30 characters", (d) => (d.name.short = "x".repeat(31)), /name\/short/],
    ["a developer URL that is not a web address", (d) => (d.developer.websiteUrl = "contacts.example.com"), /websiteUrl/],
    ["an unknown top-level property", (d) => (d.extra = true), /additional/],
    ["an id that is not a GUID", (d) => (d.id = "my-addin"), /\/id/],
  ])("rejects a manifest with %s", (_name, breakIt, where) => {
    const doc = clone(production());
    breakIt(doc);
    const result = check.validateUnifiedManifest(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.join("\n")).toMatch(where);
  });
});

describe("one set of values for both manifests", () => {
  const xml = manifestLib.renderManifest({ origin: ORIGIN });
  const doc = production();
  const extension = doc.extensions[0];
  const runtime = extension.runtimes[0];
  const control = extension.ribbons[0].tabs[0].groups[0].controls[0];

  it("the committed manifest.json is the template rendered for localhost, with the dev add-in's id", () => {
    const committed = fs.readFileSync(path.join(repoRoot, "manifest.json"), "utf8");
    expect(committed).toBe(unified.renderLocalhostUnifiedManifest());
    expect((JSON.parse(committed) as Doc).id).toBe(manifestLib.LOCALHOST_ID);
    expect(manifestLib.renderLocalhostManifest()).toContain(`<Id>${manifestLib.LOCALHOST_ID}</Id>`);
  });

  it("same id, version, names, description and button words", () => {
    expect(doc.id).toBe(manifestLib.PRODUCTION_ID);
    expect(xml).toContain(`<Id>${doc.id}</Id>`);
    expect(xml).toContain(`<Version>${doc.version}.0</Version>`);
    expect(xml).toContain(`<DisplayName DefaultValue="${doc.name.full}">`);
    expect(xml).toContain(`<Description DefaultValue="${doc.description.full.replace(/'/g, "&apos;")}">`);
    expect(xml).toContain(`id="OpenPaneLabel" DefaultValue="${control.label}"`);
    expect(xml).toContain(`id="OpenPaneTooltip" DefaultValue="${control.supertip.description}"`);
  });

  it("same surface, pinning, no-item context and permission", () => {
    expect(xml).toContain('<ExtensionPoint xsi:type="MessageReadCommandSurface">');
    expect(extension.ribbons[0].contexts).toEqual(["mailRead"]);
    expect(xml).toContain("<SupportsPinning>true</SupportsPinning>");
    expect(runtime.actions[0]).toMatchObject({ type: "openPage", pinnable: true, supportsNoItemContext: true });
    expect(xml).toContain("<Permissions>ReadItem</Permissions>");
    expect(doc.authorization.permissions.resourceSpecific).toEqual([{ name: unified.READ_ITEM_PERMISSION, type: "Delegated" }]);
    expect(xml).toContain('<bt:Sets DefaultMinVersion="1.5">');
    expect(runtime.requirements.capabilities).toEqual([{ name: "Mailbox", minVersion: "1.5" }]);
  });

  it("the button opens the pane's page on the chosen origin; every URL is on that origin", () => {
    expect(control.actionId).toBe(runtime.actions[0].id);
    expect(runtime.code.page).toBe(`${ORIGIN}/taskpane.html`);
    expect(xml).toContain(`<bt:Url id="TaskpaneUrl" DefaultValue="${runtime.code.page}"/>`);
    const urls = JSON.stringify(doc).match(/https?:\/\/[^"]+/g) ?? [];
    for (const url of urls.filter((u) => u !== unified.UNIFIED_SCHEMA_URL)) expect(url.startsWith(`${ORIGIN}/`)).toBe(true);
    expect(JSON.stringify(doc)).not.toContain("localhost");
  });

  it("every icon it names exists at the size the schema and its name say", () => {
    const urls = (JSON.stringify(doc).match(/\/assets\/icon-\d+\.png/g) ?? []).map((u) => u.slice(1));
    const files = [...new Set(urls), ...Object.values(unified.PACKAGE_ICONS).map((i) => `assets/${i.file}`)];
    expect(doc.icons).toEqual({ color: unified.PACKAGE_ICONS.color.file, outline: unified.PACKAGE_ICONS.outline.file });
    for (const file of files) {
      const size = Number(/-(\d+)\.png$/.exec(file)?.[1]);
      const png = fs.readFileSync(path.join(repoRoot, file));
      expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect(unified.PACKAGE_ICONS).toEqual({ color: { file: "color-192.png", size: 192 }, outline: { file: "outline-32.png", size: 32 } });
  });

  it("refuses a short name the unified manifest cannot hold, instead of cutting it", () => {
    expect(() => unified.renderUnifiedManifest({ origin: ORIGIN, displayName: "Harbour & Co Practice Contact Sync" })).toThrow(/short name/);
    const named = unified.renderUnifiedManifest({ origin: ORIGIN, displayName: "Harbour & Co Practice Contact Sync", shortName: "Harbour Contacts" });
    expect(named.name).toEqual({ short: "Harbour Contacts", full: "Harbour & Co Practice Contact Sync" });
    expect(check.validateUnifiedManifest(named).valid).toBe(true);
    expect(() => unified.renderUnifiedManifest({ origin: ORIGIN, provider: "Harbour & Co Chartered Accountants LLP" } as never)).toThrow(/provider name/);
  });
});
