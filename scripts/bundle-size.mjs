#!/usr/bin/env node
// Prints the task pane's first-load JavaScript, gzipped: the scripts taskpane.html loads directly
// (runtime, vendor chunks, the entry), not the lazy chunks a view loads later, and not office.js
// (Microsoft's CDN). Bar: 250 KB (issue 11; DESIGN §7 allows 350).
//   npm run build && node scripts/bundle-size.mjs [--dist dist] [--max-kb 250]
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { dist: { type: "string", default: "dist" }, "max-kb": { type: "string" }, json: { type: "boolean" } } });
const dist = path.resolve(values.dist);
const page = path.join(dist, "taskpane.html");
if (!fs.existsSync(page)) {
  console.error(`bundle-size: ${path.relative(process.cwd(), page)} not found; run npm run build first.`);
  process.exit(2);
}

const html = fs.readFileSync(page, "utf8");
const scripts = [...html.matchAll(/<script\b[^>]*\bsrc=["']?([^"'\s>]+)/gi)]
  .map((m) => m[1])
  .filter((src) => !/^[a-z]+:\/\//i.test(src) && !src.startsWith("/office/"));

const rows = scripts.map((src) => {
  const file = path.join(dist, src.replace(/^\.?\//, ""));
  const raw = fs.readFileSync(file);
  return { file: src, bytes: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
});
const allJs = fs.readdirSync(dist).filter((f) => f.endsWith(".js"));
const lazy = allJs.filter((f) => !scripts.includes(f));
const total = rows.reduce((s, r) => ({ bytes: s.bytes + r.bytes, gzip: s.gzip + r.gzip }), { bytes: 0, gzip: 0 });
const kb = (n) => (n / 1024).toFixed(1);

if (values.json) {
  console.log(JSON.stringify({ firstLoad: rows, total, lazyChunks: lazy.length }, null, 2));
} else {
  console.log("First-load JavaScript of taskpane.html (gzip -9):");
  for (const r of rows) console.log(`  ${r.file.padEnd(40)} ${kb(r.bytes).padStart(8)} KB raw ${kb(r.gzip).padStart(8)} KB gzip`);
  console.log(`  ${"total".padEnd(40)} ${kb(total.bytes).padStart(8)} KB raw ${kb(total.gzip).padStart(8)} KB gzip`);
  console.log(`Loaded later (lazy chunks and the sign-in pages): ${lazy.length} files.`);
}

const max = values["max-kb"] ? Number(values["max-kb"]) : null;
if (max !== null && total.gzip > max * 1024) {
  console.error(`bundle-size: first load is ${kb(total.gzip)} KB gzipped, over the ${max} KB bar.`);
  process.exit(1);
}
