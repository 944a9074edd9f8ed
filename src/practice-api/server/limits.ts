// Request body limits: one contact is small; a batch carries up to 100 (notes can be 32 KB each).
export const BODY_LIMIT = 1024 * 1024;
export const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

// Filters: a listing evaluates the filter for every contact it reads, on the one event loop every firm
// shares. A page reads at most PAGE_SCAN_MAX contacts; a filtered one stops reading after PAGE_SCAN_MS and
// lets other requests run between slices of PAGE_SCAN_SLICE contacts (so a page may come back short, even
// empty, with a nextCursor). A filter holds at most FILTER_TOTAL_VALUES values and FILTER_MAX_BYTES of
// JSON in all, on top of the per-criterion limits of src/sync/filters.ts.
export const PAGE_SCAN_MAX = 1000;
export const PAGE_SCAN_MS = 25;
/** A filtered scan lets other requests run after every PAGE_SCAN_SLICE contacts it reads. */
export const PAGE_SCAN_SLICE = 100;
export const FILTER_TOTAL_VALUES = 1000;
export const FILTER_MAX_BYTES = 32 * 1024;
