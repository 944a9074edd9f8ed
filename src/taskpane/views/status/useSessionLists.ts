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

export function useSessionLists(session: PaneSession | null, runCount: number): SessionLists {
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [excluded, setExcluded] = useState<Link[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    if (!session) {
      setRuns([]);
      setExcluded([]);
      return;
    }
    let live = true;
    Promise.all([session.history(HISTORY_LIMIT), session.excluded()])
      .then(([r, e]) => {
        if (!live) return;
        setRuns(r);
        setExcluded(e);
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

  return { runs, excluded, loadError, includeAgain };
}
