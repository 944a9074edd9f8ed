// The Graph adapter's public API (research/graph-contacts.md is the source of every behaviour):
// - createGraphOutlookStore: the engine's OutlookStore port for one contacts folder of one mailbox
//   ("me" or a shared mailbox's UPN): reads on documented ground only (delta with $select for change
//   detection, changed contacts read whole with their extended properties; a folder reached through a
//   delegated share listed instead), $batch writes (20 per batch, at most 4 requests in flight per
//   application), stamps and fax numbers in MAPI extended properties, retries after Retry-After, and
//   creates with an unknown outcome looked up by stamp before anything is sent again;
// - createGraphFolders: the folder tree of a mailbox and creating folders, with named errors whose
//   messages can be shown to the user (FolderAccessError for a mailbox not shared, 403).
// Both take the bearer token from an injected getToken and never log it; both work in Node (pass a
// fetch trusting the emulator's certificate) and in the browser (global fetch, http proxy paths too).
export { createGraphOutlookStore, DEFAULT_PAGE_SIZE } from "./graph-outlook-store";
export type { GraphOutlookStore, GraphOutlookStoreOptions } from "./graph-outlook-store";
export { decodeFolderToken } from "./folder-token";
export type { FolderToken } from "./folder-token";
export { createGraphFolders, FolderAccessError, FolderExistsError, FolderNotFoundError, GraphFolderError } from "./graph-folders";
export type { ContactFolderNode, GraphFolders } from "./graph-folders";
export { STAMP_PROPERTY_ID } from "./extended-properties";
