// Automatic sync while the pane is open (R17): polls through the session's plan (practice change
// feed + Graph delta) every ~15 s, backing off on errors. It does not listen to ItemChanged: a
// pinned pane keeps one loop running whatever message is selected.
import { useEffect, useRef, useState } from "react";
import { startPollingLoop } from "../polling-loop";
import { messageOf } from "../safety-stop";

export interface AutoSyncOptions {
  intervalMs?: number;
  maxDelayMs?: number;
  firstDelayMs?: number;
}

export interface AutoSyncState {
  /** The last failure of an automatic run, cleared by the next success. */
  error: string | null;
  /** When the next attempt is due after a failure, in ms from the failure. */
  retryInMs: number | null;
  /** The same moment as a clock time (epoch ms), for "will retry at 10:42". */
  retryAt: number | null;
}

export const AUTO_SYNC_INTERVAL_MS = 15_000;
export const AUTO_SYNC_MAX_DELAY_MS = 5 * 60_000;

export function useAutoSync(enabled: boolean, run: () => Promise<unknown>, opts: AutoSyncOptions = {}): AutoSyncState {
  const runRef = useRef(run);
  // Kept current in an effect, not during render (react-hooks/refs); the loop reads it later.
  useEffect(() => {
    runRef.current = run;
  }, [run]);
  const [state, setState] = useState<AutoSyncState>({ error: null, retryInMs: null, retryAt: null });
  const { intervalMs = AUTO_SYNC_INTERVAL_MS, maxDelayMs = AUTO_SYNC_MAX_DELAY_MS, firstDelayMs } = opts;

  useEffect(() => {
    if (!enabled) return;
    const loop = startPollingLoop({
      run: () => runRef.current(),
      intervalMs,
      maxDelayMs,
      firstDelayMs,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      onError: (err, next) => setState({ error: messageOf(err), retryInMs: next, retryAt: Date.now() + next }),
      onSuccess: () => setState((s) => (s.error ? { error: null, retryInMs: null, retryAt: null } : s)),
    });
    return () => loop.stop();
  }, [enabled, intervalMs, maxDelayMs, firstDelayMs]);

  return enabled ? state : { error: null, retryInMs: null, retryAt: null };
}
