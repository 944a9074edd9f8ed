// The browser-side sync cache (the SyncCache port on IndexedDB).
export { cacheDatabaseName, type CacheScope } from "./cache-name";
export { CACHE_SCHEMA_VERSION, CacheDatabase } from "./cache-database";
export { DexieSyncCache, MAX_RUNS, openDexieSyncCache, type DexieCacheDeps } from "./dexie-sync-cache";
