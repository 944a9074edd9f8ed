// Test doubles for the engine's ports: in-memory stores and cache, a clock, ids and faults.
export { TestClock, SeededIds, seededRandom } from "./clock";
export { CrashError, FaultInjector, Lifeline, FAULT_KINDS, RequestCounter, type FaultKind, type FiredFault } from "./faults";
export {
  MemoryPracticeStore,
  FilterNotFoundError,
  PRACTICE_WRITE_OPS,
  type MemoryPracticeOptions,
  type PracticeOp,
} from "./memory-practice";
export { MemoryOutlookStore, OUTLOOK_WRITE_OPS, type MemoryOutlookOptions, type OutlookOp } from "./memory-outlook";
export { MemorySyncCache, type CacheOp } from "./memory-cache";
