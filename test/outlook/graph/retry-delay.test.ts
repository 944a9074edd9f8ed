import { BACKOFF_CAP_MS, RETRY_AFTER_CAP_MS, parseRetryAfter, retryDelayMs } from "../../../src/outlook/graph/retry-delay";

describe("retry delays", () => {
  it("honours Retry-After in seconds and as an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0")).toBe(0);
    const now = Date.parse("2026-11-25T06:00:00Z");
    expect(parseRetryAfter("Wed, 25 Nov 2026 06:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("999999")).toBe(RETRY_AFTER_CAP_MS);
  });

  it("falls back to exponential backoff with jitter when the header is missing or unreadable", () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(retryDelayMs(null, 1, () => 0)).toBe(500);
    expect(retryDelayMs(null, 1, () => 1)).toBe(1000);
    expect(retryDelayMs(null, 3, () => 0)).toBe(2000);
    expect(retryDelayMs(undefined, 3, () => 0.5)).toBe(3000);
    expect(retryDelayMs(null, 30, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(retryDelayMs("1", 5, () => 1)).toBe(1000);
  });
});
