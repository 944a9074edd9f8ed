/** @jest-environment jsdom */
import { act, renderHook } from "@testing-library/react";
import { useAutoSync } from "../../src/taskpane/hooks/useAutoSync";
import { useSyncController } from "../../src/taskpane/hooks/useSyncController";
import { backoffDelay, startPollingLoop } from "../../src/taskpane/polling-loop";
import { FakeSession, change, plan } from "./helpers";

/** Advances fake time and lets the promises it released settle. */
async function advance(ms: number) {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

describe("polling loop", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("backs off exponentially on errors, capped, and returns to the interval after a success", async () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(15_000, 300_000, n))).toEqual([15_000, 30_000, 60_000, 120_000, 300_000]);
    const outcomes = [false, false, true, true];
    const times: number[] = [];
    const start = Date.now();
    const loop = startPollingLoop({
      run: async () => {
        times.push(Date.now() - start);
        if (outcomes.shift() === false) throw new Error("503");
      },
      intervalMs: 15_000,
      maxDelayMs: 300_000,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    await jest.advanceTimersByTimeAsync(0 + 30_000 + 60_000 + 15_000);
    loop.stop();
    expect(times).toEqual([0, 30_000, 90_000, 105_000]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(times).toHaveLength(4);
  });
});

describe("useAutoSync", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("polls every 15 s while enabled, shows the error with backoff, and stops when disabled", async () => {
    let fail = false;
    const run = jest.fn(async () => {
      if (fail) throw new Error("Graph answered 503");
    });
    const { result, rerender, unmount } = renderHook(({ on }) => useAutoSync(on, run), { initialProps: { on: true } });
    await advance(0);
    expect(run).toHaveBeenCalledTimes(1);
    await advance(15_000);
    expect(run).toHaveBeenCalledTimes(2);
    fail = true;
    await advance(15_000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(result.current.error).toBe("Graph answered 503");
    expect(result.current.retryInMs).toBe(30_000);
    await advance(15_000);
    expect(run).toHaveBeenCalledTimes(3); // backing off: not yet
    fail = false;
    await advance(15_000);
    expect(run).toHaveBeenCalledTimes(4);
    expect(result.current.error).toBeNull();
    rerender({ on: false });
    await advance(60_000);
    expect(run).toHaveBeenCalledTimes(4);
    unmount();
  });
});

describe("useSyncController", () => {
  function controller(session: FakeSession, confirmBeforeCommit: boolean) {
    return renderHook(({ c }) => useSyncController(session, { confirmBeforeCommit: c }), { initialProps: { c: confirmBeforeCommit } });
  }

  it("with confirmation on, shows the plan and writes nothing (R14)", async () => {
    const session = new FakeSession();
    session.plans = [plan([change("a1", "add")])];
    const { result } = controller(session, true);
    await act(async () => expect(await result.current.syncNow()).toBe("review"));
    expect(result.current.pending?.changes.map((c) => c.id)).toEqual(["a1"]);
    expect(session.applied).toHaveLength(0);
  });

  it("keeps the plan's per-contact errors even when there is nothing to apply (R19)", async () => {
    const session = new FakeSession();
    session.plans = [plan([], { errors: [{ outlookId: "o1", name: "X", code: "invalid", message: "Bad." }] })];
    const { result } = controller(session, false);
    await act(async () => expect(await result.current.syncNow({ auto: true })).toBe("nothing"));
    expect(result.current.planErrors).toHaveLength(1);
  });

  it("a plan with no changes writes nothing and shows nothing", async () => {
    const session = new FakeSession();
    const { result } = controller(session, false);
    await act(async () => expect(await result.current.syncNow({ auto: true })).toBe("nothing"));
    expect(result.current.pending).toBeNull();
    expect(session.applied).toHaveLength(0);
    expect(result.current.lastCheckedAt).not.toBeNull();
  });

  it("with confirmation off, an automatic run applies every non-conflict change and skips conflicts (R11)", async () => {
    const session = new FakeSession();
    session.plans = [plan([change("a1", "add"), change("u1", "update"), change("c1", "conflict")])];
    const { result } = controller(session, false);
    await act(async () => expect(await result.current.syncNow({ auto: true })).toBe("applied"));
    expect(session.applied).toHaveLength(1);
    expect(session.applied[0].selected).toEqual(["a1", "u1"]);
    expect(result.current.pending).toBeNull();
    expect(session.planCalls).toBe(1);
  });

  it("a manual run with confirmation off applies, then shows the conflicts for a choice", async () => {
    const session = new FakeSession();
    session.plans = [plan([change("a1", "add"), change("c1", "conflict")]), plan([change("c1", "conflict")], { runId: "run-2" })];
    const { result } = controller(session, false);
    await act(async () => expect(await result.current.syncNow()).toBe("review"));
    expect(session.applied[0].selected).toEqual(["a1"]);
    expect(result.current.pending?.runId).toBe("run-2");
  });

  it("a safety stop is shown for confirmation even in automatic mode with confirmation off (R15)", async () => {
    const session = new FakeSession();
    const safety = { reason: "Would remove 30 of 40.", side: "outlook" as const, affected: 30, total: 40 };
    session.plans = [plan([change("r1", "remove")], { safety })];
    const { result } = controller(session, false);
    await act(async () => expect(await result.current.syncNow({ auto: true })).toBe("review"));
    expect(session.applied).toHaveLength(0);
    expect(result.current.pending?.safety).toEqual(safety);
  });

  it("an automatic run does not replace a list under review", async () => {
    const session = new FakeSession();
    session.plans = [plan([change("a1", "add")]), plan([change("a2", "add")])];
    const { result } = controller(session, true);
    await act(async () => void (await result.current.syncNow()));
    await act(async () => expect(await result.current.syncNow({ auto: true })).toBe("skipped"));
    expect(result.current.pending?.changes[0].id).toBe("a1");
    expect(session.planCalls).toBe(1);
  });

  it("apply sends the selection and records the result; Cancel of the list writes nothing", async () => {
    const session = new FakeSession();
    session.plans = [plan([change("a1", "add"), change("a2", "add")]), plan([change("a3", "add")], { runId: "run-2" })];
    const { result } = controller(session, true);
    await act(async () => void (await result.current.syncNow()));
    await act(async () => result.current.apply({ selected: new Set(["a2"]) }));
    expect(session.applied[0].selected).toEqual(["a2"]);
    expect(result.current.pending).toBeNull();
    expect(result.current.lastResult).not.toBeNull();
    await act(async () => void (await result.current.syncNow()));
    act(() => result.current.dismiss());
    expect(result.current.pending).toBeNull();
    expect(session.applied).toHaveLength(1);
  });

  it("a manual failure is shown; an automatic one is thrown for the backoff", async () => {
    const session = new FakeSession();
    session.planError = new Error("The practice system is not answering.");
    const { result } = controller(session, true);
    await act(async () => expect(await result.current.syncNow()).toBe("skipped"));
    expect(result.current.error).toBe("The practice system is not answering.");
    await act(async () => {
      await expect(result.current.syncNow({ auto: true })).rejects.toThrow("not answering");
    });
  });

  it("a SafetyStopError thrown by apply opens the confirmation instead of an error", async () => {
    const session = new FakeSession();
    session.plans = [plan([change("r1", "remove")])];
    const stop = { reason: "Would remove everything.", side: "practice" as const, affected: 5, total: 5 };
    session.applyResult = () => {
      throw Object.assign(new Error("Sync stopped for confirmation"), { name: "SafetyStopError", stop });
    };
    const { result } = controller(session, true);
    await act(async () => void (await result.current.syncNow()));
    await act(async () => result.current.apply({ selected: new Set(["r1"]) }));
    expect(result.current.safetyStop).toEqual(stop);
    expect(result.current.error).toBeNull();
    expect(result.current.pending).not.toBeNull();
  });

  it("forwards the session's progress while busy", async () => {
    const session = new FakeSession();
    let release!: () => void;
    session.plan = async () => {
      await new Promise<void>((r) => (release = r));
      return plan([]);
    };
    const { result } = controller(session, true);
    let done!: Promise<unknown>;
    act(() => {
      done = result.current.syncNow();
    });
    act(() => session.emit({ phase: "reading-outlook", done: 100, total: 400 }));
    expect(result.current.busy).toBe("planning");
    expect(result.current.progress).toEqual({ phase: "reading-outlook", done: 100, total: 400 });
    await act(async () => {
      release();
      await done;
    });
    expect(result.current.busy).toBeNull();
  });
});
