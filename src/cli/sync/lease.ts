// The shared-mailbox lease (R18): taken in the practice API before anything is applied, renewed while
// the run lasts, released at the end. A lease held by someone else turns the run away with who holds it
// and until when; an expired lease is taken over (the server grants that). Each state directory names itself
// with its own holder id, so the same person's other device (another state directory) is turned away too.
import { randomUUID } from "node:crypto";
import { CliError, EXIT } from "./exit-codes";

export interface LeaseInfo {
  folderKey: string;
  holder: { staffId: string; name: string; device?: string };
  acquiredAt?: string;
  expiresAt: string;
  expired?: boolean;
}

/** What the practice client offers for leases (src/practice-api/client.ts). */
export interface LeaseApi {
  acquireLease(folderKey: string, ttlSeconds: number, opts?: { holder?: string }): Promise<LeaseInfo>;
  renewLease(folderKey: string, ttlSeconds: number, opts?: { holder?: string }): Promise<LeaseInfo>;
  releaseLease(folderKey: string, opts?: { holder?: string }): Promise<void>;
}

/** The folder a lease covers: mailbox + folder id. "me" is resolved by the caller where it matters. */
export function folderKeyOf(mailbox: string, folderId: string): string {
  return `${mailbox.toLowerCase()}/${folderId}`;
}

/**
 * Reads "who holds it, until when" from the client's error, whatever its class (409 lease-held);
 * sameStaff: the holder is the caller on another device or run.
 */
export function leaseHeldBy(err: unknown): { holder: string; until?: string; sameStaff: boolean } | null {
  if (!err || typeof err !== "object") return null;
  const e = err as Record<string, unknown>;
  const problem = (e.problem ?? e.body ?? e) as Record<string, unknown>;
  const type = String(problem.type ?? e.type ?? "");
  const status = Number(e.status ?? problem.status);
  const holder = (problem.holder ?? e.holder) as { name?: string; staffId?: string } | undefined;
  if (!type.endsWith("lease-held") && !(status === 409 && holder)) return null;
  const until = (problem.expiresAt ?? e.expiresAt) as string | undefined;
  return { holder: holder?.name || holder?.staffId || "another user", until, sameStaff: problem.sameStaff === true };
}

function heldMessage(held: { holder: string; until?: string; sameStaff: boolean }): string {
  const until = held.until ? ` until ${held.until}` : "";
  if (held.sameStaff) return `This folder is being synced on another of your devices (${held.holder}${until}); try again later.`;
  return `This folder is synced by ${held.holder}${until}; try again later.`;
}

export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private held = false;
  private lost: Error | null = null;

  constructor(
    private readonly api: LeaseApi,
    readonly folderKey: string,
    private readonly ttlSeconds: number,
    /** Called once if the lease is lost while running (someone took over an expired lease). */
    private readonly onLost: (err: Error) => void,
    /** The holder id: the state directory's own (run-sync.ts), or a new one per keeper. */
    readonly holder: string = randomUUID(),
  ) {}

  async acquire(): Promise<LeaseInfo> {
    let lease: LeaseInfo;
    try {
      lease = await this.api.acquireLease(this.folderKey, this.ttlSeconds, { holder: this.holder });
    } catch (err) {
      const held = leaseHeldBy(err);
      if (held) throw new CliError(EXIT.usage, heldMessage(held));
      throw err;
    }
    this.held = true;
    // Renew at a third of the lifetime, so two failed renewals in a row still leave time to react.
    this.timer = setInterval(() => void this.renew(), (this.ttlSeconds * 1000) / 3);
    this.timer.unref();
    return lease;
  }

  /** Set when a renewal found the lease taken: the run must stop writing. */
  get lostError(): Error | null {
    return this.lost;
  }

  private async renew(): Promise<void> {
    if (!this.held) return;
    try {
      await this.api.renewLease(this.folderKey, this.ttlSeconds, { holder: this.holder });
    } catch (err) {
      const held = leaseHeldBy(err);
      if (held && !this.lost) {
        this.held = false;
        this.stopTimer();
        const by = held.sameStaff ? "another of your devices" : held.holder;
        this.lost = new CliError(EXIT.usage, `The folder's lease was taken over by ${by}; this run stopped.`);
        this.onLost(this.lost);
      }
      // Any other failure (network, 429) is retried at the next tick; the lease outlives one missed renewal.
    }
  }

  async release(): Promise<void> {
    this.stopTimer();
    if (!this.held) return;
    this.held = false;
    try {
      await this.api.releaseLease(this.folderKey, { holder: this.holder });
    } catch {
      // Not fatal: the lease expires by itself after its TTL.
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
