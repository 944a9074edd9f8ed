// A controllable clock and a seeded id source for tests and the simulation.
// Time only moves forward: every now() is strictly later than the previous one, so
// "most recent record wins" (R5) never depends on two writes landing in the same instant
// by accident. Tests that want a tie or a gap use advance().
import type { Clock, IdSource } from "../../src/sync/ports";

export class TestClock implements Clock {
  private ms: number;
  private readonly tickMs: number;

  /** start: ISO time of the first reading; tickMs: how far each now() moves time on. */
  constructor(start = "2026-01-01T00:00:00.000Z", tickMs = 1) {
    const t = Date.parse(start);
    if (Number.isNaN(t)) throw new Error(`TestClock: "${start}" is not an ISO time.`);
    if (!(tickMs > 0)) throw new Error("TestClock: tickMs must be positive (time is strictly increasing).");
    this.ms = t - tickMs;
    this.tickMs = tickMs;
  }

  now(): string {
    this.ms += this.tickMs;
    return new Date(this.ms).toISOString();
  }

  /** The time of the last reading, without moving the clock. */
  peek(): string {
    return new Date(this.ms).toISOString();
  }

  /** Moves time forward by ms (e.g. to separate a user's edit from the engine's last write). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error("TestClock: time only moves forward.");
    this.ms += ms;
  }
}

/** mulberry32: a tiny seeded PRNG; good enough for ids and test data, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic ids: the same seed gives the same sequence; a counter guarantees uniqueness. */
export class SeededIds implements IdSource {
  private readonly random: () => number;
  private n = 0;

  constructor(
    seed = 1,
    private readonly prefix = "id",
  ) {
    this.random = seededRandom(seed);
  }

  next(): string {
    this.n += 1;
    const noise = Math.floor(this.random() * 0xffffff)
      .toString(16)
      .padStart(6, "0");
    return `${this.prefix}-${this.n.toString(36)}-${noise}`;
  }
}
