// The user's shared decisions for a folder (ports.ts FolderDecision): how the engine gathers the
// changes one run makes to them, so they are sent in one call.
import type { FolderDecision, FolderDecisionsChange } from "./ports";

/** Adds `more` to `into` (in place): later puts and removes come after earlier ones. */
export function mergeDecisions(into: FolderDecisionsChange, more: FolderDecisionsChange | undefined): FolderDecisionsChange {
  if (!more) return into;
  if (more.remove?.length) into.remove = [...(into.remove ?? []), ...more.remove];
  if (more.put?.length) into.put = [...(into.put ?? []), ...more.put];
  return into;
}

export function hasDecisionChanges(c: FolderDecisionsChange | undefined): boolean {
  return !!c && ((c.put?.length ?? 0) > 0 || (c.remove?.length ?? 0) > 0);
}

/** What a change does to a set of decisions (the practice API applies the same rules). */
export function applyDecisionChange(list: readonly FolderDecision[], change: FolderDecisionsChange): FolderDecision[] {
  let out = [...list];
  for (const r of change.remove ?? []) out = out.filter((d) => !(d.practiceId === r.practiceId && d.kind === r.kind));
  for (const d of change.put ?? []) {
    out = out.filter((x) => !(x.practiceId === d.practiceId && x.kind === d.kind && x.outlookId === d.outlookId));
    out.push(d);
  }
  return out;
}

/** Decisions by practice id. */
export function decisionsByRecord(list: readonly FolderDecision[]): Map<string, FolderDecision[]> {
  const byP = new Map<string, FolderDecision[]>();
  for (const d of list) byP.set(d.practiceId, [...(byP.get(d.practiceId) ?? []), d]);
  return byP;
}

/**
 * R2: the record that stands for a deleted one because the user kept its contact as a record of its own
 * (FolderDecision.replacedBy), following keeps of keeps. Undefined when there is none, or more than one
 * (two devices each kept a contact of it): then no record is taken for it.
 */
export function successorOf(pid: string, byP: ReadonlyMap<string, readonly FolderDecision[]>): string | undefined {
  let current = pid;
  const seen = new Set([pid]);
  for (;;) {
    const next = new Set((byP.get(current) ?? []).flatMap((d) => (d.kind === "retired" && d.replacedBy ? [d.replacedBy] : [])));
    const [only] = next;
    if (next.size !== 1 || seen.has(only)) break;
    seen.add(only);
    current = only;
  }
  return current === pid ? undefined : current;
}
