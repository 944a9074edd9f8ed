// initOfficeHost(): the one place the pane meets office.js. Inside Outlook it wraps roaming settings,
// the Office theme, the mailbox identity and the ItemChanged event of a pinned pane; in a plain browser
// (local mode, e2e tests) it falls back to localStorage and prefers-color-scheme, so the same views run
// in both.
import { createLocalSettingsStore } from "./local-settings-store";
import { createRoamingSettingsStore, type RoamingSettingsLike } from "./roaming-settings-store";
import { themeFromBackground } from "./theme";
import type { OfficeHost, SettingsStore, ThemeName } from "./types";

type Handler = (args?: unknown) => void;
type AsyncCallback = (result: { status: string; error?: { message?: string } | null }) => void;

interface MailboxLike {
  userProfile?: { emailAddress?: string | null } | null;
  addHandlerAsync?(eventType: string, handler: Handler, callback?: AsyncCallback): void;
  removeHandlerAsync?(eventType: string, callback?: AsyncCallback): void;
}

/** The slice of the Office global this module uses (structural, so tests can supply a fake). */
export interface OfficeLike {
  onReady(): Promise<{ host: unknown; platform?: unknown }>;
  EventType?: { OfficeThemeChanged?: string; ItemChanged?: string };
  context?: {
    roamingSettings?: RoamingSettingsLike | null;
    mailbox?: MailboxLike | null;
    officeTheme?: { bodyBackgroundColor?: string } | null;
    partitionKey?: string | null;
  } | null;
}

/** The slice of window used outside Office. */
export interface BrowserLike {
  matchMedia?(query: string): MediaQueryList;
  localStorage?: Storage;
}

export interface OfficeHostOptions {
  /** Defaults to the Office global (absent when office.js did not load). */
  office?: OfficeLike | null;
  /** Defaults to window (absent under node). */
  browser?: BrowserLike | null;
  /** office.js never resolves onReady when its host files are blocked; give up after this long. */
  readyTimeoutMs?: number;
}

const DARK_QUERY = "(prefers-color-scheme: dark)";

export async function initOfficeHost(options: OfficeHostOptions = {}): Promise<OfficeHost> {
  const office = "office" in options ? options.office ?? null : globalOffice();
  const browser = "browser" in options ? options.browser ?? null : globalBrowser();
  const inOffice = office ? await hostIsPresent(office, options.readyTimeoutMs ?? 10_000) : false;
  const context = inOffice ? office?.context ?? null : null;
  const mailbox = context?.mailbox ?? null;
  const partitionKey = context?.partitionKey || null;

  const settings: SettingsStore =
    context?.roamingSettings
      ? createRoamingSettingsStore(context.roamingSettings)
      : createLocalSettingsStore(browserStorage(browser), partitionKey);

  const browserTheme = (): ThemeName => (browser?.matchMedia?.(DARK_QUERY).matches ? "dark" : "light");
  const officeTheme = (): ThemeName | null => themeFromBackground(context?.officeTheme?.bodyBackgroundColor);
  const theme = (): ThemeName => officeTheme() ?? browserTheme();

  const themeEvent = office?.EventType?.OfficeThemeChanged;
  const itemEvent = office?.EventType?.ItemChanged;
  const themeListeners = mailbox && themeEvent && context?.officeTheme ? new MailboxEvent(mailbox, themeEvent) : null;
  const itemListeners = mailbox && itemEvent ? new MailboxEvent(mailbox, itemEvent) : null;

  return {
    inOffice,
    theme,
    onThemeChange(cb) {
      if (themeListeners) {
        return themeListeners.add((args) => {
          const fromArgs = themeFromBackground(
            (args as { officeTheme?: { bodyBackgroundColor?: string } } | undefined)?.officeTheme?.bodyBackgroundColor,
          );
          cb(fromArgs ?? theme());
        });
      }
      const query = browser?.matchMedia?.(DARK_QUERY);
      if (!query) return () => {};
      const listener = (event: MediaQueryListEvent) => cb(event.matches ? "dark" : "light");
      query.addEventListener("change", listener);
      return () => query.removeEventListener("change", listener);
    },
    userEmail: mailbox?.userProfile?.emailAddress || null,
    partitionKey,
    settings,
    onItemChanged(cb) {
      return itemListeners ? itemListeners.add(() => cb()) : () => {};
    },
  };
}

/**
 * One Office handler per event type, fanned out to any number of listeners: removeHandlerAsync removes
 * every handler of a type at once, so listeners cannot each own one.
 */
class MailboxEvent {
  private readonly listeners = new Set<Handler>();
  constructor(
    private readonly mailbox: MailboxLike,
    private readonly eventType: string,
  ) {}

  add(listener: Handler): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.mailbox.addHandlerAsync?.(this.eventType, (args) => {
        for (const l of [...this.listeners]) l(args);
      });
    }
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.mailbox.removeHandlerAsync?.(this.eventType);
    };
  }
}

async function hostIsPresent(office: OfficeLike, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const info = await Promise.race([office.onReady(), timeout]);
    // Outside an Office client onReady resolves with host null (research: addin-conventions §5).
    return info !== null && info.host !== null && info.host !== undefined;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function globalOffice(): OfficeLike | null {
  const g = globalThis as unknown as { Office?: OfficeLike };
  return g.Office && typeof g.Office.onReady === "function" ? g.Office : null;
}

function globalBrowser(): BrowserLike | null {
  return typeof window === "undefined" ? null : window;
}

function browserStorage(browser: BrowserLike | null): Storage {
  try {
    if (browser?.localStorage) return browser.localStorage;
  } catch {
    // Reading localStorage throws where storage is disabled; fall through to memory.
  }
  return createMemoryStorage();
}

/** Storage that lasts as long as the page: used only where the browser offers none. */
export function createMemoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, String(v)),
  };
}
