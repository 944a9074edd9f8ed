// Words for the R15 safety stop: what the stopped plan would do, counted from its rows, so the
// dialog and Status name the cause with numbers ("30 contacts would be removed from your Outlook
// folder") rather than repeating the engine's one-line trigger.
import type { PlannedChange, SafetyStop } from "../../../sync/plan-types";

export interface SafetyCause {
  /** Which store the stop protects. */
  title: string;
  /** One sentence per kind of change that triggered the stop. */
  detail: string;
  parts: string[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Counts the rows that remove or overwrite something on each side. */
export function safetyCounts(changes: readonly PlannedChange[]) {
  let removeFromOutlook = 0;
  let goneFromOutlook = 0;
  let deleteInPractice = 0;
  let overwriteOutlook = 0;
  let overwritePractice = 0;
  for (const c of changes) {
    if (c.group === "remove") {
      if (c.direction === "toOutlook" || c.direction === "both") removeFromOutlook++;
      else goneFromOutlook++;
      if (c.direction === "toPractice") deleteInPractice++;
    } else if (c.group === "update") {
      if (c.fields.some((f) => f.target === "outlook")) overwriteOutlook++;
      if (c.fields.some((f) => f.target === "practice")) overwritePractice++;
    }
  }
  return { removeFromOutlook, goneFromOutlook, deleteInPractice, overwriteOutlook, overwritePractice };
}

export function safetyCause(stop: SafetyStop, changes: readonly PlannedChange[] = []): SafetyCause {
  const n = safetyCounts(changes);
  const parts: string[] = [];
  if (n.removeFromOutlook) parts.push(`${plural(n.removeFromOutlook, "contact", "contacts")} would be removed from your Outlook folder (to Deleted Items).`);
  if (n.goneFromOutlook)
    parts.push(
      `${plural(n.goneFromOutlook, "contact is", "contacts are")} no longer in your Outlook folder; applying stops syncing ${n.goneFromOutlook === 1 ? "it" : "them"}${n.deleteInPractice ? ` and deletes ${plural(n.deleteInPractice, "standalone contact", "standalone contacts")} in the practice system` : ""}.`,
    );
  if (n.overwriteOutlook) parts.push(`${plural(n.overwriteOutlook, "contact", "contacts")} would be overwritten in Outlook.`);
  if (n.overwritePractice) parts.push(`${plural(n.overwritePractice, "contact", "contacts")} would be changed in the practice system.`);
  const title = `Large change to ${stop.side === "outlook" ? "your Outlook folder" : "the practice system"}: please confirm`;
  return { title, detail: parts.length ? parts.join(" ") : stop.reason, parts };
}
