// R18: a folder is applied to by one device at a time. The lease lives in the practice API under the
// same folder key the command-line sync uses (mailbox/folderId), is taken before anything is written,
// renewed while applying and released afterwards, all under this pane's holder id, so the same
// user's other pane (or scheduled run) is turned away as well as a colleague. A live lease held
// elsewhere stops the run with who holds it; an expired one is taken over (the server allows it).
import type { PaneSession } from "../services";

export interface LeaseLike {
  holder: { staffId: string; name: string; device?: string };
  expiresAt: string;
}

type HolderOpts = { holder?: string };

/** The practice client's lease calls (src/practice-api/client.ts). */
export interface LeaseApi {
  acquireLease(folderKey: string, ttlSeconds: number, opts?: HolderOpts): Promise<LeaseLike>;
  renewLease(folderKey: string, ttlSeconds: number, opts?: HolderOpts): Promise<LeaseLike>;
  releaseLease(folderKey: string, opts?: HolderOpts): Promise<void>;
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
  /** The lease is the user's own, taken on another device (or pane). */
  readonly sameStaff: boolean;
  constructor(holder: string, until?: string, sameStaff = false) {
    super(
      sameStaff
        ? "Syncing on another of your devices — try again in a moment."
        : `This folder is synced by ${holder}${until ? ` until ${new Date(until).toLocaleString()}` : ""}. Try again later.`,
    );
    this.name = "LeaseHeldError";
    this.holder = holder;
    this.until = until;
    this.sameStaff = sameStaff;
  }
}

/** Reads "held by" from the client's 409 lease-held problem, whatever its class. */
export function leaseHolderOf(err: unknown): LeaseHeldError | null {
  if (!err || typeof err !== "object") return null;
  const e = err as { status?: number; problem?: { type?: string; holder?: { name?: string }; expiresAt?: string; sameStaff?: boolean } };
  const p = e.problem;
  if (!p || !(String(p.type ?? "").endsWith("lease-held") || (e.status === 409 && p.holder))) return null;
  return new LeaseHeldError(p.holder?.name || "another user", p.expiresAt, p.sameStaff === true);
}

export interface LeasedSessionOptions {
  api: LeaseApi;
  folderKey: string;
  /** This pane's id for its leases (one per pane, in memory only), told apart from the user's other devices. */
  holder: string;
  /**
   * Ask who holds the lease before planning (one request), so nobody reviews a list they cannot apply.
   * Off for the own mailbox, where the no-op sync has no request to spare: apply's acquire still guards it.
   */
  checkBeforePlan: boolean;
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

  const mine = { holder: o.holder };

  async function checkNotHeldElsewhere() {
    const lease = await o.api.getLease(o.folderKey);
    if (!lease || Date.parse(lease.expiresAt) <= now()) return;
    if (lease.holder.staffId !== (await o.myStaffId())) throw new LeaseHeldError(lease.holder.name, lease.expiresAt);
    // The user's own lease without this pane's id: another device, or an older client of theirs.
    if (lease.holder.device !== o.holder) throw new LeaseHeldError(lease.holder.name, lease.expiresAt, true);
  }

  return {
    onProgress: (l) => inner.onProgress(l),
    async plan(opts) {
      // Tell the user before they review a list they could not apply.
      if (o.checkBeforePlan) await checkNotHeldElsewhere();
      return inner.plan(opts);
    },
    async apply(plan, req) {
      try {
        await o.api.acquireLease(o.folderKey, ttl, mine);
      } catch (err) {
        throw leaseHolderOf(err) ?? err;
      }
      // Renew at a third of the lifetime, so one failed renewal still leaves time for the next.
      const timer = every(() => void o.api.renewLease(o.folderKey, ttl, mine).catch(() => undefined), (ttl * 1000) / 3);
      try {
        return await inner.apply(plan, req);
      } finally {
        stop(timer);
        await o.api.releaseLease(o.folderKey, mine).catch(() => undefined);
      }
    },
    includeAgain: (id) => inner.includeAgain(id),
    excluded: () => inner.excluded(),
    history: (limit) => inner.history(limit),
  };
}
