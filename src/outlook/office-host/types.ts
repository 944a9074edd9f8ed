// The pane's view of its host (Outlook or a plain browser). Views and the composition root use these
// types; nothing outside this folder touches the Office global.

export type ThemeName = "light" | "dark";

/** Per-user settings that roam with the mailbox (Outlook) or stay in this browser (local mode). */
export interface SettingsStore {
  /** The stored value, or null when there is none or it cannot be read. */
  load<T>(key: string): T | null;
  /** Persists the value; rejects (and keeps the previous value) when it cannot be stored. */
  save<T>(key: string, value: T): Promise<void>;
}

export interface OfficeHost {
  /** True inside an Outlook client; false in a plain browser (local mode, tests). */
  inOffice: boolean;
  theme(): ThemeName;
  /** Calls back with the new theme when Outlook's (or the browser's) theme changes; returns an unsubscribe. */
  onThemeChange(cb: (theme: ThemeName) => void): () => void;
  /** The mailbox owner's SMTP address (Outlook only): the sign-in hint. */
  userEmail: string | null;
  /** Office's storage partition key, where the client defines one; prefixes browser storage keys. */
  partitionKey: string | null;
  settings: SettingsStore;
  /** A pinned pane stays open while the user selects other messages; this says when that happens. */
  onItemChanged(cb: () => void): () => void;
}

/** Outlook keeps at most 32 KB of roaming settings per add-in and user (all keys together). */
export const ROAMING_SETTINGS_LIMIT_BYTES = 32 * 1024;

export class SettingsTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly bytes: number,
  ) {
    super(
      `The setting "${key}" cannot be saved: all settings together would take ${bytes} bytes, ` +
        `more than the ${ROAMING_SETTINGS_LIMIT_BYTES} bytes Outlook keeps per add-in. Nothing was changed.`,
    );
    this.name = "SettingsTooLargeError";
  }
}

export class SettingsSaveError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`The setting "${key}" could not be saved: ${reason}. The previous value is kept.`);
    this.name = "SettingsSaveError";
  }
}
