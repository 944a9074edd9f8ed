// initOfficeHost against a mocked Office.context (no Office client exists on this machine) and against a
// plain browser (fake localStorage and matchMedia).
import {
  createMemoryStorage,
  initOfficeHost,
  localStorageKey,
  ROAMING_SETTINGS_LIMIT_BYTES,
  SettingsSaveError,
  SettingsTooLargeError,
  themeFromBackground,
  type BrowserLike,
  type OfficeLike,
} from "../../../src/outlook/office-host";

type Handler = (args?: unknown) => void;

/** A stand-in for Office with Outlook's roaming settings semantics: set() is in memory, saveAsync() persists. */
function fakeOffice(opts: { background?: string; email?: string; partitionKey?: string; failSave?: () => boolean } = {}) {
  const memory = new Map<string, unknown>();
  const persisted = new Map<string, unknown>();
  const handlers = new Map<string, Handler>();
  const calls = { add: 0, remove: 0, save: 0 };
  const office: OfficeLike = {
    onReady: async () => ({ host: "Outlook", platform: "OfficeOnline" }),
    EventType: { OfficeThemeChanged: "olkThemeChanged", ItemChanged: "olkItemSelectedChanged" },
    context: {
      partitionKey: opts.partitionKey,
      officeTheme: opts.background ? { bodyBackgroundColor: opts.background } : undefined,
      roamingSettings: {
        get: (k) => memory.get(k),
        set: (k, v) => void memory.set(k, v),
        remove: (k) => void memory.delete(k),
        saveAsync: (cb) => {
          calls.save++;
          setTimeout(() => {
            if (opts.failSave?.()) {
              cb?.({ status: "failed", error: { message: "The mailbox is unavailable" } });
              return;
            }
            persisted.clear();
            for (const [k, v] of memory) persisted.set(k, v);
            cb?.({ status: "succeeded" });
          }, 1);
        },
      },
      mailbox: {
        userProfile: { emailAddress: opts.email ?? "anna@harbour.example" },
        addHandlerAsync: (type, handler) => {
          calls.add++;
          handlers.set(type, handler);
        },
        removeHandlerAsync: (type) => {
          calls.remove++;
          handlers.delete(type);
        },
      },
    },
  };
  return { office, memory, persisted, handlers, calls };
}

function fakeBrowser(dark = false) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const query = {
    matches: dark,
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  } as unknown as MediaQueryList;
  const browser: BrowserLike = { matchMedia: () => query, localStorage: createMemoryStorage() };
  const flip = (toDark: boolean) => {
    (query as { matches: boolean }).matches = toDark;
    for (const l of listeners) l({ matches: toDark } as MediaQueryListEvent);
  };
  return { browser, flip, listeners };
}

describe("inside Outlook", () => {
  it("reports the host, the user's address and the partition key", async () => {
    const { office } = fakeOffice({ partitionKey: "part-1", email: "anna@harbour.example" });
    const host = await initOfficeHost({ office, browser: fakeBrowser().browser });
    expect(host.inOffice).toBe(true);
    expect(host.userEmail).toBe("anna@harbour.example");
    expect(host.partitionKey).toBe("part-1");
  });

  it("saves settings to roaming settings and persists them with saveAsync", async () => {
    const fake = fakeOffice();
    const browser = fakeBrowser().browser;
    const host = await initOfficeHost({ office: fake.office, browser });
    await host.settings.save("paneSettings", { filterId: "f1", autoSync: true });
    expect(fake.persisted.get("paneSettings")).toEqual({ filterId: "f1", autoSync: true });
    expect(host.settings.load("paneSettings")).toEqual({ filterId: "f1", autoSync: true });
    expect(browser.localStorage?.length).toBe(0); // nothing leaks into browser storage
  });

  it("stores a copy, so later changes to the caller's object are not saved by accident", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: null });
    const value = { list: ["a"] };
    await host.settings.save("k", value);
    value.list.push("b");
    expect(host.settings.load("k")).toEqual({ list: ["a"] });
  });

  it("rejects a value that would exceed the 32 KB limit, and changes nothing", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: null });
    await host.settings.save("paneSettings", { filterId: "f1" });
    const huge = { blob: "x".repeat(ROAMING_SETTINGS_LIMIT_BYTES) };
    await expect(host.settings.save("paneSettings", huge)).rejects.toBeInstanceOf(SettingsTooLargeError);
    await expect(host.settings.save("paneSettings", huge)).rejects.toThrow(/32768 bytes/);
    expect(host.settings.load("paneSettings")).toEqual({ filterId: "f1" });
    expect(fake.calls.save).toBe(1);
  });

  it("counts the other keys towards the limit", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: null });
    await host.settings.save("a", "x".repeat(20_000));
    await expect(host.settings.save("b", "y".repeat(15_000))).rejects.toBeInstanceOf(SettingsTooLargeError);
    await host.settings.save("b", "y".repeat(10_000));
    expect((host.settings.load<string>("b") ?? "").length).toBe(10_000);
  });

  it("counts multi-byte characters as the bytes they take", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: null });
    // 12,000 characters but 36,000 bytes in UTF-8.
    await expect(host.settings.save("names", "€".repeat(12_000))).rejects.toBeInstanceOf(SettingsTooLargeError);
  });

  it("restores the previous value when saveAsync fails", async () => {
    let fail = false;
    const fake = fakeOffice({ failSave: () => fail });
    const host = await initOfficeHost({ office: fake.office, browser: null });
    await host.settings.save("paneSettings", { filterId: "f1" });
    fail = true;
    const error = await host.settings.save("paneSettings", { filterId: "f2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsSaveError);
    expect((error as Error).message).toMatch(/mailbox is unavailable.*previous value is kept/);
    expect(host.settings.load("paneSettings")).toEqual({ filterId: "f1" });
    expect(fake.persisted.get("paneSettings")).toEqual({ filterId: "f1" });
  });

  it("removes a first-time value again when saveAsync fails", async () => {
    const fake = fakeOffice({ failSave: () => true });
    const host = await initOfficeHost({ office: fake.office, browser: null });
    await expect(host.settings.save("k", 1)).rejects.toBeInstanceOf(SettingsSaveError);
    expect(host.settings.load("k")).toBeNull();
  });

  it("refuses undefined and values JSON cannot hold", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: null });
    await expect(host.settings.save("k", undefined)).rejects.toThrow(/null instead/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(host.settings.save("k", cyclic)).rejects.toThrow(/not JSON-serializable/);
    expect(fake.calls.save).toBe(0);
  });

  it("derives the theme from Office's body colour and follows OfficeThemeChanged", async () => {
    const fake = fakeOffice({ background: "#ffffff" });
    const host = await initOfficeHost({ office: fake.office, browser: fakeBrowser(true).browser });
    expect(host.theme()).toBe("light"); // Office wins over the browser's preference
    const seen: string[] = [];
    const off = host.onThemeChange((t) => seen.push(t));
    fake.handlers.get("olkThemeChanged")?.({ officeTheme: { bodyBackgroundColor: "#1f1f1f" } });
    expect(seen).toEqual(["dark"]);
    off();
    expect(fake.handlers.has("olkThemeChanged")).toBe(false);
  });

  it("registers one Office handler for many ItemChanged listeners and removes it after the last", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: null });
    let a = 0;
    let b = 0;
    const offA = host.onItemChanged(() => a++);
    const offB = host.onItemChanged(() => b++);
    expect(fake.calls.add).toBe(1);
    fake.handlers.get("olkItemSelectedChanged")?.();
    expect([a, b]).toEqual([1, 1]);
    offA();
    expect(fake.calls.remove).toBe(0);
    fake.handlers.get("olkItemSelectedChanged")?.();
    expect([a, b]).toEqual([1, 2]);
    offB();
    offB(); // idempotent
    expect(fake.calls.remove).toBe(1);
  });

  it("falls back to the browser theme where Office reports no theme (Mailbox < 1.14)", async () => {
    const fake = fakeOffice();
    const host = await initOfficeHost({ office: fake.office, browser: fakeBrowser(true).browser });
    expect(host.theme()).toBe("dark");
  });
});

describe("outside Office", () => {
  it("treats onReady with host null as a plain browser and uses localStorage", async () => {
    const office: OfficeLike = { onReady: async () => ({ host: null, platform: null }) };
    const { browser } = fakeBrowser();
    const host = await initOfficeHost({ office, browser });
    expect(host.inOffice).toBe(false);
    expect(host.userEmail).toBeNull();
    expect(host.partitionKey).toBeNull();
    await host.settings.save("paneSettings", { autoSync: false });
    expect(browser.localStorage?.getItem(localStorageKey("paneSettings", null))).toBe('{"autoSync":false}');
    expect(host.settings.load("paneSettings")).toEqual({ autoSync: false });
  });

  it("works without office.js at all", async () => {
    const host = await initOfficeHost({ office: null, browser: fakeBrowser().browser });
    expect(host.inOffice).toBe(false);
    expect(host.onItemChanged(() => {})).toEqual(expect.any(Function));
  });

  it("gives up waiting when onReady never resolves (office.js blocked)", async () => {
    const office: OfficeLike = { onReady: () => new Promise(() => {}) };
    const started = Date.now();
    const host = await initOfficeHost({ office, browser: fakeBrowser().browser, readyTimeoutMs: 50 });
    expect(host.inOffice).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("follows prefers-color-scheme", async () => {
    const fake = fakeBrowser(false);
    const host = await initOfficeHost({ office: null, browser: fake.browser });
    expect(host.theme()).toBe("light");
    const seen: string[] = [];
    const off = host.onThemeChange((t) => seen.push(t));
    fake.flip(true);
    expect(seen).toEqual(["dark"]);
    expect(host.theme()).toBe("dark");
    off();
    expect(fake.listeners.size).toBe(0);
  });

  it("ignores a hand-edited, unreadable value instead of failing", async () => {
    const { browser } = fakeBrowser();
    browser.localStorage?.setItem(localStorageKey("paneSettings", null), "{not json");
    const host = await initOfficeHost({ office: null, browser });
    expect(host.settings.load("paneSettings")).toBeNull();
  });

  it("enforces the same 32 KB limit as Outlook, so local mode finds the problem first", async () => {
    const { browser } = fakeBrowser();
    const host = await initOfficeHost({ office: null, browser });
    await expect(host.settings.save("k", "x".repeat(40_000))).rejects.toBeInstanceOf(SettingsTooLargeError);
    expect(browser.localStorage?.length).toBe(0);
  });

  it("reports a full browser storage as a save error", async () => {
    const storage = createMemoryStorage();
    storage.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    const host = await initOfficeHost({ office: null, browser: { localStorage: storage } });
    await expect(host.settings.save("k", 1)).rejects.toThrow(/could not be saved: QuotaExceededError/);
  });

  it("prefixes keys with the partition key where one is defined", () => {
    expect(localStorageKey("k", "p1")).toBe("p1:practice-contact-sync:k");
    expect(localStorageKey("k", null)).toBe("practice-contact-sync:k");
  });
});

describe("themeFromBackground", () => {
  it.each([
    ["#ffffff", "light"],
    ["#fff", "light"],
    ["#f3f2f1", "light"],
    ["#292827", "dark"],
    ["#000000", "dark"],
    ["#0F6CBD", "dark"],
    ["not a colour", null],
    [undefined, null],
  ])("%s → %s", (color, expected) => {
    expect(themeFromBackground(color)).toBe(expected);
  });
});
