// SettingsStore over Office.context.roamingSettings: the in-memory copy is changed with set(), then
// saveAsync() persists it to the mailbox. On failure the previous value is restored so the in-memory
// copy never claims something the mailbox does not hold.
import { assertFits, assertSerializable } from "./settings-size";
import { SettingsSaveError, type SettingsStore } from "./types";

/** The slice of Office.RoamingSettings this store uses (structural, so tests can supply a fake). */
export interface RoamingSettingsLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  saveAsync(callback?: (result: { status: string; error?: { message?: string } | null }) => void): void;
}

export function createRoamingSettingsStore(roaming: RoamingSettingsLike): SettingsStore {
  // Keys this store has seen. The Office API cannot enumerate keys, and this add-in only writes
  // through this store, so these are what count towards the limit.
  const known = new Map<string, unknown>();

  const read = (key: string): unknown => {
    const value = roaming.get(key);
    if (value === undefined || value === null) {
      known.delete(key);
      return null;
    }
    known.set(key, value);
    return value;
  };

  return {
    load<T>(key: string): T | null {
      return read(key) as T | null;
    },
    save<T>(key: string, value: T): Promise<void> {
      try {
        assertSerializable(key, value);
        read(key);
        assertFits(known, key, value);
      } catch (error) {
        return Promise.reject(error);
      }
      const previous = roaming.get(key);
      // Store a JSON copy: later mutations of the caller's object must not leak into the settings.
      const copy = JSON.parse(JSON.stringify(value)) as unknown;
      roaming.set(key, copy);
      return new Promise<void>((resolve, reject) => {
        roaming.saveAsync((result) => {
          if (result.status === "succeeded") {
            known.set(key, copy);
            resolve();
            return;
          }
          if (previous === undefined || previous === null) roaming.remove(key);
          else roaming.set(key, previous);
          reject(new SettingsSaveError(key, result.error?.message ?? "Outlook refused the change"));
        });
      });
    },
  };
}
