#!/usr/bin/env node
// `npm run validate`: checks both manifests offline. The XML manifest against Microsoft's XSDs (xmllint),
// the unified manifest against Microsoft's JSON schema for its version (@microsoft/app-manifest), and
// that the committed manifest.xml / manifest.json are what the template renders (no hand edits).
//   node scripts/validate-manifests.mjs                    the committed localhost pair
//   node scripts/validate-manifests.mjs FILE.xml FILE.json  any manifests (e.g. a production pair)
import fs from "node:fs";
import path from "node:path";
import manifest from "./lib/manifest.cjs";
import unified from "./lib/unified-manifest.cjs";
import check from "./lib/validate-manifest.cjs";

const files = process.argv.slice(2);
const targets = files.length > 0 ? files.map((f) => path.resolve(f)) : ["manifest.xml", "manifest.json"].map((f) => path.join(manifest.repoRoot, f));
let failed = false;
const report = (file, errors) => {
  const name = path.relative(process.cwd(), file) || file;
  if (errors.length === 0) console.log(`✓ ${name}`);
  else {
    failed = true;
    console.error(`✗ ${name}\n${errors.map((e) => `    ${e}`).join("\n")}`);
  }
};

for (const file of targets) {
  if (!fs.existsSync(file)) {
    report(file, ["file not found"]);
    continue;
  }
  const text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".xml")) {
    const { errors } = await check.validateXmlManifest(text);
    if (files.length === 0 && text !== manifest.renderLocalhostManifest()) errors.push("differs from the template: run node scripts/generate-manifest.mjs");
    report(file, errors);
  } else if (file.endsWith(".json")) {
    let doc;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      report(file, [`not JSON: ${error.message}`]);
      continue;
    }
    const { errors } = check.validateUnifiedManifest(doc);
    if (files.length === 0 && text !== unified.renderLocalhostUnifiedManifest()) errors.push("differs from the template: run node scripts/generate-manifest.mjs");
    report(file, errors);
    // The language files it names, beside it (they travel in the same app package).
    const rendered = files.length === 0 ? unified.renderLocalhostUnifiedLocalizations() : null;
    for (const { file: name } of doc.localizationInfo?.additionalLanguages ?? []) {
      const langFile = path.join(path.dirname(file), name);
      if (!fs.existsSync(langFile)) {
        report(langFile, ["file not found (named in localizationInfo.additionalLanguages)"]);
        continue;
      }
      const langText = fs.readFileSync(langFile, "utf8");
      let langDoc;
      try {
        langDoc = JSON.parse(langText);
      } catch (error) {
        report(langFile, [`not JSON: ${error.message}`]);
        continue;
      }
      const lang = check.validateUnifiedLocalization(langDoc);
      if (rendered && langText !== rendered[name]) lang.errors.push("differs from the template: run node scripts/generate-manifest.mjs");
      report(langFile, lang.errors);
    }
  } else {
    report(file, ["expected a .xml or .json manifest"]);
  }
}
console.log(`Schemas: ${check.xsdPath()}; ${check.unifiedSchemaPath()} (manifest ${unified.UNIFIED_MANIFEST_VERSION})`);
process.exit(failed ? 1 : 0);
