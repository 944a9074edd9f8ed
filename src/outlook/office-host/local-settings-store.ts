// SettingsStore over browser storage, for local mode (no Office host). Keys are prefixed with Office's
// partition key where one is defined (storage in an add-in webview is otherwise shared between add-ins
// of the same origin) and with the product's own prefix. The roaming limit is enforced here too, so a
// setting that works locally also fits in Outlook.
import { assertFits, assertSerializable } from "./settings-size";
import { SettingsSaveError, type SettingsStore } from "./types";

export const LOCAL_KEY_PREFIX = "practice-contact-sync:";

export function localStorageKey(key: string, partitionKey: string | null): string {
  return `${partitionKey ? `${partitionKey}:` : ""}${LOCAL_KEY_PREFIX}${key}`;
}

export function createLocalSettingsStore(storage: Storage, partitionKey: string | null): SettingsStore {
  const known = new Map<string, unknown>();

  const read = (key: string): unknown => {
    const raw = storage.getItem(localStorageKey(key, partitionKey));
    if (raw === null) {
      known.delete(key);
      return null;
    }
    try {
      const value = JSON.parse(raw) as unknown;
      known.set(key, value);
      return value;
    } catch {
      // Hand-edited or truncated: treat as absent rather than break the pane.
      known.delete(key);
      return null;
    }
  };

  return {
    load<T>(key: string): T | null {
      return read(key) as T | null;
    },
    async save<T>(key: string, value: T): Promise<void> {
      assertSerializable(key, value);
      read(key);
      assertFits(known, key, value);
      const json = JSON.stringify(value);
      try {
        storage.setItem(localStorageKey(key, partitionKey), json);
      } catch (error) {
        throw new SettingsSaveError(key, (error as Error).message || "browser storage is full or disabled");
      }
      known.set(key, JSON.parse(json) as unknown);
    },
  };
}
