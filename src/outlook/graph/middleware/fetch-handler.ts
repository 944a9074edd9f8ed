// The last link of the middleware chain: sends the request with the injected fetch (in Node, one
// trusting the emulator's CA through the CLI's keep-alive agents, src/cli/sync/http.ts) and counts what actually went on the wire.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export class FetchHandler implements Middleware {
  requests = 0;
  constructor(
    private readonly fetchImpl: typeof fetch,
    /** A request that has not been answered in this time is abandoned (a hung connection). */
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    this.requests++;
    const caller = context.options?.signal ?? undefined;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const response = await this.fetchImpl(context.request, { ...context.options, signal });
    // Read the body here, inside the concurrency limiter, so a slot is only given back once the
    // server has finished answering: the mailbox counts a request in flight until then.
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    context.response = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}
