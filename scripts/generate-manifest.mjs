#!/usr/bin/env node
// Writes both add-in manifests, the XML one (manifest/manifest.template.xml) and the unified one
// (manifest.json, scripts/lib/unified-manifest.cjs), from the same values, with the unified manifest's
// language files (manifest.<locale>.json, from manifest/locales/; the XML carries its translations inline).
//   node scripts/generate-manifest.mjs                  → manifest.xml + manifest.json (https://localhost:3000)
//   node scripts/generate-manifest.mjs --origin https://contacts.example.com [--out-dir DIR]
//        [--id <guid>] [--name "Contact Sync"] [--short-name "Contact Sync"] [--support-url https://…]
//        → DIR/manifest.production.xml + DIR/manifest.production.json (DIR defaults to the repository)
// ADDIN_ORIGIN / ADDIN_ID may be given instead of --origin / --id.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import manifest from "./lib/manifest.cjs";
import unified from "./lib/unified-manifest.cjs";

const { values } = parseArgs({
  options: {
    origin: { type: "string" },
    "out-dir": { type: "string" },
    id: { type: "string" },
    name: { type: "string" },
    "short-name": { type: "string" },
    "support-url": { type: "string" },
  },
});

const origin = values.origin ?? process.env.ADDIN_ORIGIN;
const outDir = path.resolve(values["out-dir"] ?? manifest.repoRoot);
const write = (name, text, forOrigin) => {
  const out = path.join(outDir, name);
  fs.writeFileSync(out, text);
  console.log(`Wrote ${path.relative(process.cwd(), out) || out} for ${forOrigin}`);
};
try {
  fs.mkdirSync(outDir, { recursive: true });
  if (!origin) {
    write("manifest.xml", manifest.renderLocalhostManifest(), manifest.LOCALHOST_ORIGIN);
    write("manifest.json", unified.renderLocalhostUnifiedManifest(), manifest.LOCALHOST_ORIGIN);
    for (const [file, text] of Object.entries(unified.renderLocalhostUnifiedLocalizations())) write(file, text, manifest.LOCALHOST_ORIGIN);
  } else {
    const options = {
      origin,
      id: values.id ?? process.env.ADDIN_ID ?? manifest.PRODUCTION_ID,
      displayName: values.name,
      shortName: values["short-name"],
      supportUrl: values["support-url"],
      localizationPrefix: "manifest.production",
    };
    // Render both before writing either, so a bad value leaves no half-written pair.
    const xml = manifest.renderManifest(options);
    const json = unified.renderUnifiedManifestText(options);
    const languages = unified.renderUnifiedLocalizationTexts(options);
    write("manifest.production.xml", xml, manifest.normalizeOrigin(origin));
    write("manifest.production.json", json, manifest.normalizeOrigin(origin));
    for (const [file, text] of Object.entries(languages)) write(file, text, manifest.normalizeOrigin(origin));
  }
} catch (error) {
  console.error(`generate-manifest: ${error.message}`);
  process.exit(1);
}
