// The emulator's whole state as plain JSON-able records, so it can be written to a file as is.

export interface ExtendedPropertyValue {
  /** The id as first written (echoed back in $expand: which form Graph echoes is unconfirmed, XP). */
  id: string;
  value: string;
}

export interface StoredContact {
  /** REST id: changes on every move to another folder (C-RES, IMM). */
  restId: string;
  /** Immutable id: stable within the mailbox (IMM). */
  immutableId: string;
  folderId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  /** Mailbox change sequence of the last create/update/move-in; delta rounds select on it. */
  seq: number;
  /** Writable Graph properties as stored (see contact-shape.ts). */
  props: Record<string, unknown>;
  /** Single-value extended properties by normalized id (see extended-properties.ts). */
  ext: Record<string, ExtendedPropertyValue>;
}

export type FolderKind = "contacts" | "folder" | "deleted";

export interface Tombstone {
  seq: number;
  restId: string;
  immutableId: string;
}

export interface StoredFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  kind: FolderKind;
  /** Contacts that left this folder (deleted or moved out), for delta's @removed entries. */
  tombstones: Tombstone[];
  /** Delta sync-state generations: the counter and the live tokens, oldest first. */
  deltaGeneration: number;
  liveDeltaTokens: string[];
}

export interface DeltaState {
  folderId: string;
  generation: number;
  /** Changes after this sequence belong to the round. */
  sinceSeq: number;
  /** The round's upper bound, fixed when the round started (so paging is stable). */
  uptoSeq: number;
  /** Paging cursor within the round: entries with seq <= afterSeq were already returned. */
  afterSeq: number;
  /** True for the first round: deletions before it are not reported (DQ). */
  initial: boolean;
  /** "skip" for a nextLink token, "delta" for a deltaLink token. */
  kind: "skip" | "delta";
  select: string | null;
  expand: string | null;
}

export interface Mailbox {
  id: string;
  upn: string;
  displayName: string;
  /** The mailbox root (msgfolderroot): parent of the default Contacts folder, not a contact folder. */
  rootFolderId: string;
  contactsFolderId: string;
  deletedItemsFolderId: string;
  folders: Record<string, StoredFolder>;
  /** By REST id. */
  contacts: Record<string, StoredContact>;
  /** Immutable id → REST id. */
  immutableIndex: Record<string, string>;
  seq: number;
  deltaStates: Record<string, DeltaState>;
}

export interface Grant {
  ownerUpn: string;
  folderId: string;
  granteeUpn: string;
  role: "read" | "write";
}

export interface EmulatorState {
  version: 1;
  /** HMAC key for the tokens the emulator signs; kept with the state so tokens survive a restart. */
  secret: string;
  /** By lower-cased UPN. */
  mailboxes: Record<string, Mailbox>;
  grants: Grant[];
}
