// The composition root: the only module that knows the concrete pieces (practice API client,
// Graph adapter, Dexie cache, engine, auth, Office host) and wires them into PaneServices.
import { createAuth, withClaimsChallenge } from "../auth";
import { initOfficeHost } from "../outlook/office-host";
import { createGraphFolders, createGraphOutlookStore } from "../outlook/graph";
import { createPracticeClient } from "../practice-api/client";
import type { PaneConfig } from "./config";
import { displayLanguage } from "./i18n/locales";
import type { PaneServices } from "./services";
import { SETTINGS_KEY, parseStoredSettings, type PaneSettings } from "./settings";
import { createFolderServices } from "./wiring/folder-services";
import { lazySession } from "./wiring/lazy-session";
import { folderKeyOf, leasedSession } from "./wiring/leased-session";
import { createPracticeServices } from "./wiring/practice-services";

export interface CompositionOptions {
  fetch?: typeof fetch;
  /** Overrides for tests: the IndexedDB factory the cache uses. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Local mode's user (the dev token's subject). */
  devUpn?: string;
}

export async function buildPaneServices(config: PaneConfig, opts: CompositionOptions = {}): Promise<PaneServices> {
  // Waits for Office.onReady when office.js is present; in a plain browser it resolves at once.
  const host = await initOfficeHost();
  const auth = createAuth(config, { fetch: opts.fetch, devUpn: opts.devUpn });
  // A 401 with a claims challenge gets a token carrying the claims and is sent once more (src/auth).
  const baseFetch: typeof fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const practiceFetch = withClaimsChallenge(baseFetch, (claims) => auth.getPracticeToken({ claims }));
  const practice = createPracticeClient({
    baseUrl: config.practiceApiUrl,
    getToken: () => auth.getPracticeToken(),
    fetch: (req: Request) => practiceFetch(req),
  });
  const graphToken = (shared: boolean) => () => auth.getGraphToken(shared ? { shared: true } : undefined);
  const graphFetch = (shared: boolean) => withClaimsChallenge(baseFetch, (claims) => auth.getGraphToken({ shared, claims }));
  const folders = createFolderServices(
    createGraphFolders({ graphUrl: config.graphUrl, getToken: graphToken(false), fetch: graphFetch(false) }),
    createGraphFolders({ graphUrl: config.graphUrl, getToken: graphToken(true), fetch: graphFetch(true) }),
  );

  // This pane's lease holder id: in memory only, so two panes (or a reload) are two devices to R18.
  const leaseHolder = crypto.randomUUID();
  let current: ReturnType<typeof lazySession> | null = null;
  const createSession = (settings: PaneSettings) => {
    const folder = settings.folder;
    if (!folder) throw new Error("Choose the Outlook folder to synchronize with first.");
    // One session at a time: the previous one's cache connection is released.
    current?.close();
    current = lazySession(async () => {
      // The engine and the IndexedDB cache (Dexie) load with the first sync, not with the pane: Setup is
      // usable sooner and the first load stays small (issue 11: ≤ 250 KB gzipped).
      const [{ cacheDatabaseName, openDexieSyncCache }, { SyncSession }] = await Promise.all([import("../store"), import("../sync/session")]);
      const firmId = await practice.firmId();
      const mailbox = folder.mailbox ?? host.userEmail ?? auth.accountName() ?? "me";
      const cache = await openDexieSyncCache(
        cacheDatabaseName({ mailbox, folderId: folder.folderId, firmId, partitionKey: host.partitionKey ?? undefined }),
        { indexedDB: opts.indexedDB, IDBKeyRange: opts.IDBKeyRange },
      );
      const outlook = createGraphOutlookStore({
        graphUrl: config.graphUrl,
        getToken: graphToken(folder.mailbox !== null),
        mailbox: folder.mailbox ?? "me",
        folderId: folder.folderId,
        fetch: graphFetch(folder.mailbox !== null),
      });
      // One key for the shared decisions and the lease, the same as the command line's.
      const folderKey = folderKeyOf(mailbox, folder.folderId);
      const session = new SyncSession({
        practice,
        outlook,
        cache,
        clock: { now: () => new Date().toISOString() },
        ids: { next: () => crypto.randomUUID() },
        settings: {
          filterId: settings.filterId,
          importKind: settings.importKind,
          wholeRecord: settings.wholeRecord,
          deleteStandaloneOnOutlookDelete: settings.deleteStandaloneOnOutlookDelete,
        },
        // R2: the same key as the command line's, so every device of the user shares its decisions.
        folder: { mailbox: mailbox.toLowerCase(), folderKey },
      });
      const close = () => cache.close();
      // R18: every apply holds the folder's lease (the own mailbox's too), under the key the engine uses.
      const leased = leasedSession(session, {
        api: practice,
        folderKey,
        holder: leaseHolder,
        checkBeforePlan: folder.mailbox !== null,
        myStaffId: async () => (await practice.me()).staff.id,
      });
      return Object.assign(leased, { close });
    });
    return current;
  };

  return {
    practice: createPracticeServices(practice),
    folders,
    createSession,
    settings: {
      load: () => parseStoredSettings(host.settings.load<unknown>(SETTINGS_KEY)),
      save: (s) => host.settings.save(SETTINGS_KEY, s),
    },
    auth: { signIn: () => auth.signIn(), accountName: () => auth.accountName() },
    host: { inOffice: host.inOffice, theme: host.theme, onThemeChange: host.onThemeChange, userEmail: host.userEmail, displayLanguage: host.inOffice ? displayLanguage(true) : null },
  };
}
