// Attaches the bearer token to requests under graphUrl only. The SDK's own AuthenticationHandler
// attaches it only to https URLs on Graph hosts (research/graph-contacts.md §10), which rules out
// the emulator reached over plain http through the pane's dev-server proxy. The token comes from
// the injected provider (MSAL in the pane, dev tokens in Node) and is never logged.
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { requestUrl, setRequestHeader } from "./headers";

export class BearerAuthMiddleware implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly graphUrl: string,
    private readonly getToken: () => Promise<string>,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  private covers(url: string): boolean {
    return url === this.graphUrl || url.startsWith(`${this.graphUrl}/`) || url.startsWith(`${this.graphUrl}?`);
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("BearerAuthMiddleware needs a next middleware");
    if (!this.covers(requestUrl(context))) {
      await this.next.execute(context);
      return;
    }
    const token = await this.getToken();
    setRequestHeader(context, "Authorization", `Bearer ${token}`);
    await this.next.execute(context);
    if (context.response?.status === 401) {
      // An expired token: ask the provider once more; retry only if it hands out a different one.
      const fresh = await this.getToken();
      if (fresh !== token) {
        setRequestHeader(context, "Authorization", `Bearer ${fresh}`);
        await this.next.execute(context);
      }
    }
  }
}
