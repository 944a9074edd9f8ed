// Prints the engine's decision table (src/sync/decision-table.ts) as docs/sync-rules.md shows it;
// with --write, puts it between the markers in that file.
import { readFileSync, writeFileSync } from "node:fs";
import { decisionTableMarkdown } from "../src/sync/decision-table";

const START = "<!-- decision-table:start -->";
const END = "<!-- decision-table:end -->";
const table = decisionTableMarkdown();
if (process.argv.includes("--write")) {
  const path = new URL("../docs/sync-rules.md", import.meta.url);
  const doc = readFileSync(path, "utf8");
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/sync-rules.md has no ${START} … ${END} markers`);
  writeFileSync(path, `${doc.slice(0, a + START.length)}\n${table}\n${doc.slice(b)}`);
} else process.stdout.write(`${table}\n`);
