// Direct access to the two servers for arranging and checking e2e scenarios: the practice API with a
// development token, and the mailbox emulator's admin API (HTTPS, trusting its own certificate).
import { Agent, fetch as undiciFetch } from "undici";
import type { Stack } from "./stack";

export interface PracticeContact {
  id: string;
  kind: "client" | "standalone";
  displayName?: string;
  givenName?: string;
  surname?: string;
  companyName?: string;
  version: string;
  [field: string]: unknown;
}

export class PracticeApi {
  private token: string | null = null;
  constructor(private readonly baseUrl: string) {}

  private async bearer(): Promise<string> {
    if (!this.token) {
      const res = await fetch(`${this.baseUrl}/api/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      if (!res.ok) throw new Error(`dev token: HTTP ${res.status}`);
      this.token = ((await res.json()) as { access_token: string }).access_token;
    }
    return this.token;
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; etag: string | null }> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.bearer()}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as T) : (undefined as T);
    if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return { status: res.status, body: parsed, etag: res.headers.get("etag") };
  }

  async allContacts(filterId?: string): Promise<PracticeContact[]> {
    const out: PracticeContact[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: "200" });
      if (filterId) q.set("filterId", filterId);
      if (cursor) q.set("cursor", cursor);
      const page: { body: { items: PracticeContact[]; nextCursor?: string | null } } = await this.request("GET", `/contacts?${q}`);
      out.push(...page.body.items);
      cursor = page.body.nextCursor ?? null;
    } while (cursor);
    return out;
  }

  async createFilter(name: string, criteria: Array<{ field: string; method: string; values: string[] }>): Promise<string> {
    const res = await this.request<{ id: string }>("POST", "/filters", { name, match: "any", criteria });
    return res.body.id;
  }

  async createContact(contact: Record<string, unknown>): Promise<PracticeContact> {
    const res = await this.request<PracticeContact>("POST", "/contacts", contact, { "idempotency-key": `e2e-${Date.now()}-${Math.random()}` });
    return res.body;
  }

  async patchContact(id: string, patch: Record<string, unknown>): Promise<PracticeContact> {
    const current = await this.request<PracticeContact>("GET", `/contacts/${encodeURIComponent(id)}`);
    const res = await this.request<PracticeContact>("PATCH", `/contacts/${encodeURIComponent(id)}`, patch, {
      "if-match": current.etag ?? `"${current.body.version}"`,
    });
    return res.body;
  }
}

export interface EmulatorContact {
  id: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  jobTitle?: string;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
}

export class EmulatorAdmin {
  private readonly dispatcher: Agent;
  constructor(
    private readonly baseUrl: string,
    caPem: string,
    readonly upn = "anna@harbour.example",
  ) {
    this.dispatcher = new Agent({ connect: { ca: caPem } });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await undiciFetch(`${this.baseUrl}/admin${path}`, {
      method,
      dispatcher: this.dispatcher,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async createFolder(displayName: string): Promise<string> {
    const res = await this.request<{ id: string }>("POST", `/mailboxes/${this.upn}/folders`, { displayName });
    return res.id;
  }

  async contactsIn(folderId: string): Promise<EmulatorContact[]> {
    const res = await this.request<{ value: EmulatorContact[] }>("GET", `/mailboxes/${this.upn}/folders/${folderId}/contacts`);
    return res.value;
  }

  async addContact(folderId: string, contact: Record<string, unknown>): Promise<void> {
    await this.request("POST", `/mailboxes/${this.upn}/contacts`, { folderId, ...contact });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

export function apisFor(stack: Stack): { practice: PracticeApi; mailbox: EmulatorAdmin } {
  return { practice: new PracticeApi(stack.practice.url), mailbox: new EmulatorAdmin(stack.emulator.url, stack.emulator.caPem) };
}

/** Contacts whose display name occurs once in the firm, so a filter on names selects exactly them. */
export function uniquelyNamed(all: PracticeContact[]): PracticeContact[] {
  const key = (c: PracticeContact) => (c.displayName ?? "").toLowerCase();
  const counts = new Map<string, number>();
  for (const c of all) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  return all.filter((c) => (c.displayName ?? "").length > 0 && (c.displayName ?? "").length < 40 && counts.get(key(c)) === 1);
}
