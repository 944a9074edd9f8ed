// Request body limits: one contact is small; a batch carries up to 100 (notes can be 32 KB each).
export const BODY_LIMIT = 1024 * 1024;
export const BATCH_BODY_LIMIT = 8 * 1024 * 1024;
