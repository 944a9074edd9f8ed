// Counters behind GET /admin/stats.
export class Stats {
  requests = 0;
  graphRequests = 0;
  batches = 0;
  batchItems = 0;
  throttled = 0;
  byMethod: Record<string, number> = {};
  byStatus: Record<string, number> = {};

  countRequest(method: string): void {
    this.requests += 1;
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  countStatus(status: number): void {
    this.byStatus[String(status)] = (this.byStatus[String(status)] ?? 0) + 1;
  }

  reset(): void {
    this.requests = 0;
    this.graphRequests = 0;
    this.batches = 0;
    this.batchItems = 0;
    this.throttled = 0;
    this.byMethod = {};
    this.byStatus = {};
  }
}
