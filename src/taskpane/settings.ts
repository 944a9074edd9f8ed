// The user's pane settings (DESIGN §1.3). They roam with the mailbox (roamingSettings, 32 KB for
// the whole add-in), so they hold choices only, never contacts or tokens. What comes back from
// storage may be from an older version or hand-edited: it is validated and, if unusable, ignored.
import { z } from "zod";
import type { ContactKind } from "../sync/model";

/** The Outlook folder being synced: `mailbox` null = the user's own mailbox. */
export interface FolderRef {
  mailbox: string | null;
  folderId: string;
  /** For display only ("Contacts / Clients"). */
  path: string;
}

export interface PaneSettings {
  folder: FolderRef | null;
  /** R1: null = all contacts. */
  filterId: string | null;
  /** R7. */
  importKind: ContactKind;
  /** "Display confirmation dialog prior to committing changes" (R14). */
  confirmBeforeCommit: boolean;
  /** "Enable automatic contact synchronization" (R17). */
  autoSync: boolean;
  /** R5 option: the most recent record wins every field. */
  wholeRecord: boolean;
  /** R10 option: deleting a standalone contact in Outlook deletes it in the practice system. */
  deleteStandaloneOnOutlookDelete: boolean;
  /** Show the product's default words instead of the firm's terminology. */
  useDefaultTerminology: boolean;
  /** Shared mailboxes the user added to the folder picker. */
  sharedMailboxes: string[];
}

export const SETTINGS_KEY = "paneSettings";

export const DEFAULT_SETTINGS: PaneSettings = {
  folder: null,
  filterId: null,
  importKind: "client",
  confirmBeforeCommit: true,
  autoSync: false,
  wholeRecord: false,
  deleteStandaloneOnOutlookDelete: false,
  useDefaultTerminology: false,
  sharedMailboxes: [],
};

const storedSchema = z.object({
  folder: z
    .object({ mailbox: z.string().nullable(), folderId: z.string().min(1), path: z.string() })
    .nullable()
    .catch(null),
  filterId: z.string().nullable().catch(null),
  importKind: z.enum(["client", "standalone"]).catch("client"),
  confirmBeforeCommit: z.boolean().catch(true),
  autoSync: z.boolean().catch(false),
  wholeRecord: z.boolean().catch(false),
  deleteStandaloneOnOutlookDelete: z.boolean().catch(false),
  useDefaultTerminology: z.boolean().catch(false),
  sharedMailboxes: z.array(z.string()).catch([]),
});

/**
 * Reads stored settings leniently: a field that is missing or of the wrong type falls back to its
 * default (an older version wrote fewer fields), anything that is not an object gives null.
 */
export function parseStoredSettings(raw: unknown): PaneSettings | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const merged = { ...DEFAULT_SETTINGS, ...(raw as Record<string, unknown>) };
  const parsed = storedSchema.safeParse(merged);
  return parsed.success ? parsed.data : null;
}

/** True when the settings are complete enough to sync. */
export function isConfigured(s: PaneSettings | null): s is PaneSettings & { folder: FolderRef } {
  return !!s && s.folder !== null;
}
