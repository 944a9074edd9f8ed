// Folder trees of the user's own mailbox and of any shared mailboxes they added, loaded lazily.
import { useCallback, useEffect, useRef, useState } from "react";
import type { FolderServices, OutlookFolder } from "../../services";
import { useI18n } from "../../i18n/i18n-context";
import { messageOf } from "../../safety-stop";

export interface MailboxFolders {
  /** null: the user's own mailbox. */
  mailbox: string | null;
  /** null while loading, or when the last load failed (then `error` says why). */
  folders: OutlookFolder[] | null;
  error: string | null;
}

export interface FoldersState {
  mailboxes: MailboxFolders[];
  reload(mailbox: string | null): void;
  createFolder(mailbox: string | null, parentId: string | null, name: string): Promise<OutlookFolder | null>;
  createError: string | null;
}

export function useFolders(svc: FolderServices, shared: readonly string[]): FoldersState {
  const [byMailbox, setByMailbox] = useState<Map<string, MailboxFolders>>(new Map());
  const [createError, setCreateError] = useState<string | null>(null);
  // Read when an error lands, so a change of terms does not reload the folders.
  const i18n = useI18n();
  const words = useRef(i18n);
  useEffect(() => {
    words.current = i18n;
  }, [i18n]);
  const keyOf = (m: string | null) => m ?? "";
  // Loads of one mailbox can overlap (a reload after "Create folder", "Try again", a slow listing
  // still retrying a throttled request). Only the newest one may land: an older answer arriving
  // late, above all an older failure, must not replace a newer tree (it showed an empty tree).
  const latest = useRef(new Map<string, number>());
  const seq = useRef(0);
  // Which mailboxes this mount has asked for. The load effect reads this ref rather than state, so
  // it never skips a mailbox because of a stale snapshot of byMailbox.
  const requested = useRef(new Set<string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    // The same Set and Map for the hook's life (never reassigned), held here for the cleanup.
    const asked = requested.current;
    const newest = latest.current;
    return () => {
      mounted.current = false;
      // A remount (the view is left and shown again) must load afresh, not trust a lost request.
      asked.clear();
      newest.clear();
    };
  }, []);

  const load = useCallback(
    (mailbox: string | null) => {
      const key = keyOf(mailbox);
      const ticket = ++seq.current;
      latest.current.set(key, ticket);
      requested.current.add(key);
      const land = (entry: MailboxFolders) => {
        if (!mounted.current || latest.current.get(key) !== ticket) return;
        setByMailbox((prev) => new Map(prev).set(key, entry));
      };
      setByMailbox((prev) => new Map(prev).set(key, { mailbox, folders: null, error: null }));
      svc
        .listFolders(mailbox)
        .then((folders) => land({ mailbox, folders, error: null }))
        .catch((err) =>
          land({
            mailbox,
            folders: null,
            error: mailbox
              ? words.current.t("folders.readError", { mailbox, message: messageOf(err) })
              : words.current.t("folders.readErrorMine", { message: messageOf(err) }),
          }),
        );
    },
    [svc],
  );

  const wanted = [null, ...shared];
  const wantedKey = wanted.map(keyOf).join("\n");
  useEffect(() => {
    for (const m of wantedKey.split("\n").map((k) => (k === "" ? null : k))) {
      if (!requested.current.has(keyOf(m))) load(m);
    }
  }, [wantedKey, load]);

  const createFolder = useCallback(
    async (mailbox: string | null, parentId: string | null, name: string) => {
      setCreateError(null);
      try {
        const f = await svc.createFolder(mailbox, parentId, name);
        load(mailbox);
        return f;
      } catch (err) {
        setCreateError(words.current.t("folders.createError", { message: messageOf(err) }));
        return null;
      }
    },
    [svc, load],
  );

  const mailboxes = wanted.map((m) => byMailbox.get(keyOf(m)) ?? { mailbox: m, folders: null, error: null });
  return { mailboxes, reload: load, createFolder, createError };
}

/** "Contacts / Clients" for a folder id, or null when the id is not in the tree. */
export function folderPath(folders: readonly OutlookFolder[], id: string, trail: string[] = []): string | null {
  for (const f of folders) {
    const here = [...trail, f.displayName];
    if (f.id === id) return here.join(" / ");
    const below = folderPath(f.children, id, here);
    if (below) return below;
  }
  return null;
}
