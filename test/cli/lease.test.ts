import { CliError, EXIT } from "../../src/cli/sync/exit-codes";
import { folderKeyOf, LeaseKeeper, leaseHeldBy, type LeaseApi, type LeaseInfo } from "../../src/cli/sync/lease";

const heldError = () =>
  Object.assign(new Error("lease held"), {
    status: 409,
    problem: { type: "urn:practice-api:problem:lease-held", holder: { staffId: "S2", name: "Bea Lee" }, expiresAt: "2026-11-25T07:00:00Z" },
  });

const sameStaffError = () =>
  Object.assign(new Error("lease held"), {
    status: 409,
    problem: { type: "urn:practice-api:problem:lease-held", sameStaff: true, holder: { staffId: "S1", name: "Ann" }, expiresAt: "2026-11-25T07:00:00Z" },
  });

function fakeApi(): LeaseApi & { calls: string[]; failRenew?: () => Error; failAcquire?: () => Error } {
  const lease = (k: string): LeaseInfo => ({ folderKey: k, holder: { staffId: "S1", name: "Ann" }, expiresAt: "2026-11-25T07:00:00Z" });
  const api = {
    calls: [] as string[],
    failRenew: undefined as (() => Error) | undefined,
    failAcquire: undefined as (() => Error) | undefined,
    async acquireLease(k: string, ttl: number) {
      api.calls.push(`acquire ${k} ${ttl}`);
      if (api.failAcquire) throw api.failAcquire();
      return lease(k);
    },
    async renewLease(k: string, ttl: number) {
      api.calls.push(`renew ${k} ${ttl}`);
      if (api.failRenew) throw api.failRenew();
      return lease(k);
    },
    async releaseLease(k: string) {
      api.calls.push(`release ${k}`);
    },
  };
  return api;
}

describe("LeaseKeeper (R18)", () => {
  afterEach(() => jest.useRealTimers());

  test("acquires, renews at a third of its lifetime, and releases", async () => {
    jest.useFakeTimers();
    const api = fakeApi();
    const keeper = new LeaseKeeper(api, folderKeyOf("Office@Firm.test", "F1"), 30, () => {});
    await keeper.acquire();
    await jest.advanceTimersByTimeAsync(10_000);
    await jest.advanceTimersByTimeAsync(10_000);
    await keeper.release();
    expect(api.calls).toEqual(["acquire office@firm.test/F1 30", "renew office@firm.test/F1 30", "renew office@firm.test/F1 30", "release office@firm.test/F1"]);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(api.calls).toHaveLength(4);
  });

  test("a lease held by someone else turns the run away with who and until when (exit 2)", async () => {
    const api = fakeApi();
    api.failAcquire = heldError;
    const keeper = new LeaseKeeper(api, "k", 60, () => {});
    const err = await keeper.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    expect((err as CliError).message).toBe("This folder is synced by Bea Lee until 2026-11-25T07:00:00Z; try again later.");
    await keeper.release();
    expect(api.calls).toEqual(["acquire k 60"]);
  });

  test("the same person's lease on another device turns the run away saying so; each keeper names itself with a fresh holder", async () => {
    const api = fakeApi();
    const holders: (string | undefined)[] = [];
    const acquire = api.acquireLease.bind(api);
    api.acquireLease = async (k, ttl, opts) => {
      holders.push(opts?.holder);
      return acquire(k, ttl);
    };
    api.failAcquire = sameStaffError;
    const first = new LeaseKeeper(api, "k", 60, () => {});
    const err = await first.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    expect((err as CliError).message).toBe("This folder is being synced on another of your devices (Ann until 2026-11-25T07:00:00Z); try again later.");
    await new LeaseKeeper(api, "k", 60, () => {}).acquire().catch(() => undefined);
    expect(holders).toHaveLength(2);
    expect(holders[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(holders[1]).not.toBe(holders[0]);
    expect(holders[0]).toBe(first.holder);
  });

  test("a renewal that finds the lease taken over stops the run; other renewal failures are tolerated", async () => {
    jest.useFakeTimers();
    const api = fakeApi();
    const lost: Error[] = [];
    const keeper = new LeaseKeeper(api, "k", 30, (e) => lost.push(e));
    await keeper.acquire();
    api.failRenew = () => new Error("socket hang up");
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lost).toEqual([]);
    api.failRenew = heldError;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lost).toHaveLength(1);
    expect(keeper.lostError?.message).toMatch(/taken over by Bea Lee/);
    await keeper.release();
    expect(api.calls.filter((c) => c.startsWith("release"))).toEqual([]);
  });

  test("leaseHeldBy reads the holder from any error shape the client may use, and nothing else", () => {
    expect(leaseHeldBy(heldError())).toEqual({ holder: "Bea Lee", until: "2026-11-25T07:00:00Z", sameStaff: false });
    expect(leaseHeldBy({ status: 409, holder: { staffId: "S9" } })).toEqual({ holder: "S9", until: undefined, sameStaff: false });
    expect(leaseHeldBy(sameStaffError())).toMatchObject({ holder: "Ann", sameStaff: true });
    expect(leaseHeldBy(new Error("boom"))).toBeNull();
    expect(leaseHeldBy({ status: 409 })).toBeNull();
  });
});
