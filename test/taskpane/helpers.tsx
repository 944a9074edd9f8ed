// Shared test helpers for the pane: plan builders, fake services and a render wrapper.
import type { ReactElement } from "react";
import { configure, render } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { ContactFilter, FilterDefinition } from "../../src/sync/filters";
import type { Link, PracticeContact } from "../../src/sync/model";
import type { ChangeGroup, PlannedChange, SyncPlan, SyncProgress, SyncResult } from "../../src/sync/plan-types";
import type { RunRecord } from "../../src/sync/ports";
import type { PaneServices, PaneSession } from "../../src/taskpane/services";
import { ServicesProvider } from "../../src/taskpane/services-context";
import { DEFAULT_SETTINGS, type PaneSettings } from "../../src/taskpane/settings";

export function change(id: string, group: ChangeGroup, name = `Contact ${id}`, extra: Partial<PlannedChange> = {}): PlannedChange {
  return {
    id,
    group,
    direction: group === "add" ? "toOutlook" : "toPractice",
    name,
    practiceId: `p-${id}`,
    fields: [{ field: "jobTitle", label: "Job title", target: "outlook", old: "Clerk", new: "Partner" }],
    rule: group === "conflict" ? "R11" : "R6",
    reason: `Reason for ${id}.`,
    notes: [],
    ...(group === "conflict" ? { resolutions: ["keep", "delete"] as const } : {}),
    ...extra,
  } as PlannedChange;
}

export function plan(changes: PlannedChange[], extra: Partial<SyncPlan> = {}): SyncPlan {
  return {
    runId: "run-1",
    createdAt: "2026-11-25T06:00:00.000Z",
    changes,
    safety: null,
    counts: { linked: 10, excluded: 0, conflicts: changes.filter((c) => c.group === "conflict").length },
    errors: [],
    ...extra,
  };
}

export function run(id: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    startedAt: "2026-11-25T06:00:00.000Z",
    finishedAt: "2026-11-25T06:00:02.000Z",
    status: "ok",
    counts: { linked: 10 },
    errors: [],
    ...extra,
  };
}

export function result(extra: Partial<SyncResult> = {}): SyncResult {
  return { run: run("r"), applied: 0, deferred: 0, failed: [], ...extra };
}

/** A scripted session: plans come from a queue, applies are recorded. */
export class FakeSession implements PaneSession {
  plans: SyncPlan[] = [];
  planCalls = 0;
  applied: { plan: SyncPlan; selected: string[]; resolutions?: Record<string, string>; force?: boolean }[] = [];
  runs: RunRecord[] = [];
  excludedLinks: Link[] = [];
  included: string[] = [];
  planError: Error | null = null;
  applyResult: (p: SyncPlan) => SyncResult = () => result();
  private listeners = new Set<(p: SyncProgress) => void>();

  onProgress(l: (p: SyncProgress) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(p: SyncProgress) {
    for (const l of this.listeners) l(p);
  }
  async plan(): Promise<SyncPlan> {
    this.planCalls++;
    if (this.planError) throw this.planError;
    return this.plans.shift() ?? plan([]);
  }
  async apply(p: SyncPlan, req: { selected: ReadonlySet<string>; resolutions?: Record<string, string>; force?: boolean }) {
    this.applied.push({ plan: p, selected: [...req.selected].sort(), resolutions: req.resolutions, force: req.force });
    return this.applyResult(p);
  }
  async includeAgain(id: string) {
    this.included.push(id);
    this.excludedLinks = this.excludedLinks.filter((l) => l.practiceId !== id);
  }
  async excluded() {
    return this.excludedLinks;
  }
  async history(limit = 20) {
    return this.runs.slice(0, limit);
  }
}

/** Five practice contacts: three with partner s1 (Jo), two with partner s2 (Anna). */
export const practiceContacts: PracticeContact[] = ["Ada", "Ben", "Cy", "Di", "Ed"].map((name, i) => ({
  id: `pc${i + 1}`,
  kind: i === 4 ? "standalone" : "client",
  attributes: { partnerId: i < 3 ? "s1" : "s2" },
  fields: { displayName: `${name} Example` },
  updatedAt: "2026-11-01T00:00:00Z",
  version: "1",
}));

export interface FakeServices extends PaneServices {
  session: FakeSession;
  saved: PaneSettings[];
  filters: ContactFilter[];
  sessionsCreated: PaneSettings[];
}

export function fakeServices(opts: { settings?: PaneSettings | null } = {}): FakeServices {
  const session = new FakeSession();
  const saved: PaneSettings[] = [];
  const filters: ContactFilter[] = [
    { id: "f1", name: "Jo's clients", match: "all", criteria: [{ field: "partnerId", method: "equals", values: ["s1"] }], ownerId: "s1", updatedAt: "2026-11-01T00:00:00Z" },
  ];
  const sessionsCreated: PaneSettings[] = [];
  let stored: PaneSettings | null = opts.settings === undefined ? null : opts.settings;
  let nextId = 2;
  const s: FakeServices = {
    session,
    saved,
    filters,
    sessionsCreated,
    practice: {
      me: async () => ({ staffId: "s1", name: "Jo Partner", firmName: "Demo & Co" }),
      terminology: async () => ({ client: "Client", clients: "Clients", contact: "Contact", contacts: "Contacts" }),
      staff: async () => [
        { id: "s1", name: "Jo Partner" },
        { id: "s2", name: "Anna Lindqvist" },
      ],
      filterFields: async () => [
        { name: "partnerId", label: "Partner", type: "string" },
        { name: "kind", label: "Contact type", type: "enum", options: ["client", "standalone"] },
        { name: "birthday", label: "Birthday", type: "date" },
      ],
      listFilters: async () => [...filters],
      createFilter: async (def: FilterDefinition) => {
        const f = { ...def, id: `f${nextId++}`, ownerId: "s1", updatedAt: "2026-11-25T00:00:00Z" };
        filters.push(f);
        return f;
      },
      updateFilter: async (id: string, def: FilterDefinition) => {
        const i = filters.findIndex((f) => f.id === id);
        filters[i] = { ...filters[i], ...def };
        return filters[i];
      },
      deleteFilter: async (id: string) => {
        const i = filters.findIndex((f) => f.id === id);
        if (i >= 0) filters.splice(i, 1);
      },
      listContacts: async () => practiceContacts.map((c) => ({ ...c })),
    },
    folders: {
      listFolders: async (mailbox) =>
        mailbox
          ? [{ id: "shared-root", displayName: "Firm contacts", children: [] }]
          : [
              {
                id: "contacts",
                displayName: "Contacts",
                children: [{ id: "clients", displayName: "Clients", children: [] }],
              },
            ],
      createFolder: async (_m, _p, name) => ({ id: `new-${name}`, displayName: name, children: [] }),
    },
    createSession: (settings) => {
      sessionsCreated.push(settings);
      return session;
    },
    settings: {
      load: () => stored,
      save: async (v) => {
        stored = v;
        saved.push(v);
      },
    },
    auth: { signIn: async () => undefined, accountName: () => "jo@demo.example" },
    host: { inOffice: false, theme: () => "light", onThemeChange: () => () => undefined, userEmail: "jo@demo.example" },
  };
  return s;
}

export const configuredSettings: PaneSettings = {
  ...DEFAULT_SETTINGS,
  folder: { mailbox: null, folderId: "clients", path: "Contacts / Clients" },
};

// Lazy views load their modules on first use; on a busy machine that can take more than a second.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks ResizeObserver, which Fluent's positioning (dialogs, popovers) constructs.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (typeof window !== "undefined" && !("ResizeObserver" in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = NoopResizeObserver;
}

export function renderPane(ui: ReactElement, services: PaneServices = fakeServices()) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <ServicesProvider services={services}>{ui}</ServicesProvider>
    </FluentProvider>,
  );
}
