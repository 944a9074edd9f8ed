// The emulator without its transport: state, options, throttling, faults, stats and persistence.
import { STRICT_BEHAVIOUR, type Behaviour } from "./behaviour";
import { DEFAULT_CAPS, type MultiValueCaps } from "./contact-shape";
import { Faults } from "./faults";
import type { GraphOptions } from "./graph-types";
import { emptyState } from "./mailbox-store";
import { StateWriter, loadState } from "./persistence";
import { Runtime } from "./runtime";
import { seedDemo } from "./seed";
import { Stats } from "./stats";
import { DEFAULT_LIMITS, Throttle, type ThrottleLimits } from "./throttle";
import type { EmulatorState } from "./state-types";

export interface CoreOptions {
  statePath?: string;
  seed: "demo" | "none";
  latencyMs: number;
  concurrency: number;
  deltaGenerations: number;
  deltaPageSize: number;
  ifMatch?: boolean;
  rateLimit?: Partial<Pick<ThrottleLimits, "requests" | "windowMs">>;
  caps?: Partial<MultiValueCaps>;
  behaviour?: Partial<Behaviour>;
}

export class EmulatorCore {
  state: EmulatorState;
  readonly options: GraphOptions;
  readonly throttle: Throttle;
  readonly faults: Faults;
  readonly stats = new Stats();
  readonly runtime: Runtime;
  private readonly writer: StateWriter | null;

  constructor(private readonly opts: CoreOptions) {
    this.options = { caps: { ...DEFAULT_CAPS, ...opts.caps }, deltaGenerations: opts.deltaGenerations, deltaPageSize: opts.deltaPageSize, ifMatch: opts.ifMatch === true, behaviour: { ...STRICT_BEHAVIOUR, ...opts.behaviour } };
    this.throttle = new Throttle({ ...DEFAULT_LIMITS, ...opts.rateLimit, concurrency: opts.concurrency });
    this.faults = new Faults(opts.latencyMs);
    const loaded = opts.statePath ? loadState(opts.statePath) : null;
    this.state = loaded ?? this.freshState(opts.seed);
    this.writer = opts.statePath ? new StateWriter(opts.statePath, () => this.state) : null;
    if (opts.statePath && !loaded) this.writer!.flush();
    this.runtime = new Runtime({
      state: () => this.state,
      options: this.options,
      throttle: this.throttle,
      faults: this.faults,
      stats: this.stats,
      changed: () => this.changed(),
    });
  }

  private freshState(seed: "demo" | "none", secret?: string): EmulatorState {
    const state = emptyState();
    if (secret) state.secret = secret;
    if (seed === "demo") seedDemo(state);
    return state;
  }

  now(): Date {
    return new Date();
  }

  changed(): void {
    this.writer?.changed();
  }

  flush(): void {
    this.writer?.flush();
  }

  /** Back to the start-up seed (or the given one); tokens stay valid (same signing key). */
  reset(seed?: "demo" | "none"): void {
    this.state = this.freshState(seed ?? this.opts.seed, this.state.secret);
    this.throttle.resetAll();
    this.faults.reset(this.opts.latencyMs);
    Object.assign(this.options.behaviour, STRICT_BEHAVIOUR, this.opts.behaviour);
    this.stats.reset();
    this.changed();
  }

  resetStats(): void {
    this.stats.reset();
    this.throttle.resetStats();
  }

  statsSnapshot(): Record<string, unknown> {
    const s = this.stats;
    return {
      requests: s.requests,
      graphRequests: s.graphRequests,
      batches: s.batches,
      batchItems: s.batchItems,
      throttled: s.throttled,
      peakConcurrency: this.throttle.peakConcurrency,
      budget: { counted: this.throttle.budgetCounted, refused: this.throttle.budgetRefused },
      byMethod: { ...s.byMethod },
      byStatus: { ...s.byStatus },
      faultsInjected: this.faults.injected,
      latencyMs: this.faults.latencyMs,
      mailboxes: Object.keys(this.state.mailboxes).length,
    };
  }
}
