// How Graph failures become the engine's write errors: what may be retried and what may not.
import { writeErrorFrom } from "../../../src/outlook/graph/graph-errors";

describe("writeErrorFrom", () => {
  it.each([
    [400, "invalid", false],
    [403, "forbidden", false],
    [404, "not_found", false],
    [412, "conflict", false],
    [429, "throttled", true],
    [424, "unavailable", true],
    [503, "unavailable", true],
    [0, "unavailable", true],
  ])("maps HTTP %s to %s (retryable: %s)", (status, code, retryable) => {
    const e = writeErrorFrom({ status, code: "", message: "m" });
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(retryable);
  });
});
