// The request pipeline shared by HTTP requests and $batch items: route and check access, count the
// request against the (app, mailbox) window, hold a concurrency slot through the emulated latency,
// run, and turn any GraphError into Graph's error body.
import { randomUUID } from "node:crypto";
import { applicationThrottled, errorBody, GraphError, serviceUnavailable, tooManyRequests } from "./errors";
import { ensureMailbox, findMailbox } from "./mailbox-store";
import { routeGraph } from "./graph-router";
import type { Caller, GraphContext, GraphOptions, GraphRequest, GraphResponse, RoutedRequest } from "./graph-types";
import type { FaultAction, Faults } from "./faults";
import type { Stats } from "./stats";
import type { Throttle } from "./throttle";
import type { EmulatorState, Mailbox } from "./state-types";

export interface RuntimeDeps {
  state: () => EmulatorState;
  options: GraphOptions;
  throttle: Throttle;
  faults: Faults;
  stats: Stats;
  changed: () => void;
  now?: () => Date;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Runtime {
  constructor(readonly deps: RuntimeDeps) {}

  now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  context(graphBase: string): GraphContext {
    return { state: this.deps.state(), options: this.deps.options, graphBase, now: () => this.now(), changed: this.deps.changed };
  }

  async latency(): Promise<void> {
    const ms = this.deps.faults.latencyMs;
    if (ms > 0) await sleep(ms);
  }

  errorResponse(err: unknown, requestId: string, clientRequestId?: string): GraphResponse {
    const graphError =
      err instanceof GraphError ? err : new GraphError(500, "UnknownError", "An internal server error occurred in the emulator.");
    if (!(err instanceof GraphError)) console.error("mailbox-emulator: internal error", err);
    return {
      status: graphError.status,
      headers: { "Content-Type": "application/json", ...graphError.headers },
      body: errorBody(graphError, requestId, clientRequestId, this.now()),
    };
  }

  /** Routes a request; a delegated caller's own mailbox exists as soon as its token does. */
  route(caller: Caller, req: GraphRequest, graphBase: string): RoutedRequest {
    const ctx = this.context(graphBase);
    if (caller.kind === "user" && caller.upn && !findMailbox(ctx.state, caller.upn)) {
      ensureMailbox(ctx.state, caller.upn);
      ctx.changed();
    }
    return routeGraph(ctx, caller, req);
  }

  /** Counts against the (app, mailbox) window; returns the throttling error when it is full. */
  admit(caller: Caller, mailbox: Mailbox): GraphError | null {
    const admission = this.deps.throttle.count(caller.appId, mailbox.id, this.now().getTime());
    if (admission.ok) return null;
    this.deps.stats.throttled += 1;
    return applicationThrottled(admission.retryAfterSeconds, "MailboxRequests");
  }

  faultResponse(action: Extract<FaultAction, { kind: "status" }>, requestId: string, clientRequestId?: string): GraphResponse {
    const err = action.status === 429 ? tooManyRequests(action.retryAfter ?? 1) : serviceUnavailable(action.status, action.retryAfter);
    return this.errorResponse(err, requestId, clientRequestId);
  }

  /** One top-level Graph request (not $batch). */
  async executeSingle(caller: Caller, req: GraphRequest, graphBase: string, requestId: string): Promise<GraphResponse> {
    const clientRequestId = req.headers["client-request-id"];
    let routed: RoutedRequest;
    try {
      routed = this.route(caller, req, graphBase);
    } catch (err) {
      await this.latency();
      return this.errorResponse(err, requestId, clientRequestId);
    }
    const mailbox = routed.mailbox;
    if (!mailbox) {
      await this.latency();
      return this.safeRun(routed, requestId, clientRequestId);
    }
    const overRate = this.admit(caller, mailbox);
    if (overRate) return this.errorResponse(overRate, requestId, clientRequestId);
    if (this.deps.throttle.acquire(mailbox.id, 1) === 0) {
      this.deps.stats.throttled += 1;
      return this.errorResponse(applicationThrottled(1), requestId, clientRequestId);
    }
    try {
      await this.latency();
      return this.safeRun(routed, requestId, clientRequestId);
    } finally {
      this.deps.throttle.release(mailbox.id, 1);
    }
  }

  safeRun(routed: RoutedRequest, requestId: string, clientRequestId?: string): GraphResponse {
    try {
      return routed.run();
    } catch (err) {
      return this.errorResponse(err, requestId, clientRequestId);
    }
  }

  newRequestId(): string {
    return randomUUID();
  }
}
