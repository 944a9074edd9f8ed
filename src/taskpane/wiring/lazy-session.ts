// A PaneSession whose real session is built on first use: opening the cache and learning the firm
// id are async, but the views want a session object as soon as the settings name a folder.
// Progress listeners registered before the session exists are kept and attached once it does.
import type { SyncProgress } from "../../sync/plan-types";
import type { PaneSession } from "../services";

export interface LazySession extends PaneSession {
  /** Releases what the real session holds (e.g. the cache's database connection). */
  close(): void;
}

export function lazySession(open: () => Promise<PaneSession & { close?(): void }>): LazySession {
  const listeners = new Set<(p: SyncProgress) => void>();
  let opened: Promise<PaneSession & { close?(): void }> | null = null;
  let closed = false;

  const session = () => {
    if (closed) return Promise.reject(new Error("This sync session was closed; sync again."));
    if (!opened) {
      opened = open().then((s) => {
        s.onProgress((p) => listeners.forEach((l) => l(p)));
        return s;
      });
      // A failed open (no network, no firm) is retried on the next call rather than remembered.
      opened.catch(() => {
        opened = null;
      });
    }
    return opened;
  };

  return {
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    plan: async (opts) => (await session()).plan(opts),
    apply: async (plan, req) => (await session()).apply(plan, req),
    includeAgain: async (id) => (await session()).includeAgain(id),
    excluded: async () => (await session()).excluded(),
    history: async (limit) => (await session()).history(limit),
    close() {
      closed = true;
      listeners.clear();
      void opened?.then((s) => s.close?.()).catch(() => undefined);
    },
  };
}
