// Manifest translations (manifest/locales/*.json): the XML manifest carries them as <Override Locale>
// elements, the unified manifest as language files named in localizationInfo; both say the same words,
// and both pass Microsoft's schemas offline.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON document under test
interface Locale {
  texts: Record<string, string>;
  displayNames: Record<string, string>;
  shortNames: Record<string, string>;
}
const manifestLib = require("../../scripts/lib/manifest.cjs") as {
  repoRoot: string;
  renderManifest(options: { origin: string; displayName?: string; locales?: Record<string, Locale> }): string;
  readLocaleFiles(dir?: string): Record<string, Locale>;
};
const unified = require("../../scripts/lib/unified-manifest.cjs") as {
  renderUnifiedManifest(options: { origin: string; displayName?: string; shortName?: string; localizationPrefix?: string }): Doc;
  renderUnifiedLocalizations(options: { origin: string; displayName?: string; shortName?: string; localizationPrefix?: string }): Record<string, Doc>;
  renderLocalhostUnifiedLocalizations(): Record<string, string>;
};
const check = require("../../scripts/lib/validate-manifest.cjs") as {
  validateXmlManifest(xml: string): Promise<{ valid: boolean; errors: string[] }>;
  validateUnifiedLocalization(doc: unknown): { valid: boolean; errors: string[] };
};

const ORIGIN = "https://contacts.example.com";
const es = manifestLib.readLocaleFiles()["es-ES"];
const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

describe("Spanish manifest texts", () => {
  it("ship every product text", () => {
    expect(es).toBeDefined();
    expect(Object.keys(es.texts).sort()).toEqual(["BUTTON_LABEL", "BUTTON_TOOLTIP", "DESCRIPTION", "SHORT_DESCRIPTION"]);
  });

  it("become <Override Locale=\"es-ES\"> on the name, description and ribbon words of the XML, which the XSD accepts", async () => {
    const xml = manifestLib.renderManifest({ origin: ORIGIN });
    const override = (bt: boolean, text: string) => `<${bt ? "bt:" : ""}Override Locale="es-ES" Value="${xmlText(text)}"/>`;
    expect(xml).toContain(`<DisplayName DefaultValue="Practice Contact Sync">${override(false, es.displayNames["Practice Contact Sync"])}</DisplayName>`);
    expect(xml).toMatch(new RegExp(`<Description DefaultValue="[^"]+">${escapeRe(override(false, es.texts.DESCRIPTION))}</Description>`));
    expect(xml).toContain(`<bt:String id="GroupLabel" DefaultValue="Practice Contact Sync">${override(true, es.displayNames["Practice Contact Sync"])}</bt:String>`);
    expect(xml).toContain(`<bt:String id="OpenPaneLabel" DefaultValue="Contact sync">${override(true, es.texts.BUTTON_LABEL)}</bt:String>`);
    expect(xml).toMatch(new RegExp(`id="OpenPaneTooltip" DefaultValue="[^"]+">${escapeRe(override(true, es.texts.BUTTON_TOOLTIP))}</bt:String>`));
    expect(await check.validateXmlManifest(xml)).toEqual({ valid: true, errors: [] });
  });

  it("become a language file the unified manifest names, with the same words, valid against Microsoft's localization schema", () => {
    const doc = unified.renderUnifiedManifest({ origin: ORIGIN, localizationPrefix: "manifest.production" });
    expect(doc.localizationInfo).toEqual({
      defaultLanguageTag: "en-us",
      additionalLanguages: [{ languageTag: "es-es", file: "manifest.production.es-ES.json" }],
    });
    const files = unified.renderUnifiedLocalizations({ origin: ORIGIN, localizationPrefix: "manifest.production" });
    const lang = files["manifest.production.es-ES.json"];
    expect(lang).toMatchObject({
      "name.full": es.displayNames["Practice Contact Sync"],
      "name.short": es.shortNames["Practice Contact Sync"],
      "description.full": es.texts.DESCRIPTION,
      "description.short": es.texts.SHORT_DESCRIPTION,
      "extensions[0].ribbons[0].tabs[0].groups[0].controls[0].label": es.texts.BUTTON_LABEL,
      "extensions[0].ribbons[0].tabs[0].groups[0].controls[0].supertip.description": es.texts.BUTTON_TOOLTIP,
    });
    // Every translated path exists in the manifest it translates.
    for (const key of Object.keys(lang).filter((k) => k.startsWith("extensions"))) {
      expect(valueAt(doc, key)).toEqual(expect.any(String));
    }
    expect(check.validateUnifiedLocalization(lang)).toEqual({ valid: true, errors: [] });
  });

  it("the committed language file is what the template renders", () => {
    for (const [file, text] of Object.entries(unified.renderLocalhostUnifiedLocalizations())) {
      expect(fs.readFileSync(path.join(manifestLib.repoRoot, file), "utf8")).toBe(text);
    }
  });

  it("leave a name an administrator chose as given, in every language", () => {
    const xml = manifestLib.renderManifest({ origin: ORIGIN, displayName: "Smith & Co contacts" });
    expect(xml).toContain(`<DisplayName DefaultValue="Smith &amp; Co contacts"></DisplayName>`);
    const lang = Object.values(unified.renderUnifiedLocalizations({ origin: ORIGIN, displayName: "Smith & Co contacts", shortName: "Smith contacts" }))[0];
    expect(lang["name.full"]).toBe("Smith & Co contacts");
    expect(lang["name.short"]).toBe("Smith contacts");
    expect(lang["description.full"]).toBe(es.texts.DESCRIPTION);
  });
});

describe("a bad locale file", () => {
  const withFile = (name: string, doc: unknown) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-locales-"));
    fs.writeFileSync(path.join(dir, name), JSON.stringify(doc));
    return () => manifestLib.readLocaleFiles(dir);
  };

  it("is refused with the text it lacks", () => {
    expect(withFile("fr-FR.json", { texts: { ...es.texts, BUTTON_TOOLTIP: " " } })).toThrow(/fr-FR\.json: texts\.BUTTON_TOOLTIP is missing/);
  });

  it("is refused for a text the manifest does not have, or a file name that is not a locale", () => {
    expect(withFile("fr-FR.json", { texts: { ...es.texts, SLOGAN: "x" } })).toThrow(/texts\.SLOGAN is not a manifest text/);
    expect(withFile("french.json", { texts: es.texts })).toThrow(/name it <language>-<REGION>\.json/);
  });

  it("with a translation over the XML schema's limit is refused when rendering", () => {
    const locales = { "fr-FR": { ...es, texts: { ...es.texts, BUTTON_LABEL: "x".repeat(126) } } };
    expect(() => manifestLib.renderManifest({ origin: ORIGIN, locales })).toThrow(/translated BUTTON_LABEL is longer/);
  });

  it("a language file with a short name over 30 characters fails Microsoft's schema", () => {
    const lang = Object.values(unified.renderUnifiedLocalizations({ origin: ORIGIN }))[0];
    expect(check.validateUnifiedLocalization({ ...lang, "name.short": "x".repeat(31) }).valid).toBe(false);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The value at a localization key such as "extensions[0].ribbons[0].tabs[0].groups[0].label". */
function valueAt(doc: Doc, key: string): unknown {
  return key
    .split(/\.|(?=\[)/)
    .reduce<unknown>((v, part) => {
      if (v === undefined || v === null) return undefined;
      const m = /^\[(\d+)\]$/.exec(part);
      return m ? (v as unknown[])[Number(m[1])] : (v as Doc)[part];
    }, doc);
}
