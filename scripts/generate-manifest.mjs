#!/usr/bin/env node
// Writes the add-in manifests from manifest/manifest.template.xml.
//   node scripts/generate-manifest.mjs                          → manifest.xml (https://localhost:3000)
//   node scripts/generate-manifest.mjs --origin https://contacts.example.com [--out manifest.production.xml]
//        [--id <guid>] [--name "Contact Sync"] [--support-url https://…]
// ADDIN_ORIGIN / ADDIN_ID may be given instead of --origin / --id.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import manifest from "./lib/manifest.cjs";

const { values } = parseArgs({
  options: {
    origin: { type: "string" },
    out: { type: "string" },
    id: { type: "string" },
    name: { type: "string" },
    "support-url": { type: "string" },
  },
});

const origin = values.origin ?? process.env.ADDIN_ORIGIN;
try {
  if (!origin) {
    const out = path.resolve(values.out ?? path.join(manifest.repoRoot, "manifest.xml"));
    fs.writeFileSync(out, manifest.renderLocalhostManifest());
    console.log(`Wrote ${path.relative(process.cwd(), out) || out} for ${manifest.LOCALHOST_ORIGIN}`);
  } else {
    const xml = manifest.renderManifest({
      origin,
      id: values.id ?? process.env.ADDIN_ID ?? manifest.PRODUCTION_ID,
      displayName: values.name,
      supportUrl: values["support-url"],
    });
    const out = path.resolve(values.out ?? path.join(manifest.repoRoot, "manifest.production.xml"));
    fs.writeFileSync(out, xml);
    console.log(`Wrote ${path.relative(process.cwd(), out) || out} for ${manifest.normalizeOrigin(origin)}`);
  }
} catch (error) {
  console.error(`generate-manifest: ${error.message}`);
  process.exit(1);
}
