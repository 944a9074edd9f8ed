// The engine's public API. Adapters implement the ports; the pane and the CLI drive SyncSession.
export * from "./model";
export * from "./fields";
export * from "./normalize";
export * from "./filters";
export * from "./ports";
export * from "./plan-types";
export { SyncSession, SafetyStopError, FilterMissingError, StalePlanError, filterKeyOf } from "./session";
export type { SyncSettings, SyncSessionDeps } from "./session";
export { reconcile } from "./reconcile";
export type { ReconcileInput, ReconcileOutput, ReconcileSettings, PracticeSide, OutlookSide } from "./reconcile";
export type { PlannedAction, PracticeAction, OutlookAction, ConflictChoice, LinkOutcome } from "./actions";
export { mergeRecords, capValue, capFields, fromOutlook, moreRecent } from "./merge";
export { checkSafety, safetyThreshold } from "./safety";
export { contactName } from "./describe";
export { APPLY_BATCH, outlookChunkSize } from "./apply";
