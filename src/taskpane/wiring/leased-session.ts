// R18: a shared mailbox's folder is synced by one user at a time. The lease lives in the practice
// API under the same folder key the command-line sync uses (mailbox/folderId), is taken before
// anything is written, renewed while applying and released afterwards. Someone else's live lease
// stops the run with who holds it and until when; an expired one is taken over (the server allows it).
import type { PaneSession } from "../services";

export interface LeaseLike {
  holder: { staffId: string; name: string };
  expiresAt: string;
}

/** The practice client's lease calls (src/practice-api/client.ts). */
export interface LeaseApi {
  acquireLease(folderKey: string, ttlSeconds: number): Promise<LeaseLike>;
  renewLease(folderKey: string, ttlSeconds: number): Promise<LeaseLike>;
  releaseLease(folderKey: string): Promise<void>;
  getLease(folderKey: string): Promise<LeaseLike | null>;
}

export const LEASE_TTL_SECONDS = 120;

/** Same key as src/cli/sync/lease.ts, so the pane and the command line respect each other's lease. */
export function folderKeyOf(mailbox: string, folderId: string): string {
  return `${mailbox.toLowerCase()}/${folderId}`;
}

export class LeaseHeldError extends Error {
  readonly holder: string;
  readonly until?: string;
  constructor(holder: string, until?: string) {
    super(`This folder is synced by ${holder}${until ? ` until ${new Date(until).toLocaleString()}` : ""}. Try again later.`);
    this.name = "LeaseHeldError";
    this.holder = holder;
    this.until = until;
  }
}

/** Reads "held by" from the client's 409 lease-held problem, whatever its class. */
export function leaseHolderOf(err: unknown): LeaseHeldError | null {
  if (!err || typeof err !== "object") return null;
  const e = err as { status?: number; problem?: { type?: string; holder?: { name?: string }; expiresAt?: string } };
  const p = e.problem;
  if (!p || !(String(p.type ?? "").endsWith("lease-held") || (e.status === 409 && p.holder))) return null;
  return new LeaseHeldError(p.holder?.name || "another user", p.expiresAt);
}

export interface LeasedSessionOptions {
  api: LeaseApi;
  folderKey: string;
  /** The signed-in staff member, to tell their own lease from someone else's. */
  myStaffId: () => Promise<string>;
  now?: () => number;
  ttlSeconds?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (h: unknown) => void;
}

export function leasedSession(inner: PaneSession, o: LeasedSessionOptions): PaneSession {
  const ttl = o.ttlSeconds ?? LEASE_TTL_SECONDS;
  const now = o.now ?? Date.now;
  const every = o.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const stop = o.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));

  async function checkNotHeldByOther() {
    const lease = await o.api.getLease(o.folderKey);
    if (!lease || Date.parse(lease.expiresAt) <= now()) return;
    if (lease.holder.staffId !== (await o.myStaffId())) throw new LeaseHeldError(lease.holder.name, lease.expiresAt);
  }

  return {
    onProgress: (l) => inner.onProgress(l),
    async plan(opts) {
      // Tell the user before they review a list they could not apply.
      await checkNotHeldByOther();
      return inner.plan(opts);
    },
    async apply(plan, req) {
      try {
        await o.api.acquireLease(o.folderKey, ttl);
      } catch (err) {
        throw leaseHolderOf(err) ?? err;
      }
      // Renew at a third of the lifetime, so one failed renewal still leaves time for the next.
      const timer = every(() => void o.api.renewLease(o.folderKey, ttl).catch(() => undefined), (ttl * 1000) / 3);
      try {
        return await inner.apply(plan, req);
      } finally {
        stop(timer);
        await o.api.releaseLease(o.folderKey).catch(() => undefined);
      }
    },
    includeAgain: (id) => inner.includeAgain(id),
    excluded: () => inner.excluded(),
    history: (limit) => inner.history(limit),
  };
}
