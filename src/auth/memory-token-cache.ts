// Tokens that MSAL does not cache for us (local dev tokens, tokens from the Office dialog) live here, in
// memory only: never in localStorage, roaming settings or logs.

/** Refresh a little before expiry so a request never leaves with a token that dies in flight. */
export const EXPIRY_MARGIN_MS = 60_000;

export class MemoryTokenCache {
  private readonly tokens = new Map<string, { token: string; expiresOn: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | null {
    const entry = this.tokens.get(key);
    if (!entry) return null;
    if (entry.expiresOn - EXPIRY_MARGIN_MS <= this.now()) {
      this.tokens.delete(key);
      return null;
    }
    return entry.token;
  }

  set(key: string, token: string, expiresOn: number): void {
    this.tokens.set(key, { token, expiresOn });
  }

  clear(): void {
    this.tokens.clear();
  }
}
