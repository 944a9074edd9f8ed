// Offline validation of both manifests, shared by `npm run validate` and the tests:
//   XML      xmllint against Microsoft's XSDs (the patched copies in ../shared/schemas/office-manifest, or
//            OFFICE_MANIFEST_XSD_DIR), no network (--nonet);
//   unified  Ajv (JSON Schema draft-04) against Microsoft's own schema for the manifest version, as shipped
//            in @microsoft/app-manifest (build/json-schemas/teams/v<version>/MicrosoftTeams.schema.json;
//            published at https://developer.microsoft.com/json-schemas/teams/v<version>/MicrosoftTeams.schema.json).
"use strict";
const { execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { repoRoot } = require("./manifest.cjs");
const { UNIFIED_MANIFEST_VERSION } = require("./unified-manifest.cjs");

function xsdPath() {
  const dir = process.env.OFFICE_MANIFEST_XSD_DIR || path.resolve(repoRoot, "..", "shared", "schemas", "office-manifest");
  return path.join(dir, "OfficeAppManifestV1_1.xsd");
}

/** @returns {Promise<{ valid: boolean, errors: string[] }>} */
function validateXmlManifest(xml) {
  const schema = xsdPath();
  if (!fs.existsSync(schema)) {
    return Promise.resolve({ valid: false, errors: [`XML schema not found at ${schema} (set OFFICE_MANIFEST_XSD_DIR)`] });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-manifest-"));
  const file = path.join(dir, "manifest.xml");
  fs.writeFileSync(file, xml);
  return new Promise((resolve) => {
    execFile("xmllint", ["--noout", "--nonet", "--schema", schema, file], (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (error && error.code === "ENOENT") {
        resolve({ valid: false, errors: ["xmllint is not installed (Debian/Ubuntu: apt-get install libxml2-utils)"] });
        return;
      }
      const lines = `${stdout}${stderr}`.split("\n").filter((l) => l && !/ validates$/.test(l));
      resolve({ valid: !error, errors: error ? lines.map((l) => l.replace(file, "manifest.xml")) : [] });
    });
  });
}

function unifiedSchemaPath(version = UNIFIED_MANIFEST_VERSION) {
  const pkgDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  return path.join(pkgDir, "build", "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json");
}

/** The schema of the manifest's language files (localizationInfo.additionalLanguages), same package. */
function localizationSchemaPath(version = UNIFIED_MANIFEST_VERSION) {
  return path.join(path.dirname(unifiedSchemaPath(version)), "MicrosoftTeams.Localization.schema.json");
}

const compiled = new Map();
function compileSchema(file, extra = {}) {
  if (!compiled.has(file)) {
    // The schemas are draft-04: Ajv's draft-04 build, with the string formats they use (uri, email, regex…).
    const Ajv04 = require("ajv-draft-04");
    const addFormats = require("ajv-formats");
    const ajv = new Ajv04({ allErrors: true, strict: false, ...extra });
    addFormats(ajv);
    compiled.set(file, ajv.compile(JSON.parse(fs.readFileSync(file, "utf8"))));
  }
  return compiled.get(file);
}
const unifiedValidator = () => compileSchema(unifiedSchemaPath());

/** @returns {{ valid: boolean, errors: string[] }} a language file checked against Microsoft's localization schema */
function validateUnifiedLocalization(doc) {
  // Some of Microsoft's key patterns (the activityTypes ones) are valid JavaScript regular
  // expressions only without the u flag, which Ajv sets by default.
  const validate = compileSchema(localizationSchemaPath(), { unicodeRegExp: false });
  if (validate(doc)) return { valid: true, errors: [] };
  return { valid: false, errors: validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`) };
}

/** @returns {{ valid: boolean, errors: string[] }} */
function validateUnifiedManifest(manifest) {
  const validate = unifiedValidator();
  if (validate(manifest)) return { valid: true, errors: [] };
  return { valid: false, errors: validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`) };
}

module.exports = { validateXmlManifest, validateUnifiedManifest, validateUnifiedLocalization, unifiedSchemaPath, localizationSchemaPath, xsdPath };
