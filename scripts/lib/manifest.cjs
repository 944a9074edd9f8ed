// Renders manifest/manifest.template.xml for one origin (scripts/lib/unified-manifest.cjs renders the
// unified manifest from the same values). CommonJS so that webpack.config.js, the .mjs
// scripts and the jest tests can all share it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..", "..");
const templatePath = path.join(repoRoot, "manifest", "manifest.template.xml");
const localesDir = path.join(repoRoot, "manifest", "locales");

/** Where the dev server listens for Outlook (HTTPS; Outlook refuses http add-ins). */
const LOCALHOST_ORIGIN = "https://localhost:3000";

// Two ids: a sideloaded dev add-in and the deployed one can then sit in the same mailbox side by side.
const PRODUCTION_ID = "6f4c75af-af2b-4b14-8d9c-38594c5ac71a";
const LOCALHOST_ID = "c1f0a6d2-3b7e-4c55-9a1e-5d2b8f0e7a41";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks and normalizes the origin the pane is served from. Outlook only loads add-ins over HTTPS,
 * so anything else is refused here rather than by Outlook at install time. A path prefix is allowed
 * (https://host/addins/contacts); a trailing slash is dropped.
 */
function normalizeOrigin(origin) {
  if (typeof origin !== "string" || origin.trim() === "") {
    throw new Error("The add-in origin is required, e.g. https://contacts.example.com");
  }
  let url;
  try {
    url = new URL(origin.trim());
  } catch {
    throw new Error(`The add-in origin "${origin}" is not a URL (expected e.g. https://contacts.example.com)`);
  }
  if (url.protocol !== "https:") {
    throw new Error(`The add-in origin must use https (Outlook loads add-ins only over HTTPS), got "${origin}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`The add-in origin must be a plain base URL without query, fragment or credentials, got "${origin}"`);
  }
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

function xmlEscape(value) {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** "0.1.0" (package.json) → "0.1.0.0" (the manifest's up-to-four-part version). */
function manifestVersion(packageVersion) {
  const parts = String(packageVersion).split(/[.+-]/).slice(0, 3).map((p) => Number.parseInt(p, 10));
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 99999)) {
    throw new Error(`Cannot derive a manifest version from "${packageVersion}"`);
  }
  return [...parts, 0].join(".");
}

/** The words both manifests show (the pane's own words live in the pane). */
const TEXTS = {
  DESCRIPTION:
    "Keeps the firm's practice contacts and an Outlook contacts folder in two-way sync, with a review of every change before it is committed.",
  SHORT_DESCRIPTION: "Two-way sync of practice contacts with an Outlook contacts folder.",
  BUTTON_LABEL: "Contact sync",
  BUTTON_TOOLTIP: "Open the contact sync pane: review and apply changes between the practice system and your Outlook contacts.",
};

// The XML schema's limits: ShortString 125 characters, LongString (and Description) 250.
const XML_LIMITS = { ID: 125, VERSION: 125, PROVIDER: 125, DISPLAY_NAME: 125, BUTTON_LABEL: 125, DESCRIPTION: 250, BUTTON_TOOLTIP: 250 };

/** The words a locale file may translate (the rest of the values are ids and URLs). */
const TRANSLATABLE = ["DISPLAY_NAME", "SHORT_NAME", ...Object.keys(TEXTS)];

/**
 * The translations in manifest/locales/<tag>.json, by locale tag (the pane's catalogues ship the same
 * locales: src/taskpane/i18n). Every product text must be translated; names only where known.
 * @returns {Record<string, { texts: Record<string, string>, displayNames: Record<string, string>, shortNames: Record<string, string> }>}
 */
function readLocaleFiles(dir = localesDir) {
  const out = {};
  if (!fs.existsSync(dir)) return out;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const tag = file.slice(0, -".json".length);
    if (!/^[a-z]{2,3}-[A-Z]{2}$/.test(tag)) throw new Error(`manifest/locales/${file}: name it <language>-<REGION>.json, e.g. es-ES.json`);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    const texts = doc.texts ?? {};
    for (const key of Object.keys(TEXTS)) {
      if (typeof texts[key] !== "string" || texts[key].trim() === "") throw new Error(`manifest/locales/${file}: texts.${key} is missing`);
    }
    for (const key of Object.keys(texts)) {
      if (!(key in TEXTS)) throw new Error(`manifest/locales/${file}: texts.${key} is not a manifest text`);
    }
    out[tag] = { texts, displayNames: doc.displayNames ?? {}, shortNames: doc.shortNames ?? {} };
  }
  return out;
}

/** A locale's words for these values: its texts, and its names where it knows the names used. */
function localizedValues(values, locale) {
  const words = { ...locale.texts };
  const displayName = locale.displayNames[values.DISPLAY_NAME];
  if (displayName) words.DISPLAY_NAME = displayName;
  const shortName = locale.shortNames[values.SHORT_NAME];
  if (shortName) words.SHORT_NAME = shortName;
  for (const [key, limit] of Object.entries(XML_LIMITS)) {
    if (key in words && words[key].length > limit) throw new Error(`The translated ${key} is longer than the manifest allows (${limit} characters)`);
  }
  return words;
}

/**
 * The values both manifests are rendered from: ids, names, origin, version, texts. One place, so the XML
 * and the unified manifest cannot drift apart.
 * @param {{ origin: string, id?: string, displayName?: string, shortName?: string, provider?: string,
 *           supportUrl?: string, version?: string }} options
 */
function manifestValues(options) {
  const origin = normalizeOrigin(options.origin);
  const id = options.id ?? PRODUCTION_ID;
  if (!GUID.test(id)) throw new Error(`The add-in id must be a GUID, got "${id}"`);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  const displayName = options.displayName ?? "Practice Contact Sync";
  const values = {
    ORIGIN: origin,
    ID: id,
    VERSION: manifestVersion(options.version ?? pkg.version),
    PROVIDER: options.provider ?? "Practice Contact Sync",
    DISPLAY_NAME: displayName,
    SHORT_NAME: options.shortName ?? displayName,
    SUPPORT_URL: options.supportUrl ?? `${origin}/taskpane.html`,
    ...TEXTS,
  };
  for (const [key, limit] of Object.entries(XML_LIMITS)) {
    if (String(values[key]).length > limit) throw new Error(`${key} is longer than the manifest allows (${limit} characters)`);
  }
  const locales = options.locales ?? readLocaleFiles();
  // Not a placeholder value: the translations of the ones above, by locale tag.
  Object.defineProperty(values, "LOCALES", {
    value: Object.fromEntries(Object.entries(locales).map(([tag, locale]) => [tag, localizedValues(values, locale)])),
    enumerable: false,
  });
  return values;
}

/**
 * @param {{ origin: string, id?: string, displayName?: string, provider?: string, supportUrl?: string,
 *           version?: string, template?: string }} options
 * @returns {string} the manifest XML
 */
function renderManifest(options) {
  const values = manifestValues(options);
  const template = options.template ?? fs.readFileSync(templatePath, "utf8");
  const xml = template.replace(/\{\{(?:(BT_)?OVERRIDES )?([A-Z_]+)\}\}/g, (whole, bt, key) => {
    if (!(key in values)) throw new Error(`Unknown manifest placeholder ${whole}`);
    if (!whole.includes("OVERRIDES")) return xmlEscape(values[key]);
    if (!TRANSLATABLE.includes(key)) throw new Error(`${whole}: ${key} is not translated`);
    // <Override Locale="es-ES" Value="…"/> (bt: inside VersionOverrides' resources).
    return Object.entries(values.LOCALES)
      .filter(([, words]) => key in words)
      .map(([tag, words]) => `<${bt ? "bt:" : ""}Override Locale="${xmlEscape(tag)}" Value="${xmlEscape(words[key])}"/>`)
      .join("");
  });
  // The template's own header comment explains the template; the output says where it came from instead.
  return xml.replace(/<!--[\s\S]*?-->/, "<!-- Generated from manifest/manifest.template.xml by scripts/generate-manifest.mjs: edit the template. -->");
}

/** The options of the dev server's add-in (`npm run start:outlook`), shared by both manifests. */
const LOCALHOST_OPTIONS = Object.freeze({
  origin: LOCALHOST_ORIGIN,
  id: LOCALHOST_ID,
  displayName: "Practice Contact Sync (localhost)",
  shortName: "Contact Sync (localhost)",
});

/** The manifest for sideloading the dev server (`npm run start:outlook`). */
function renderLocalhostManifest() {
  return renderManifest(LOCALHOST_OPTIONS);
}

module.exports = {
  LOCALHOST_ORIGIN,
  LOCALHOST_ID,
  LOCALHOST_OPTIONS,
  PRODUCTION_ID,
  manifestValues,
  readLocaleFiles,
  normalizeOrigin,
  manifestVersion,
  renderManifest,
  renderLocalhostManifest,
  templatePath,
  repoRoot,
};
