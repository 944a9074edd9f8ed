// Size accounting for the 32 KB roaming-settings limit. Outlook stores all of an add-in's settings as
// one JSON object, so the size that matters is that object's serialized length (UTF-8).
import { ROAMING_SETTINGS_LIMIT_BYTES, SettingsTooLargeError } from "./types";

const encoder = new TextEncoder();

export function serializedBytes(entries: ReadonlyMap<string, unknown>): number {
  return encoder.encode(JSON.stringify(Object.fromEntries(entries))).length;
}

/**
 * Throws SettingsTooLargeError when storing `value` under `key` would push the settings we know of
 * past the limit. `known` holds the other keys this add-in has read or written.
 */
export function assertFits(known: ReadonlyMap<string, unknown>, key: string, value: unknown): void {
  const next = new Map(known);
  next.set(key, value);
  const bytes = serializedBytes(next);
  if (bytes > ROAMING_SETTINGS_LIMIT_BYTES) throw new SettingsTooLargeError(key, bytes);
}

/** Values must survive a JSON round trip unchanged in meaning; undefined and functions do not. */
export function assertSerializable(key: string, value: unknown): void {
  if (value === undefined) throw new TypeError(`The setting "${key}" cannot be saved as undefined; save null instead.`);
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`The setting "${key}" is not JSON-serializable: ${(error as Error).message}`, { cause: error });
  }
}
