// The pane's lease wrapper (R18): every apply holds the folder's lease under this pane's holder id; the
// user's own lease on another device is told apart from a colleague's; the pre-plan check costs a request
// only where it is asked for (shared mailboxes), so the own mailbox's no-op sync spends none on leases.
import { LeaseHeldError, leasedSession, leaseHolderOf, type LeaseApi, type LeaseLike } from "../../src/taskpane/wiring/leased-session";
import type { PaneSession } from "../../src/taskpane/services";
import type { SyncPlan, SyncResult } from "../../src/sync/plan-types";

const NOW = Date.parse("2026-11-25T07:00:00Z");
const LATER = "2026-11-25T07:02:00Z";

/** Grants and refuses as the practice server does: one holder (staff member + device) per folder. */
class FakeLeases implements LeaseApi {
  calls: string[] = [];
  lease: (LeaseLike & { key: string }) | null = null;
  constructor(private readonly staff = { staffId: "staff-anna", name: "Anna Lindqvist" }) {}
  private refuse(l: LeaseLike): never {
    const sameStaff = l.holder.staffId === this.staff.staffId;
    throw Object.assign(new Error("held"), {
      status: 409,
      problem: { type: "urn:practice-api:problem:lease-held", holder: l.holder, expiresAt: l.expiresAt, sameStaff },
    });
  }
  async acquireLease(key: string, _ttl: number, opts?: { holder?: string }) {
    this.calls.push(`acquire ${opts?.holder}`);
    if (this.lease && (this.lease.holder.staffId !== this.staff.staffId || this.lease.holder.device !== opts?.holder)) this.refuse(this.lease);
    this.lease = { key, holder: { ...this.staff, device: opts?.holder }, expiresAt: LATER };
    return this.lease;
  }
  async renewLease(_key: string, _ttl: number, opts?: { holder?: string }) {
    this.calls.push(`renew ${opts?.holder}`);
    return this.lease!;
  }
  async releaseLease(_key: string, opts?: { holder?: string }) {
    this.calls.push(`release ${opts?.holder}`);
    if (this.lease?.holder.device === opts?.holder) this.lease = null;
  }
  async getLease() {
    this.calls.push("get");
    return this.lease;
  }
}

function innerSession(): PaneSession & { applied: number } {
  const plan = { changes: [], errors: [] } as unknown as SyncPlan;
  const s = {
    applied: 0,
    onProgress: () => () => undefined,
    plan: async () => plan,
    apply: async () => {
      s.applied++;
      return { applied: 0 } as unknown as SyncResult;
    },
    includeAgain: async () => undefined,
    excluded: async () => [],
    history: async () => [],
  };
  return s;
}

const wrap = (api: LeaseApi, inner: PaneSession, holder: string, checkBeforePlan: boolean) =>
  leasedSession(inner, {
    api,
    folderKey: "anna@firm.example/AAMk=contacts",
    holder,
    checkBeforePlan,
    myStaffId: async () => "staff-anna",
    now: () => NOW,
    setInterval: () => 0,
    clearInterval: () => undefined,
  });

describe("leasedSession (R18)", () => {
  it("the same person's other pane is refused at apply with 'another of your devices', and applies once the first is done", async () => {
    const api = new FakeLeases();
    const firstInner = innerSession();
    const secondInner = innerSession();
    const first = wrap(api, firstInner, "pane-1", false);
    const second = wrap(api, secondInner, "pane-2", false);
    const plan = await second.plan();
    // The first pane is in the middle of its apply: it holds the lease.
    await api.acquireLease("k", 120, { holder: "pane-1" });
    const err = await second.apply(plan, { selected: new Set() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect((err as LeaseHeldError).sameStaff).toBe(true);
    expect((err as LeaseHeldError).message).toBe("Syncing on another of your devices — try again in a moment.");
    expect(secondInner.applied).toBe(0);
    // Its failed attempt released nothing: the first pane still holds the lease.
    expect(api.lease?.holder.device).toBe("pane-1");
    await api.releaseLease("k", { holder: "pane-1" });
    await second.apply(plan, { selected: new Set() });
    expect(secondInner.applied).toBe(1);
    expect(api.lease).toBeNull();
    await first.apply(plan, { selected: new Set() });
    expect(firstInner.applied).toBe(1);
    expect(api.calls.filter((c) => c !== "get")).toEqual(["acquire pane-1", "acquire pane-2", "release pane-1", "acquire pane-2", "release pane-2", "acquire pane-1", "release pane-1"]);
  });

  it("without the pre-check (own mailbox) planning sends no lease request", async () => {
    const api = new FakeLeases();
    await wrap(api, innerSession(), "pane-1", false).plan();
    expect(api.calls).toEqual([]);
  });

  it("with the pre-check (shared mailbox) the user's own lease on another device stops the plan, this pane's does not", async () => {
    const api = new FakeLeases();
    const pane = wrap(api, innerSession(), "pane-1", true);
    await pane.plan();
    expect(api.calls).toEqual(["get"]);
    await api.acquireLease("k", 120, { holder: "phone" });
    await expect(pane.plan()).rejects.toThrow("Syncing on another of your devices — try again in a moment.");
    await api.releaseLease("k", { holder: "phone" });
    await api.acquireLease("k", 120, { holder: "pane-1" });
    await expect(pane.plan()).resolves.toBeTruthy();
  });

  it("a colleague's lease names the colleague", async () => {
    const api = new FakeLeases({ staffId: "staff-jorg", name: "Jörg Müller" });
    await api.acquireLease("k", 120, { holder: "jorg-pane" });
    const pane = wrap(api, innerSession(), "pane-1", true);
    await expect(pane.plan()).rejects.toThrow(/^This folder is synced by Jörg Müller until /);
  });

  it("leaseHolderOf reads sameStaff from the 409 problem", () => {
    const mine = leaseHolderOf({ status: 409, problem: { type: "urn:practice-api:problem:lease-held", sameStaff: true, holder: { name: "Anna" }, expiresAt: LATER } });
    expect(mine?.sameStaff).toBe(true);
    expect(mine?.message).toBe("Syncing on another of your devices — try again in a moment.");
    const colleague = leaseHolderOf({ status: 409, problem: { type: "urn:practice-api:problem:lease-held", sameStaff: false, holder: { name: "Jörg" }, expiresAt: LATER } });
    expect(colleague?.sameStaff).toBe(false);
    expect(colleague?.message).toMatch(/^This folder is synced by Jörg until /);
  });
});
