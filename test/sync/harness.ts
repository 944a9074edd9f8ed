// Test harness: a SyncSession over the in-memory stores, and a sync() that plans then applies
// every non-conflict row, as the pane does with "show pending changes" off.
import { SyncSession, type SyncSettings } from "../../src/sync/session";
import { stampKey } from "../../src/sync/model";
import type { ApplyRequest, SyncPlan, SyncResult } from "../../src/sync/plan-types";
import { Lifeline, MemoryOutlookStore, MemoryPracticeStore, MemorySyncCache, SeededIds, TestClock } from "../support";

export const FIRM = "firm-1";
/** The folder every session of a test syncs: one user's devices share their decisions through it. */
export const FOLDER = { mailbox: "anna@firm.example", folderKey: "anna@firm.example/contacts" };

export function setup(settings: Partial<SyncSettings> = {}) {
  const clock = new TestClock();
  // One simulated process: a crash anywhere stops every store until restart().
  const lifeline = new Lifeline();
  const practice = new MemoryPracticeStore({ clock, firmId: FIRM, lifeline });
  const outlook = new MemoryOutlookStore({ clock, lifeline });
  const cache = new MemorySyncCache({ lifeline });
  const ids = new SeededIds(7);
  const env = {
    clock,
    practice,
    outlook,
    cache,
    ids,
    settings: {
      filterId: null,
      importKind: "client",
      wholeRecord: false,
      deleteStandaloneOnOutlookDelete: false,
      ...settings,
    } as SyncSettings,
    /** The process comes back after a simulated crash. */
    restart(): void {
      lifeline.revive();
    },
    /** A fresh session, as a reopened pane would make (same stores and cache). */
    session(): SyncSession {
      return new SyncSession({ practice, outlook, cache, clock, ids, settings: env.settings, folder: FOLDER });
    },
    /** Plans then applies every row except conflicts (or the rows `select` picks). */
    async sync(
      opts: { select?: (id: string) => boolean; req?: Partial<ApplyRequest>; session?: SyncSession } = {},
    ): Promise<{ plan: SyncPlan; result: SyncResult }> {
      const s = opts.session ?? env.session();
      const plan = await s.plan();
      const select = opts.select ?? ((id: string) => !id.startsWith("conflict:"));
      const selected = new Set(plan.changes.map((c) => c.id).filter(select));
      const result = await s.apply(plan, { selected, ...opts.req });
      return { plan, result };
    },
    /** Plans only. */
    async plan(): Promise<SyncPlan> {
      return env.session().plan();
    },
  };
  return env;
}

export type Env = ReturnType<typeof setup>;

export const person = (given: string, surname: string, extra: Record<string, unknown> = {}) => ({
  givenName: given,
  surname,
  displayName: `${given} ${surname}`,
  ...extra,
});

/** The Outlook contact linked to a practice id, found by its stamp. */
export function outlookFor(env: Env, practiceId: string) {
  return env.outlook.all().find((c) => c.stamp !== undefined && stampKey(c.stamp) === `${FIRM}:${practiceId}`);
}

/** The record a stamp names (firm:practiceId), whatever else it records; undefined for no stamp. */
export function keyOf(stamp: string | undefined): string | undefined {
  return stamp === undefined ? undefined : (stampKey(stamp) ?? undefined);
}

/** Another device of the same user: its own cache and sessions over the same stores and folder (R2). */
export function otherDevice(env: Env) {
  const cache = new MemorySyncCache({});
  const session = () =>
    new SyncSession({ practice: env.practice, outlook: env.outlook, cache, clock: env.clock, ids: env.ids, settings: env.settings, folder: FOLDER });
  return {
    cache,
    session,
    /** Plans then applies every row except conflicts (or the rows `select` picks). */
    async sync(select: (id: string) => boolean = (id) => !id.startsWith("conflict:")) {
      const s = session();
      const plan = await s.plan();
      const result = await s.apply(plan, { selected: new Set(plan.changes.map((c) => c.id).filter(select)) });
      return { plan, result };
    },
  };
}
