/** @jest-environment jsdom */
// The runs the engine does not record, kept by the pane's controller for History: checks that found
// nothing (folded while they keep finding the same), a plan stopped by the safety valve, a review
// closed without applying.
import { act, renderHook } from "@testing-library/react";
import { useSyncController } from "../../src/taskpane/hooks/useSyncController";
import { FakeSession, change, plan } from "./helpers";

function controllerFor(session: FakeSession, confirmBeforeCommit = true) {
  let t = Date.parse("2026-11-25T06:00:00Z");
  const now = () => new Date((t += 1000)).toISOString();
  return renderHook(() => useSyncController(session, { confirmBeforeCommit, now }));
}

describe("the controller's own run records", () => {
  it("a check with nothing to do is a run; repeated ones fold into one line with a count", async () => {
    const session = new FakeSession();
    const { result } = controllerFor(session);
    await act(async () => void (await result.current.syncNow()));
    expect(result.current.localRuns).toHaveLength(1);
    expect(result.current.localRuns[0]).toMatchObject({ status: "ok", counts: { linked: 10 } });
    await act(async () => void (await result.current.syncNow()));
    await act(async () => void (await result.current.syncNow()));
    expect(result.current.localRuns).toHaveLength(1);
    expect(result.current.localRuns[0].counts.checks).toBe(3);
  });

  it("automatic checks that only find the same conflicts fold too; a different outcome starts a new line", async () => {
    const session = new FakeSession();
    const { result } = controllerFor(session, false);
    session.plans = [plan([change("c1", "conflict")]), plan([change("c1", "conflict")], { runId: "run-2" })];
    await act(async () => void (await result.current.syncNow({ auto: true })));
    await act(async () => void (await result.current.syncNow({ auto: true })));
    expect(result.current.localRuns).toHaveLength(1);
    expect(result.current.localRuns[0].counts).toMatchObject({ conflicts: 1, checks: 2 });
    await act(async () => void (await result.current.syncNow({ auto: true })));
    expect(result.current.localRuns).toHaveLength(2);
  });

  it("a plan stopped by the safety valve, then closed, leaves one record that says so", async () => {
    const session = new FakeSession();
    const safety = { reason: "This sync would change or remove 30 of 70 Outlook contacts.", side: "outlook" as const, affected: 30, total: 70 };
    session.plans = [plan([change("r1", "remove")], { safety, runId: "stop-1" })];
    const { result } = controllerFor(session, false);
    await act(async () => void (await result.current.syncNow({ auto: true })));
    expect(result.current.pending?.runId).toBe("stop-1");
    expect(result.current.localRuns[0]).toMatchObject({ id: "stop-1", status: "stopped", message: safety.reason });
    expect(session.applied).toHaveLength(0);
    act(() => result.current.dismiss());
    expect(result.current.localRuns).toHaveLength(1);
    expect(result.current.localRuns[0]).toMatchObject({ id: "stop-1", status: "cancelled" });
  });

  it("a failure is classified by the error's kind", async () => {
    const session = new FakeSession();
    session.planError = Object.assign(new Error("Could not read contacts (Outlook): HTTP 503"), { name: "StoreUnavailableError", side: "outlook" });
    const { result } = controllerFor(session);
    await act(async () => void (await result.current.syncNow()));
    expect(result.current.failure).toEqual({ kind: "outlook", message: "Could not read contacts (Outlook): HTTP 503" });
    session.planError = null;
    await act(async () => void (await result.current.syncNow()));
    expect(result.current.failure).toBeNull();
  });
});
