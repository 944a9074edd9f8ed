// The Graph adapter's public API: the OutlookStore port over Microsoft Graph, and contact folders.
export { createGraphOutlookStore, DEFAULT_PAGE_SIZE } from "./graph-outlook-store";
export type { GraphOutlookStore, GraphOutlookStoreOptions } from "./graph-outlook-store";
export { createGraphFolders, FolderAccessError, FolderExistsError, FolderNotFoundError, GraphFolderError } from "./graph-folders";
export type { ContactFolderNode, GraphFolders } from "./graph-folders";
export { STAMP_PROPERTY_ID } from "./extended-properties";
