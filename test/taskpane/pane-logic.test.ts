// Pure pieces of the pane: config validation, stored settings, terminology, value formatting,
// the practice adapter's problem mapping and the lazy session.
import { ConfigError, loadConfig, parseConfig } from "../../src/taskpane/config";
import { ProblemError } from "../../src/taskpane/services";
import { DEFAULT_SETTINGS, parseStoredSettings } from "../../src/taskpane/settings";
import { DEFAULT_TERMINOLOGY, lower, resolveTerminology } from "../../src/taskpane/terminology";
import { buildPendingRows, formatValue } from "../../src/taskpane/views/pending/pending-rows";
import { countsText, linkName, progressText, progressValue } from "../../src/taskpane/views/status/status-text";
import { lazySession } from "../../src/taskpane/wiring/lazy-session";
import { leaseHolderOf } from "../../src/taskpane/wiring/leased-session";
import { createPracticeServices, type PracticeClientLike } from "../../src/taskpane/wiring/practice-services";
import { FakeSession, change, plan } from "./helpers";

const PAGE = "https://addin.firm.example/pane/taskpane.html";

describe("config.json", () => {
  it("resolves relative URLs against the page and trims trailing slashes", () => {
    const c = parseConfig({ mode: "local", practiceApiUrl: "/practice/", graphUrl: "/graph/v1.0" }, PAGE);
    expect(c.practiceApiUrl).toBe("https://addin.firm.example/practice");
    expect(c.graphUrl).toBe("https://addin.firm.example/graph/v1.0");
  });

  it("needs an auth section in microsoft365 mode and says which field is wrong", () => {
    expect(() => parseConfig({ mode: "microsoft365", practiceApiUrl: "https://api.x", graphUrl: "https://graph.microsoft.com/v1.0" }, PAGE)).toThrow(
      /auth: mode "microsoft365" needs an "auth" section/,
    );
    expect(() => parseConfig({ mode: "cloud", practiceApiUrl: "x", graphUrl: "y" }, PAGE)).toThrow(ConfigError);
    expect(() => parseConfig({ mode: "local", practiceApiUrl: "javascript:alert(1)", graphUrl: "/g" }, PAGE)).toThrow(/must be an http\(s\) URL/);
    const ok = parseConfig(
      { mode: "microsoft365", practiceApiUrl: "https://api.x", graphUrl: "https://graph.microsoft.com/v1.0", auth: { clientId: "c", practiceScope: "api://x/Practice.ReadWrite" } },
      PAGE,
    );
    expect(ok.auth?.clientId).toBe("c");
  });

  it("loads ./config.json next to the page and reports HTTP and JSON failures", async () => {
    const urls: string[] = [];
    const ok = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ mode: "local", practiceApiUrl: "/practice", graphUrl: "/graph/v1.0" }));
    }) as unknown as typeof fetch;
    await loadConfig(PAGE, ok);
    expect(urls).toEqual(["https://addin.firm.example/pane/config.json"]);
    const missing = (async () => new Response("nope", { status: 404 })) as unknown as typeof fetch;
    await expect(loadConfig(PAGE, missing)).rejects.toThrow("HTTP 404");
    const garbage = (async () => new Response("{not json")) as unknown as typeof fetch;
    await expect(loadConfig(PAGE, garbage)).rejects.toThrow("not valid JSON");
  });
});

describe("stored settings", () => {
  it("fills missing fields with defaults and drops wrong types", () => {
    expect(parseStoredSettings({ autoSync: true })).toEqual({ ...DEFAULT_SETTINGS, autoSync: true });
    expect(parseStoredSettings({ autoSync: "yes", importKind: "robot", folder: { folderId: 3 } })).toEqual(DEFAULT_SETTINGS);
    expect(parseStoredSettings("garbage")).toBeNull();
    expect(parseStoredSettings(null)).toBeNull();
  });
});

describe("terminology", () => {
  it("uses the firm's non-blank words unless defaults are asked for", () => {
    const t = resolveTerminology({ client: "Customer", clients: " ", contacts: "People" }, false);
    expect(t).toEqual({ ...DEFAULT_TERMINOLOGY, client: "Customer", contacts: "People" });
    expect(resolveTerminology({ client: "Customer" }, true)).toEqual(DEFAULT_TERMINOLOGY);
    expect(lower("Contacts")).toBe("contacts");
    expect(lower("CRM")).toBe("CRM");
  });
});

describe("pending rows and status text", () => {
  it("puts conflicts first, then removals, updates and adds, and skips empty groups", () => {
    const rows = buildPendingRows([change("a", "add"), change("c", "conflict"), change("r", "remove", "R", { direction: "toOutlook" })]);
    expect(rows.map((r) => r.key)).toEqual(["group:conflict", "c", "group:remove", "r", "group:add", "a"]);
  });

  it("formats values as text", () => {
    expect(formatValue(undefined)).toBe("(empty)");
    expect(formatValue([{ name: "Ada", address: "ada@x.example" }, { address: "b@x.example" }])).toBe("Ada <ada@x.example>; b@x.example");
    expect(formatValue({ street: "1 Main St", city: "Oslo", countryOrRegion: "Norway" })).toBe("1 Main St, Oslo, Norway");
    expect(formatValue(["+1 555", ""])).toBe("+1 555");
  });

  it("describes progress and counts", () => {
    expect(progressText({ phase: "reading-outlook", done: 5, total: 10 }, "planning")).toBe("Reading the Outlook folder: 5 of 10");
    expect(progressValue({ phase: "applying", done: 5, total: 10 })).toBe(0.5);
    expect(progressValue({ phase: "planning", done: 0 })).toBeUndefined();
    // The running total (linked) is the folder's state, not what the run did.
    expect(countsText({ linked: 4, "add:toOutlook": 2, failed: 0 })).toBe("2 added to Outlook");
    // A link with no name shows no internal id.
    expect(linkName({ practiceId: "p1", outlookId: "o", base: {}, practiceVersion: "", outlookChangeKey: "", origin: "practice", state: "excluded", updatedAt: "" })).toBe("(no name)");
  });
});

describe("practice services adapter", () => {
  function client(overrides: Partial<PracticeClientLike> = {}): PracticeClientLike {
    return {
      me: async () => ({ staff: { id: "s1", name: "Ann", email: "ann@x" }, firm: { id: "f", name: "Firm" } }),
      terminology: async () => ({
        terms: { client: { singular: "Customer", plural: "Customers" }, contact: { singular: "Person", plural: "People" }, standalone: { singular: "Other", plural: "Others" } },
      }),
      staff: async () => [],
      filterFields: async () => [{ name: "kind", label: "Type", type: "enum", options: ["client"] }],
      listFilters: async () => [],
      createFilter: async () => {
        throw Object.assign(new Error("x"), { status: 422, problem: { type: "urn:practice-api:problem:invalid-filter", title: "Invalid filter", errors: [{ path: "name", message: "Taken." }] } });
      },
      updateFilter: async () => {
        throw new Error("network down");
      },
      deleteFilter: async () => undefined,
      listContacts: async () => ({ contacts: [] }),
      ...overrides,
    };
  }

  it("maps terminology and identity", async () => {
    const s = createPracticeServices(client());
    expect(await s.terminology()).toEqual({ client: "Customer", clients: "Customers", contact: "Person", contacts: "People", standalone: "Other", standalones: "Others" });
    expect(await s.me()).toEqual({ staffId: "s1", name: "Ann", email: "ann@x", firmName: "Firm" });
  });

  it("turns problem responses into ProblemError and leaves other errors alone", async () => {
    const s = createPracticeServices(client());
    const def = { name: "n", match: "all" as const, criteria: [] };
    const err = await s.createFilter(def).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).errors).toEqual([{ path: "name", message: "Taken." }]);
    await expect(s.updateFilter("f", def)).rejects.toThrow("network down");
  });

  it("reads a colleague's lease from the 409 problem", () => {
    const held = leaseHolderOf({ status: 409, problem: { type: "urn:practice-api:problem:lease-held", holder: { name: "Jörg" }, expiresAt: "2026-11-25T08:00:00Z" } });
    expect(held?.message).toMatch(/^This folder is synced by Jörg until /);
    expect(leaseHolderOf(new Error("x"))).toBeNull();
  });
});

describe("lazy session", () => {
  it("opens once, forwards progress to early listeners, and retries a failed open", async () => {
    const inner = new FakeSession();
    inner.plans = [plan([change("a", "add")])];
    let opens = 0;
    let fail = true;
    const s = lazySession(async () => {
      opens++;
      if (fail) throw new Error("offline");
      return inner;
    });
    const seen: string[] = [];
    s.onProgress((p) => seen.push(p.phase));
    await expect(s.plan()).rejects.toThrow("offline");
    fail = false;
    expect((await s.plan()).changes).toHaveLength(1);
    await s.history();
    inner.emit({ phase: "planning", done: 1 });
    expect(seen).toEqual(["planning"]);
    expect(opens).toBe(2);
    s.close();
    await expect(s.plan()).rejects.toThrow("closed");
  });
});
