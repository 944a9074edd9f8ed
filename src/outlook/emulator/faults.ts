// Fault injection for tests and demos (POST /admin/faults): failing statuses for the next N requests
// or a share of them, extra latency, hung requests, dropped connections.
import { badRequest } from "./errors";

export type FaultAction =
  | { kind: "status"; status: 429 | 503 | 504; retryAfter?: number; after?: boolean }
  | { kind: "hang" }
  | { kind: "reset"; after?: boolean };

interface ActiveFault {
  action: FaultAction;
  /** Requests left to hit; undefined when `share` is used. */
  remaining?: number;
  share?: number;
  /** Apply to $batch items instead of whole HTTP requests. */
  items: boolean;
}

export interface FaultSpec {
  status?: unknown;
  count?: unknown;
  share?: unknown;
  retryAfter?: unknown;
  latencyMs?: unknown;
  hang?: unknown;
  reset?: unknown;
  items?: unknown;
  /**
   * The request is carried out first, then its answer is lost (a 504, or the connection dropped): a
   * gateway timeout says nothing about whether upstream committed ([D] ERR; research/graph-checks.md row 8).
   */
  afterExecution?: unknown;
  expireDeltaTokens?: unknown;
  revokeTokens?: unknown;
  clear?: unknown;
}

export class Faults {
  private active: ActiveFault[] = [];
  latencyMs: number;
  injected = 0;

  constructor(latencyMs: number, private readonly random: () => number = Math.random) {
    this.latencyMs = latencyMs;
  }

  /** Applies an admin request; returns whether delta tokens should be expired now. */
  configure(spec: FaultSpec): { expireDeltaTokens: boolean } {
    if (spec.clear === true) {
      this.active = [];
    }
    if (spec.latencyMs !== undefined) {
      if (typeof spec.latencyMs !== "number" || spec.latencyMs < 0 || !Number.isFinite(spec.latencyMs)) throw badRequest("latencyMs must be a number >= 0.");
      this.latencyMs = spec.latencyMs;
    }
    let action: FaultAction | null = null;
    if (spec.status !== undefined) {
      if (spec.status !== 429 && spec.status !== 503 && spec.status !== 504) throw badRequest("status must be 429, 503 or 504.");
      if (spec.retryAfter !== undefined && (typeof spec.retryAfter !== "number" || spec.retryAfter < 0)) throw badRequest("retryAfter must be seconds >= 0.");
      action = { kind: "status", status: spec.status, retryAfter: spec.retryAfter as number | undefined };
    } else if (spec.hang === true) action = { kind: "hang" };
    else if (spec.reset === true) action = { kind: "reset" };
    if (spec.afterExecution !== undefined) {
      if (typeof spec.afterExecution !== "boolean") throw badRequest("afterExecution must be true or false.");
      if (!action || action.kind === "hang" || (action.kind === "status" && action.status !== 504)) {
        throw badRequest("afterExecution applies to status 504 and reset faults.");
      }
      if (spec.afterExecution) action = { ...action, after: true };
    }
    if (action) {
      const fault: ActiveFault = { action, items: spec.items === true };
      if (spec.share !== undefined) {
        if (typeof spec.share !== "number" || spec.share < 0 || spec.share > 1) throw badRequest("share must be between 0 and 1.");
        fault.share = spec.share;
      } else {
        const count = spec.count ?? 1;
        if (typeof count !== "number" || !Number.isInteger(count) || count < 1) throw badRequest("count must be a positive integer.");
        fault.remaining = count;
      }
      if (fault.items && action.kind !== "status") throw badRequest("Only status faults apply to batch items.");
      this.active.push(fault);
    } else if (spec.count !== undefined || spec.share !== undefined) {
      throw badRequest("count/share need a fault: status, hang or reset.");
    }
    return { expireDeltaTokens: spec.expireDeltaTokens === true };
  }

  /** The fault for this request or batch item, if any; consumes one from a counted fault. */
  next(forItem: boolean): FaultAction | null {
    for (const fault of this.active) {
      if (fault.items !== forItem) continue;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.active = this.active.filter((f) => f !== fault);
        this.injected += 1;
        return fault.action;
      }
      if (fault.share !== undefined && this.random() < fault.share) {
        this.injected += 1;
        return fault.action;
      }
    }
    return null;
  }

  describe(): unknown {
    return { latencyMs: this.latencyMs, active: this.active, injected: this.injected };
  }

  reset(latencyMs: number): void {
    this.active = [];
    this.latencyMs = latencyMs;
  }
}
