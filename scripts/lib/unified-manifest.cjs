// Renders the unified manifest for Microsoft 365 (manifest.json) from the same values as the XML manifest
// (scripts/lib/manifest.cjs): same ids, names, origin, icons, permission, surface and pinning. The XML
// stays the manifest for clients the unified one does not reach (Outlook on Mac, mobile, perpetual
// Office; learn.microsoft.com/office/dev/add-ins/develop/add-in-manifests), see docs/admin-guide.md.
"use strict";
const { manifestValues, LOCALHOST_OPTIONS } = require("./manifest.cjs");

/** The unified manifest version rendered, and the schema it is checked against. */
const UNIFIED_MANIFEST_VERSION = "1.17";
const UNIFIED_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const LOCALIZATION_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;

/**
 * The language file of one locale, named after the manifest it belongs to ("manifest.es-ES.json" next to
 * "manifest.json"); it travels in the app package beside manifest.json.
 */
function localizationFileName(tag, prefix = "manifest") {
  return `${prefix}.${tag}.json`;
}

// Where the translated ribbon words sit in the manifest below (the localization schema addresses them by path).
const GROUP_PATH = "extensions[0].ribbons[0].tabs[0].groups[0]";
const CONTROL_PATH = `${GROUP_PATH}.controls[0]`;

/** Files that travel inside the app package (zip) next to manifest.json, named as in the package. */
const PACKAGE_ICONS = { color: { file: "color-192.png", size: 192 }, outline: { file: "outline-32.png", size: 32 } };

// The XML's <Permissions>ReadItem</Permissions> in the unified manifest's terms
// (learn.microsoft.com/microsoft-365/extensibility/schema/root-authorization-permissions-resource-specific).
const READ_ITEM_PERMISSION = "MailboxItem.Read.User";

const RUNTIME_ID = "TaskpaneRuntime";
const ACTION_ID = "OpenPane";

/**
 * @param {Parameters<typeof manifestValues>[0]} options
 * @returns {object} the manifest.json document
 */
function renderUnifiedManifest(options) {
  const v = manifestValues(options);
  if (v.SHORT_NAME.length > 30) {
    throw new Error(`The short name "${v.SHORT_NAME}" is longer than the unified manifest allows (30 characters); give a shortName`);
  }
  // The schema's other limits on our values; refused rather than cut, like the short name.
  for (const [what, value, max] of [["provider name", v.PROVIDER, 32], ["display name (the ribbon group's label)", v.DISPLAY_NAME, 64]]) {
    if (value.length > max) throw new Error(`The ${what} "${value}" is longer than the unified manifest allows (${max} characters)`);
  }
  const url = (file) => `${v.ORIGIN}/${file}`;
  const icons = (sizes) => sizes.map((size) => ({ size, url: url(`assets/icon-${size}.png`) }));
  // Mailbox 1.5 for pinning, as the XML's VersionOverrides V1_1 requires.
  const mailbox = (minVersion) => ({ capabilities: [{ name: "Mailbox", minVersion }] });
  return {
    $schema: UNIFIED_SCHEMA_URL,
    manifestVersion: UNIFIED_MANIFEST_VERSION,
    version: v.VERSION.split(".").slice(0, 3).join("."),
    id: v.ID,
    localizationInfo: {
      defaultLanguageTag: "en-us",
      additionalLanguages: Object.keys(v.LOCALES).map((tag) => ({
        languageTag: tag.toLowerCase(),
        file: localizationFileName(tag, options.localizationPrefix),
      })),
    },
    developer: { name: v.PROVIDER, websiteUrl: v.SUPPORT_URL, privacyUrl: v.SUPPORT_URL, termsOfUseUrl: v.SUPPORT_URL },
    name: { short: v.SHORT_NAME, full: v.DISPLAY_NAME },
    description: { short: v.SHORT_DESCRIPTION, full: v.DESCRIPTION },
    icons: { outline: PACKAGE_ICONS.outline.file, color: PACKAGE_ICONS.color.file },
    accentColor: "#0F6CBD",
    // The Office dialog fallback for sign-in starts on our origin and then navigates to Entra ID.
    validDomains: ["login.microsoftonline.com"],
    authorization: { permissions: { resourceSpecific: [{ name: READ_ITEM_PERMISSION, type: "Delegated" }] } },
    extensions: [
      {
        requirements: { scopes: ["mail"], ...mailbox("1.1") },
        runtimes: [
          {
            requirements: mailbox("1.5"),
            id: RUNTIME_ID,
            type: "general",
            code: { page: url("taskpane.html") },
            lifetime: "short",
            actions: [
              {
                id: ACTION_ID,
                type: "openPage",
                pinnable: true,
                supportsNoItemContext: true,
                multiselect: false,
              },
            ],
          },
        ],
        ribbons: [
          {
            requirements: mailbox("1.5"),
            contexts: ["mailRead"],
            tabs: [
              {
                builtInTabId: "TabDefault",
                groups: [
                  {
                    id: "PcsReadGroup",
                    label: v.DISPLAY_NAME,
                    icons: icons([16, 32, 80]),
                    controls: [
                      {
                        id: "PcsOpenPaneButton",
                        type: "button",
                        label: v.BUTTON_LABEL,
                        icons: icons([16, 32, 80]),
                        supertip: { title: v.BUTTON_LABEL, description: v.BUTTON_TOOLTIP },
                        actionId: ACTION_ID,
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
        // The XML's IconUrl and HighResolutionIconUrl: the high-resolution icon is named by its nominal
        // size (64) and drawn at twice that.
        alternates: [
          {
            alternateIcons: {
              icon: { size: 64, url: url("assets/icon-64.png") },
              highResolutionIcon: { size: 64, url: url("assets/icon-128.png") },
            },
          },
        ],
      },
    ],
  };
}

/** JSON text as committed (two-space indent, final newline). */
function renderUnifiedManifestText(options) {
  return JSON.stringify(renderUnifiedManifest(options), null, 2) + "\n";
}

/**
 * The language files the manifest names (localizationInfo.additionalLanguages), by file name: the
 * translated names, descriptions and ribbon words; a name with no translation is repeated as is (the
 * schema requires both names in every file).
 * @param {Parameters<typeof manifestValues>[0] & { localizationPrefix?: string }} options
 * @returns {Record<string, object>}
 */
function renderUnifiedLocalizations(options) {
  const v = manifestValues(options);
  const files = {};
  for (const [tag, words] of Object.entries(v.LOCALES)) {
    const w = { ...v, ...words };
    files[localizationFileName(tag, options.localizationPrefix)] = {
      $schema: LOCALIZATION_SCHEMA_URL,
      "name.short": w.SHORT_NAME,
      "name.full": w.DISPLAY_NAME,
      "description.short": w.SHORT_DESCRIPTION,
      "description.full": w.DESCRIPTION,
      [`${GROUP_PATH}.label`]: w.DISPLAY_NAME,
      [`${CONTROL_PATH}.label`]: w.BUTTON_LABEL,
      [`${CONTROL_PATH}.supertip.title`]: w.BUTTON_LABEL,
      [`${CONTROL_PATH}.supertip.description`]: w.BUTTON_TOOLTIP,
    };
  }
  return files;
}

/** The language files as committed text, by file name. */
function renderUnifiedLocalizationTexts(options) {
  return Object.fromEntries(Object.entries(renderUnifiedLocalizations(options)).map(([file, doc]) => [file, JSON.stringify(doc, null, 2) + "\n"]));
}

/** The dev server's unified manifest (`npm run start:outlook`). */
function renderLocalhostUnifiedManifest() {
  return renderUnifiedManifestText(LOCALHOST_OPTIONS);
}

/** The dev server's language files, by file name. */
function renderLocalhostUnifiedLocalizations() {
  return renderUnifiedLocalizationTexts(LOCALHOST_OPTIONS);
}

module.exports = {
  UNIFIED_MANIFEST_VERSION,
  UNIFIED_SCHEMA_URL,
  LOCALIZATION_SCHEMA_URL,
  localizationFileName,
  PACKAGE_ICONS,
  READ_ITEM_PERMISSION,
  renderUnifiedManifest,
  renderUnifiedManifestText,
  renderLocalhostUnifiedManifest,
  renderUnifiedLocalizations,
  renderUnifiedLocalizationTexts,
  renderLocalhostUnifiedLocalizations,
};
