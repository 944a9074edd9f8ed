// Operations on the state: mailboxes, folders and contact placement. No HTTP here.
import { randomBytes } from "node:crypto";
import { folderExists, itemNotFound } from "./errors";
import { newChangeKey, newFolderId, newGuid, newImmutableId, newRestId } from "./ids";
import type { EmulatorState, Mailbox, StoredContact, StoredFolder } from "./state-types";

export function emptyState(): EmulatorState {
  return { version: 1, secret: randomBytes(32).toString("base64url"), mailboxes: {}, grants: [] };
}

/** lastModifiedDateTime and friends have second precision (C-GET example). */
export function graphTimestamp(now: Date): string {
  return now.toISOString().slice(0, 19) + "Z";
}

function newFolder(displayName: string, parentFolderId: string, kind: StoredFolder["kind"]): StoredFolder {
  return { id: newFolderId(), displayName, parentFolderId, kind, tombstones: [], deltaGeneration: 0, liveDeltaTokens: [] };
}

export function findMailbox(state: EmulatorState, idOrUpn: string): Mailbox | undefined {
  const byUpn = state.mailboxes[idOrUpn.toLowerCase()];
  if (byUpn) return byUpn;
  const lower = idOrUpn.toLowerCase();
  return Object.values(state.mailboxes).find((m) => m.id === lower);
}

/** Creates the mailbox with its root, default Contacts folder and Deleted Items if it is new. */
export function ensureMailbox(state: EmulatorState, upn: string, displayName?: string): Mailbox {
  const key = upn.toLowerCase();
  const existing = state.mailboxes[key];
  if (existing) return existing;
  const rootFolderId = newFolderId();
  const contacts = newFolder("Contacts", rootFolderId, "contacts");
  const deleted = newFolder("Deleted Items", rootFolderId, "deleted");
  const mailbox: Mailbox = {
    id: newGuid(),
    upn: key,
    displayName: displayName ?? defaultDisplayName(key),
    rootFolderId,
    contactsFolderId: contacts.id,
    deletedItemsFolderId: deleted.id,
    folders: { [contacts.id]: contacts, [deleted.id]: deleted },
    contacts: {},
    immutableIndex: {},
    seq: 0,
    deltaStates: {},
  };
  state.mailboxes[key] = mailbox;
  return mailbox;
}

function defaultDisplayName(upn: string): string {
  const local = upn.split("@")[0] ?? upn;
  return local.split(/[._-]/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join(" ");
}

/** A contact folder reachable through /contactFolders (not Deleted Items, not the root). */
export function getContactFolder(mailbox: Mailbox, folderId: string): StoredFolder {
  const folder = mailbox.folders[folderId];
  if (!folder || folder.kind === "deleted") throw itemNotFound();
  return folder;
}

export function childFolders(mailbox: Mailbox, parentId: string): StoredFolder[] {
  return Object.values(mailbox.folders).filter((f) => f.parentFolderId === parentId && f.kind !== "deleted");
}

/** Sibling names are unique, compared case-insensitively like Exchange folder names: 409 ErrorFolderExists (CF). */
export function createFolder(mailbox: Mailbox, parentId: string, displayName: string): StoredFolder {
  const clash = childFolders(mailbox, parentId).some((f) => f.displayName.toLowerCase() === displayName.toLowerCase());
  if (clash) throw folderExists();
  const folder = newFolder(displayName, parentId, "folder");
  mailbox.folders[folder.id] = folder;
  return folder;
}

export function nextSeq(mailbox: Mailbox): number {
  mailbox.seq += 1;
  return mailbox.seq;
}

/** Looks a contact up by REST or immutable id, in any folder of the mailbox (ids are case-sensitive: IMM). */
export function findContact(mailbox: Mailbox, id: string): StoredContact | undefined {
  const direct = mailbox.contacts[id];
  if (direct) return direct;
  const restId = mailbox.immutableIndex[id];
  return restId ? mailbox.contacts[restId] : undefined;
}

export function requireContact(mailbox: Mailbox, id: string, folderId?: string): StoredContact {
  const contact = findContact(mailbox, id);
  if (!contact || (folderId !== undefined && contact.folderId !== folderId)) throw itemNotFound();
  return contact;
}

export function insertContact(
  mailbox: Mailbox,
  folderId: string,
  props: Record<string, unknown>,
  ext: StoredContact["ext"],
  now: Date,
): StoredContact {
  const stamp = graphTimestamp(now);
  const contact: StoredContact = {
    restId: newRestId(),
    immutableId: newImmutableId(),
    folderId,
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
    changeKey: newChangeKey(),
    seq: nextSeq(mailbox),
    props,
    ext,
  };
  mailbox.contacts[contact.restId] = contact;
  mailbox.immutableIndex[contact.immutableId] = contact.restId;
  return contact;
}

/** Every write regenerates changeKey and lastModifiedDateTime (C-RES) and makes the contact visible to delta. */
export function touchContact(mailbox: Mailbox, contact: StoredContact, now: Date): void {
  contact.changeKey = newChangeKey();
  contact.lastModifiedDateTime = graphTimestamp(now);
  contact.seq = nextSeq(mailbox);
}

function leaveFolder(mailbox: Mailbox, contact: StoredContact, seq: number): void {
  const folder = mailbox.folders[contact.folderId];
  folder?.tombstones.push({ seq, restId: contact.restId, immutableId: contact.immutableId });
}

/**
 * Moves a contact: a new REST id (C-RES: the id changes on a move unless ImmutableId is used),
 * the same immutable id, a tombstone in the source folder and a fresh change in the target.
 */
export function moveContact(mailbox: Mailbox, contact: StoredContact, targetFolderId: string, now: Date): StoredContact {
  if (contact.folderId === targetFolderId) return contact;
  const seq = nextSeq(mailbox);
  leaveFolder(mailbox, contact, seq);
  delete mailbox.contacts[contact.restId];
  contact.restId = newRestId();
  contact.folderId = targetFolderId;
  mailbox.contacts[contact.restId] = contact;
  mailbox.immutableIndex[contact.immutableId] = contact.restId;
  touchContact(mailbox, contact, now);
  return contact;
}

/** DELETE moves the contact to Deleted Items (recoverable); deleting it there purges it. */
export function deleteContact(mailbox: Mailbox, contact: StoredContact, now: Date): void {
  if (contact.folderId === mailbox.deletedItemsFolderId) {
    leaveFolder(mailbox, contact, nextSeq(mailbox));
    delete mailbox.contacts[contact.restId];
    delete mailbox.immutableIndex[contact.immutableId];
    return;
  }
  moveContact(mailbox, contact, mailbox.deletedItemsFolderId, now);
}

export function contactsIn(mailbox: Mailbox, folderId: string): StoredContact[] {
  return Object.values(mailbox.contacts).filter((c) => c.folderId === folderId);
}

/** Deletes a folder with its subfolders; their contacts go to Deleted Items. */
export function deleteFolder(mailbox: Mailbox, folder: StoredFolder, now: Date): void {
  for (const child of childFolders(mailbox, folder.id)) deleteFolder(mailbox, child, now);
  for (const contact of contactsIn(mailbox, folder.id)) moveContact(mailbox, contact, mailbox.deletedItemsFolderId, now);
  for (const token of folder.liveDeltaTokens) delete mailbox.deltaStates[token];
  delete mailbox.folders[folder.id];
}
