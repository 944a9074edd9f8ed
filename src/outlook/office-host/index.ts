export { initOfficeHost, createMemoryStorage } from "./office-host";
export type { OfficeHostOptions, OfficeLike, BrowserLike } from "./office-host";
export { createRoamingSettingsStore } from "./roaming-settings-store";
export type { RoamingSettingsLike } from "./roaming-settings-store";
export { createLocalSettingsStore, localStorageKey } from "./local-settings-store";
export { themeFromBackground } from "./theme";
export {
  ROAMING_SETTINGS_LIMIT_BYTES,
  SettingsSaveError,
  SettingsTooLargeError,
  type OfficeHost,
  type SettingsStore,
  type ThemeName,
} from "./types";
