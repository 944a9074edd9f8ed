// Selection state of the pending list (R14): every row starts selected; rows and whole groups can
// be toggled; conflicts carry a keep/delete choice (R11). Produces the ApplyRequest.
import { useCallback, useMemo, useState } from "react";
import type { ApplyRequest, ConflictResolution, SyncPlan } from "../../../sync/plan-types";
import { pendingGroupOf, type PendingGroup } from "./pending-rows";

export type GroupSelection = boolean | "mixed";

export interface PendingSelection {
  isSelected(id: string): boolean;
  toggle(id: string): void;
  groupState(group: PendingGroup): GroupSelection;
  setGroup(group: PendingGroup, on: boolean): void;
  resolution(id: string): ConflictResolution;
  setResolution(id: string, r: ConflictResolution): void;
  selectedCount: number;
  request(force?: boolean): Omit<ApplyRequest, "signal">;
}

export function usePendingSelection(plan: SyncPlan): PendingSelection {
  // Deselected ids rather than selected ones: the default (everything) costs nothing for 10,000 rows.
  const [deselected, setDeselected] = useState<ReadonlySet<string>>(() => new Set());
  const [resolutions, setResolutions] = useState<Record<string, ConflictResolution>>({});

  const idsByGroup = useMemo(() => {
    const m = new Map<PendingGroup, string[]>();
    for (const c of plan.changes) {
      const list = m.get(pendingGroupOf(c)) ?? [];
      list.push(c.id);
      m.set(pendingGroupOf(c), list);
    }
    return m;
  }, [plan]);

  const isSelected = useCallback((id: string) => !deselected.has(id), [deselected]);

  const toggle = useCallback((id: string) => {
    setDeselected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const groupState = useCallback(
    (group: PendingGroup): GroupSelection => {
      const ids = idsByGroup.get(group) ?? [];
      let off = 0;
      for (const id of ids) if (deselected.has(id)) off++;
      return off === 0 ? true : off === ids.length ? false : "mixed";
    },
    [idsByGroup, deselected],
  );

  const setGroup = useCallback(
    (group: PendingGroup, on: boolean) => {
      const ids = idsByGroup.get(group) ?? [];
      setDeselected((prev) => {
        const next = new Set(prev);
        for (const id of ids) {
          if (on) next.delete(id);
          else next.add(id);
        }
        return next;
      });
    },
    [idsByGroup],
  );

  const resolution = useCallback((id: string) => resolutions[id] ?? "keep", [resolutions]);
  const setResolution = useCallback(
    (id: string, r: ConflictResolution) => setResolutions((prev) => ({ ...prev, [id]: r })),
    [],
  );

  const selectedCount = plan.changes.length - plan.changes.filter((c) => deselected.has(c.id)).length;

  const request = useCallback(
    (force = false): Omit<ApplyRequest, "signal"> => {
      const selected = new Set(plan.changes.filter((c) => !deselected.has(c.id)).map((c) => c.id));
      const chosen: Record<string, ConflictResolution> = {};
      for (const c of plan.changes)
        if (c.group === "conflict" && selected.has(c.id)) chosen[c.id] = resolutions[c.id] ?? "keep";
      return { selected, resolutions: chosen, ...(force ? { force: true } : {}) };
    },
    [plan, deselected, resolutions],
  );

  return { isSelected, toggle, groupState, setGroup, resolution, setResolution, selectedCount, request };
}
