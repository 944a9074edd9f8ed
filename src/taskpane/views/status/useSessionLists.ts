// Run history and excluded contacts, reloaded whenever a run finishes (runCount changes).
import { useCallback, useEffect, useState } from "react";
import type { Link } from "../../../sync/model";
import type { RunRecord } from "../../../sync/ports";
import type { PaneSession } from "../../services";
import { messageOf } from "../../safety-stop";

export interface SessionLists {
  runs: RunRecord[];
  excluded: Link[];
  loadError: string | null;
  includeAgain(practiceId: string): Promise<void>;
}

export const HISTORY_LIMIT = 10;
// Stable empty lists, so "no lists yet" is the same value on every render.
const NO_RUNS: RunRecord[] = [];
const NO_LINKS: Link[] = [];

export function useSessionLists(session: PaneSession | null, runCount: number): SessionLists {
  // The lists with the session they belong to: without a session (or before the new one's lists
  // arrive) the hook answers empty lists, derived here rather than set from the effect.
  const [lists, setLists] = useState<{ of: PaneSession | null; runs: RunRecord[]; excluded: Link[] }>({ of: null, runs: [], excluded: [] });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!session) return;
    let live = true;
    Promise.all([session.history(HISTORY_LIMIT), session.excluded()])
      .then(([r, e]) => {
        if (!live) return;
        setLists({ of: session, runs: r, excluded: e });
        setLoadError(null);
      })
      .catch((err) => live && setLoadError(messageOf(err)));
    return () => {
      live = false;
    };
  }, [session, runCount, reload]);

  const includeAgain = useCallback(
    async (practiceId: string) => {
      if (!session) return;
      try {
        await session.includeAgain(practiceId);
      } catch (err) {
        setLoadError(messageOf(err));
      }
      setReload((n) => n + 1);
    },
    [session],
  );

  const current = session !== null && lists.of === session;
  return { runs: current ? lists.runs : NO_RUNS, excluded: current ? lists.excluded : NO_LINKS, loadError, includeAgain };
}
