// Words for the R15 safety stop: what the stopped plan would do, counted from its rows, so the
// dialog and Status name the cause with numbers ("30 contacts would be removed from your Outlook
// folder") rather than repeating the engine's one-line trigger.
import type { PlannedChange, SafetyStop } from "../../../sync/plan-types";
import { ENGLISH, type Translator } from "../../i18n/translator";

export interface SafetyCause {
  /** Which store the stop protects. */
  title: string;
  /** One sentence per kind of change that triggered the stop. */
  detail: string;
  parts: string[];
}

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

export function safetyCause(stop: SafetyStop, changes: readonly PlannedChange[] = [], t: Translator = ENGLISH): SafetyCause {
  const n = safetyCounts(changes);
  const parts: string[] = [];
  if (n.removeFromOutlook) parts.push(t.t("safety.removeFromOutlook", { count: n.removeFromOutlook }));
  if (n.goneFromOutlook) {
    const deletion = n.deleteInPractice ? t.t("safety.goneDeletes", { count: n.deleteInPractice }) : "";
    parts.push(t.t("safety.gone", { count: n.goneFromOutlook, deletion }));
  }
  if (n.overwriteOutlook) parts.push(t.t("safety.overwriteOutlook", { count: n.overwriteOutlook }));
  if (n.overwritePractice) parts.push(t.t("safety.overwritePractice", { count: n.overwritePractice }));
  const title = t.t(stop.side === "outlook" ? "safety.titleOutlook" : "safety.titlePractice");
  return { title, detail: parts.length ? parts.join(" ") : stop.reason, parts };
}
