// Fixed-window request budgets, kept in memory per key (a client address, a staff member). The map is
// swept when a window ends, so a flood of distinct keys costs at most one window's worth of entries.
export interface Budget {
  max: number;
  timeWindowMs: number;
}

export interface Limiter {
  /** Counts one request against `key`; returns the seconds to wait when the budget is spent, else 0. */
  take(key: string): number;
  /** Seconds to wait when `key` has already spent its budget (counts nothing), else 0. */
  spent(key: string): number;
}

export function createLimiter(budget: Budget, now: () => number): Limiter {
  let windowStart = now();
  let counts = new Map<string, number>();
  const roll = () => {
    const t = now();
    if (t - windowStart >= budget.timeWindowMs) {
      windowStart = t - ((t - windowStart) % budget.timeWindowMs);
      counts = new Map();
    }
  };
  const wait = () => Math.max(1, Math.ceil((windowStart + budget.timeWindowMs - now()) / 1000));
  return {
    take(key) {
      roll();
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n > budget.max ? wait() : 0;
    },
    spent(key) {
      roll();
      return (counts.get(key) ?? 0) >= budget.max ? wait() : 0;
    },
  };
}
