// The practice API client: implements the engine's PracticeStore port over HTTP (openapi-fetch with the
// types generated from openapi.yaml), plus the calls the pane and the CLI need (identity, terminology,
// staff, filters, leases). Every response is checked before use (response-schemas.ts); batch writes go through
// contacts/batch in chunks of 100 with one WriteResult per item. Works in browsers and Node.
import createClient from "openapi-fetch";
import type { ContactFilter, FilterDefinition } from "../sync/filters";
import type { PracticeContact } from "../sync/model";
import {
  CursorExpiredError,
  MalformedResponseError,
  StoreUnavailableError,
  type CallOptions,
  type FolderDecision,
  type FolderDecisionsChange,
  type PracticeChanges,
  type PracticeCreate,
  type PracticeDelete,
  type PracticeSnapshot,
  type PracticeStore,
  type PracticeUpdate,
  type WriteError,
  type WriteErrorCode,
  type WriteResult,
} from "../sync/ports";
import { PracticeApiError, type Problem } from "./api-error";
import { fromApiContact, toApiPatch, type ApiContact } from "./contact-mapping";
import { problemCode } from "./problem-types";
import {
  BatchResponseSchema,
  ChangePageSchema,
  ContactPageSchema,
  FilterFieldListSchema,
  FilterListSchema,
  FilterSchema,
  FolderDecisionsSchema,
  LeaseSchema,
  MeSchema,
  ProblemSchema,
  StaffListSchema,
  TerminologySchema,
  type FilterFieldResponse,
  type FilterResponse,
  type LeaseResponse,
  type MeResponse,
  type ResponseCheck,
  type ResponseIssue,
  type StaffResponse,
  type TerminologyResponse,
} from "./response-schemas";
import { NetworkError, retryingFetch } from "./retrying-fetch";
import type { components, paths } from "./schema";

export { PracticeApiError } from "./api-error";
export type { Problem } from "./api-error";
export type { MeResponse, TerminologyResponse, StaffResponse, FilterFieldResponse, FilterResponse, LeaseResponse };
export type ContractSchemas = components["schemas"];

export interface PracticeClientOptions {
  /** The API host's root, e.g. https://practice.example.com (the client adds /api/v1). */
  baseUrl: string;
  getToken: () => Promise<string>;
  fetch?: (input: Request) => Promise<Response>;
  /** Retries of a 429/503 (and of a network failure where a replay is harmless). Default 4. */
  maxRetries?: number;
  /** How to wait before a retry; the signal is the call's, for sleeps that can stop early. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Contacts per listing page (1–1000). Default 1000. */
  pageSize?: number;
}

export interface LeaseCallOptions extends CallOptions {
  /** This device's or session's id (1–128 characters): the lease is then this device's (R18). */
  holder?: string;
}

export interface PracticeClient extends PracticeStore {
  me(opts?: CallOptions): Promise<MeResponse>;
  terminology(opts?: CallOptions): Promise<TerminologyResponse>;
  staff(opts?: CallOptions): Promise<StaffResponse[]>;
  filterFields(opts?: CallOptions): Promise<FilterFieldResponse[]>;
  listFilters(opts?: CallOptions): Promise<FilterResponse[]>;
  createFilter(def: FilterDefinition, opts?: CallOptions): Promise<FilterResponse>;
  updateFilter(id: string, def: FilterDefinition, opts?: CallOptions): Promise<FilterResponse>;
  deleteFilter(id: string, opts?: CallOptions): Promise<void>;
  acquireLease(folderKey: string, ttlSeconds: number, opts?: LeaseCallOptions): Promise<LeaseResponse>;
  renewLease(folderKey: string, ttlSeconds: number, opts?: LeaseCallOptions): Promise<LeaseResponse>;
  releaseLease(folderKey: string, opts?: LeaseCallOptions): Promise<void>;
  /** null when nobody holds (or ever held) the folder's lease. */
  getLease(folderKey: string, opts?: CallOptions): Promise<LeaseResponse | null>;
  /** HTTP requests sent so far (retries included). */
  stats(): { requests: number };
}

export const BATCH_SIZE = 100;
/** Entries (put and remove together) the server takes in one PATCH /sync-decisions. */
export const DECISIONS_PER_REQUEST = 1000;
const IDS_PER_LOOKUP = 100;
const FEED_PAGE = 1000;

type FetchResult = { data?: unknown; error?: unknown; response: Response };

/** setTimeout, cleared if the call is cancelled so no timer outlives it. */
const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => clearTimeout(timer), { once: true });
  });

function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return trimmed.endsWith("/api/v1") ? trimmed : `${trimmed}/api/v1`;
}

function malformed(what: string, issues?: readonly ResponseIssue[]): MalformedResponseError {
  const detail = issues?.length ? `: ${issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}` : "";
  return new MalformedResponseError("practice", `Unexpected response to ${what}${detail}`);
}

function parse<T>(schema: ResponseCheck<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (!r.success) throw malformed(what, r.error.issues);
  return r.data;
}

/** Turns a non-2xx answer into the right error: unavailable (5xx, 429), or the API's problem (4xx). */
function failure(status: number, body: unknown, what: string): Error {
  if (status >= 500 || status === 429)
    return new StoreUnavailableError("practice", `The practice API answered ${status} to ${what}.`, status);
  const problem = ProblemSchema.safeParse(body);
  if (!problem.success) return malformed(`${what} (status ${status}, not a problem document)`, problem.error.issues);
  if (status === 401) return new StoreUnavailableError("practice", `Not signed in to the practice API: ${problem.data.detail ?? problem.data.title}`, 401);
  return new PracticeApiError(status, problem.data as Problem);
}

const WRITE_CODES: Record<string, WriteErrorCode> = {
  "stale-version": "conflict",
  "precondition-required": "conflict",
  "idempotency-key-reused": "conflict",
  "not-found": "not_found",
  "cannot-delete-client": "forbidden",
  forbidden: "forbidden",
  "insufficient-scope": "forbidden",
  "rate-limited": "throttled",
};

function writeError(status: number, problem: Problem | undefined): WriteError {
  const code = (problem && WRITE_CODES[problemCode(problem.type) ?? ""]) ??
    (status === 412 || status === 409 ? "conflict"
      : status === 404 ? "not_found"
      : status === 403 ? "forbidden"
      : status === 429 ? "throttled"
      : status >= 500 ? "unavailable"
      : status >= 400 ? "invalid"
      : "unknown");
  return {
    code,
    message: problem?.detail ?? problem?.title ?? `The practice API answered ${status}.`,
    retryable: code === "throttled" || code === "unavailable",
  };
}

/** The `cursor` of a Link header's rel="next" URL (RFC 8288), if it names one. */
export function nextCursorOfLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    const rel = m && /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(m[2]);
    if (!m || !rel || !(rel[1] ?? rel[2]).toLowerCase().split(/\s+/).includes("next")) continue;
    try {
      return new URL(m[1], "http://link.invalid").searchParams.get("cursor") ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A body read as JSON; one that is not JSON is a malformed response. */
async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw malformed(`${what} (the body is not JSON)`);
  }
}

export function createPracticeClient(options: PracticeClientOptions): PracticeClient {
  let requests = 0;
  const transport = retryingFetch({
    fetch: options.fetch ?? ((req) => globalThis.fetch(req)),
    getToken: options.getToken,
    maxRetries: options.maxRetries ?? 4,
    sleep: options.sleep ?? defaultSleep,
    onAttempt: () => {
      requests++;
    },
  });
  const api = createClient<paths>({ baseUrl: apiRoot(options.baseUrl), fetch: transport });
  const pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
  let meCache: Promise<MeResponse> | undefined;

  /** Runs one call: transport failures become StoreUnavailableError, unreadable JSON MalformedResponseError. */
  async function send(what: string, run: () => Promise<FetchResult>): Promise<FetchResult> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof SyntaxError) throw malformed(`${what} (the body is not JSON)`);
      if (e instanceof NetworkError) throw new StoreUnavailableError("practice", e.message);
      throw e;
    }
  }

  async function call<T>(what: string, schema: ResponseCheck<T>, run: () => Promise<FetchResult>): Promise<T> {
    const { data, error, response } = await send(what, run);
    if (!response.ok) throw failure(response.status, error, what);
    return parse(schema, data, what);
  }

  async function callEmpty(what: string, run: () => Promise<FetchResult>, okStatuses = [204]): Promise<void> {
    const { error, response } = await send(what, run);
    if (!response.ok) throw failure(response.status, error, what);
    if (!okStatuses.includes(response.status)) throw malformed(`${what} (status ${response.status})`);
  }

  const me = (opts?: CallOptions) =>
    call("GET /me", MeSchema, () => api.GET("/me", { signal: opts?.signal }));

  async function listContacts(filterId: string | null, opts?: CallOptions): Promise<PracticeSnapshot> {
    const what = "GET /contacts";
    const contacts: PracticeContact[] = [];
    // A page asked for ahead (below) is cancelled with the call, or when the listing stops early.
    const pages = new AbortController();
    const cancel = () => pages.abort(opts?.signal?.reason);
    if (opts?.signal?.aborted) cancel();
    opts?.signal?.addEventListener("abort", cancel, { once: true });
    const request = (cursor: string | undefined) => {
      const answer = send(what, () =>
        api.GET("/contacts", {
          params: { query: { ...(filterId ? { filterId } : {}), ...(cursor ? { cursor } : {}), limit: pageSize } },
          signal: pages.signal,
          parseAs: "stream",
        }),
      );
      answer.catch(() => {}); // awaited below, or abandoned (and aborted) when an earlier page fails
      return answer;
    };
    try {
      let cursor: string | undefined;
      let changeCursor: string | undefined;
      let pending = request(undefined);
      for (;;) {
        const { error, response } = await pending;
        if (!response.ok) throw failure(response.status, error, what);
        // The headers name the next page (Link rel="next"): it is asked for now, so the server prepares
        // it while this page is read, checked and mapped. The body's nextCursor must say the same.
        const announced = nextCursorOfLink(response.headers.get("link"));
        const next = announced === undefined ? undefined : request(announced);
        const page = parse(ContactPageSchema, await readJson(response, what), what);
        if (cursor === undefined) {
          if (!page.changeCursor) throw malformed(`${what} (the first page has no changeCursor)`);
          changeCursor = page.changeCursor;
        }
        if (announced !== undefined && announced !== page.nextCursor) throw malformed(`${what} (the Link header and nextCursor name different pages)`);
        for (const c of page.items) contacts.push(fromApiContact(c as ApiContact));
        opts?.onProgress?.(contacts.length);
        if (!page.nextCursor) break;
        if (page.nextCursor === cursor) throw malformed(`${what} (the cursor did not advance)`);
        cursor = page.nextCursor;
        pending = next ?? request(cursor);
      }
      return { contacts, cursor: changeCursor! };
    } finally {
      opts?.signal?.removeEventListener("abort", cancel);
      pages.abort();
    }
  }

  async function changesSince(cursor: string, opts?: CallOptions): Promise<PracticeChanges> {
    // Keyed by id, later pages win: a contact changed twice while we read appears once, as last seen.
    const latest = new Map<string, PracticeContact | null>();
    let at = cursor;
    for (;;) {
      const { data, error, response } = await send("GET /contacts/changes", () =>
        api.GET("/contacts/changes", { params: { query: { cursor: at, limit: FEED_PAGE } }, signal: opts?.signal }),
      );
      if (response.status === 410) {
        const p = ProblemSchema.safeParse(error);
        throw new CursorExpiredError("practice", p.success ? p.data.detail : undefined);
      }
      if (!response.ok) throw failure(response.status, error, "GET /contacts/changes");
      const page = parse(ChangePageSchema, data, "GET /contacts/changes");
      for (const ch of page.changes) {
        if (ch.type === "upsert") {
          latest.delete(ch.contact.id);
          latest.set(ch.contact.id, fromApiContact(ch.contact as ApiContact));
        } else {
          latest.delete(ch.id);
          latest.set(ch.id, null);
        }
      }
      opts?.onProgress?.(latest.size);
      if (page.hasMore && page.cursor === at) throw malformed("GET /contacts/changes (hasMore, but the cursor did not advance)");
      at = page.cursor;
      if (!page.hasMore) break;
    }
    const upserts: PracticeContact[] = [];
    const deleted: string[] = [];
    for (const [id, c] of latest) {
      if (c) upserts.push(c);
      else deleted.push(id);
    }
    return { upserts, deleted, cursor: at };
  }

  async function getContacts(ids: string[], opts?: CallOptions): Promise<PracticeContact[]> {
    const out: PracticeContact[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
      const chunk = ids.slice(i, i + IDS_PER_LOOKUP);
      const page = await call("GET /contacts?ids", ContactPageSchema, () =>
        api.GET("/contacts", { params: { query: { ids: chunk.join(",") } }, signal: opts?.signal }),
      );
      const wanted = new Set(chunk);
      for (const c of page.items) {
        if (!wanted.has(c.id)) throw malformed("GET /contacts?ids (a contact that was not asked for)");
        out.push(fromApiContact(c as ApiContact));
      }
    }
    return out;
  }

  type BatchItem = components["schemas"]["BatchItem"];

  /**
   * Sends items through contacts/batch, 100 at a time. Each chunk's answer is checked whole before any
   * of it is used; a malformed answer stops the run there (no further chunk is sent). A chunk the server
   * turned away as a whole (throttled, unavailable, forbidden) fails its items and the ones after it.
   */
  async function batch<T>(items: BatchItem[], toValue: (r: { status: number; contact?: ApiContact }) => T, opts?: CallOptions): Promise<WriteResult<T>[]> {
    const results: WriteResult<T>[] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      const chunk = items.slice(i, i + BATCH_SIZE);
      let res: FetchResult;
      try {
        res = await send("POST /contacts/batch", () => api.POST("/contacts/batch", { body: { items: chunk }, signal: opts?.signal }));
      } catch (e) {
        if (!(e instanceof StoreUnavailableError)) throw e;
        return [...results, ...items.slice(i).map(() => ({ ok: false as const, error: { code: "unavailable" as const, message: e.message, retryable: true } }))];
      }
      if (!res.response.ok) {
        const err = failure(res.response.status, res.error, "POST /contacts/batch");
        if (err instanceof MalformedResponseError || res.response.status === 401) throw err;
        const problem = err instanceof PracticeApiError ? err.problem : undefined;
        const we = writeError(res.response.status, problem);
        return [...results, ...items.slice(i).map(() => ({ ok: false as const, error: we }))];
      }
      const body = parse(BatchResponseSchema, res.data, "POST /contacts/batch");
      if (body.results.length !== chunk.length) throw malformed(`POST /contacts/batch (${body.results.length} results for ${chunk.length} items)`);
      const converted = body.results.map((r, j): WriteResult<T> => {
        if (r.status >= 200 && r.status < 300) {
          const needsContact = chunk[j].op !== "delete";
          if (needsContact && !r.contact) throw malformed(`POST /contacts/batch (item ${i + j} succeeded without a contact)`);
          return { ok: true, value: toValue({ status: r.status, contact: r.contact as ApiContact | undefined }) };
        }
        return { ok: false, error: writeError(r.status, r.problem as Problem | undefined) };
      });
      results.push(...converted);
      opts?.onProgress?.(results.length, items.length);
    }
    return results;
  }

  const asContact = (r: { contact?: ApiContact }) => fromApiContact(r.contact!);

  /** The decisions of a parsed answer, which must be about the folder asked for. */
  function decisionsOf(folderKey: string, body: { folderKey: string; decisions: FolderDecision[] }, what: string): FolderDecision[] {
    if (body.folderKey !== folderKey) throw malformed(`${what} (the answer is for another folder)`);
    return body.decisions;
  }

  async function getDecisions(folderKey: string, opts?: CallOptions): Promise<FolderDecision[]> {
    const what = "GET /sync-decisions/{key}";
    const body = await call(what, FolderDecisionsSchema, () =>
      api.GET("/sync-decisions/{folderKey}", { params: { path: { folderKey } }, signal: opts?.signal }),
    );
    return decisionsOf(folderKey, body, what);
  }

  /**
   * One PATCH when the change fits; a larger one goes in parts, every remove before any put, which ends in
   * the same set as one request would (the operations are idempotent set operations, so a part that fails
   * can be sent again with the whole change).
   */
  async function changeDecisions(folderKey: string, change: FolderDecisionsChange, opts?: CallOptions): Promise<FolderDecision[]> {
    const ops: ({ remove: NonNullable<FolderDecisionsChange["remove"]>[number] } | { put: FolderDecision })[] = [
      ...(change.remove ?? []).map((remove) => ({ remove })),
      ...(change.put ?? []).map((put) => ({ put })),
    ];
    if (ops.length === 0) return getDecisions(folderKey, opts);
    let result: FolderDecision[] = [];
    for (let i = 0; i < ops.length; i += DECISIONS_PER_REQUEST) {
      const part = ops.slice(i, i + DECISIONS_PER_REQUEST);
      const remove = part.flatMap((o) => ("remove" in o ? [o.remove] : []));
      const put = part.flatMap((o) => ("put" in o ? [o.put] : []));
      const body = { ...(remove.length ? { remove } : {}), ...(put.length ? { put } : {}) };
      const what = "PATCH /sync-decisions/{key}";
      const answer = await call(what, FolderDecisionsSchema, () =>
        api.PATCH("/sync-decisions/{folderKey}", { params: { path: { folderKey } }, body, signal: opts?.signal }),
      );
      result = decisionsOf(folderKey, answer, what);
      opts?.onProgress?.(Math.min(i + DECISIONS_PER_REQUEST, ops.length), ops.length);
    }
    return result;
  }

  return {
    stats: () => ({ requests }),
    me: (opts) => (opts?.signal ? me(opts) : (meCache ??= me().catch((e) => ((meCache = undefined), Promise.reject(e))))),
    async firmId(opts) {
      const m = await (opts?.signal ? me(opts) : (meCache ??= me().catch((e) => ((meCache = undefined), Promise.reject(e)))));
      return m.firm.id;
    },
    terminology: (opts) => call("GET /terminology", TerminologySchema, () => api.GET("/terminology", { signal: opts?.signal })),
    staff: async (opts) => (await call("GET /staff", StaffListSchema, () => api.GET("/staff", { signal: opts?.signal }))).items,
    filterFields: async (opts) =>
      (await call("GET /filter-fields", FilterFieldListSchema, () => api.GET("/filter-fields", { signal: opts?.signal }))).items,
    listFilters: async (opts) => (await call("GET /filters", FilterListSchema, () => api.GET("/filters", { signal: opts?.signal }))).items,
    createFilter: (def, opts) => call("POST /filters", FilterSchema, () => api.POST("/filters", { body: def, signal: opts?.signal })),
    updateFilter: (id, def, opts) =>
      call("PUT /filters/{id}", FilterSchema, () => api.PUT("/filters/{filterId}", { params: { path: { filterId: id } }, body: def, signal: opts?.signal })),
    deleteFilter: (id, opts) =>
      callEmpty("DELETE /filters/{id}", () => api.DELETE("/filters/{filterId}", { params: { path: { filterId: id } }, signal: opts?.signal })),
    async getFilter(id, opts): Promise<ContactFilter | null> {
      const { data, error, response } = await send("GET /filters/{id}", () =>
        api.GET("/filters/{filterId}", { params: { path: { filterId: id } }, signal: opts?.signal }),
      );
      if (response.status === 404) return null;
      if (!response.ok) throw failure(response.status, error, "GET /filters/{id}");
      const f = parse(FilterSchema, data, "GET /filters/{id}");
      return { id: f.id, name: f.name, match: f.match, criteria: f.criteria, ownerId: f.ownerId, updatedAt: f.updatedAt };
    },
    listContacts,
    changesSince,
    getContacts,
    createContacts: (items: PracticeCreate[], opts) =>
      batch(
        items.map((c) => ({
          op: "create" as const,
          idempotencyKey: c.key,
          contact: { ...c.fields, kind: c.kind, ...(c.outlookRef ? { outlookRef: { mailbox: c.outlookRef.mailbox, id: c.outlookRef.id } } : {}) },
        })),
        asContact,
        opts,
      ),
    updateContacts: (items: PracticeUpdate[], opts) =>
      batch(
        items.map((u) => ({ op: "update" as const, id: u.id, ifMatch: u.version, patch: toApiPatch(u.patch) as components["schemas"]["ContactPatch"] })),
        asContact,
        opts,
      ),
    deleteContacts: (items: PracticeDelete[], opts) =>
      batch(items.map((d) => ({ op: "delete" as const, id: d.id, ifMatch: d.version })), () => null, opts),
    getDecisions,
    changeDecisions,
    acquireLease: (folderKey, ttlSeconds, opts) =>
      call("POST /sync-leases", LeaseSchema, () =>
        api.POST("/sync-leases", { body: { folderKey, ttlSeconds, holder: opts?.holder }, signal: opts?.signal }),
      ),
    renewLease: (folderKey, ttlSeconds, opts) =>
      call("PUT /sync-leases/{key}", LeaseSchema, () =>
        api.PUT("/sync-leases/{folderKey}", { params: { path: { folderKey } }, body: { ttlSeconds, holder: opts?.holder }, signal: opts?.signal }),
      ),
    releaseLease: (folderKey, opts) =>
      callEmpty("DELETE /sync-leases/{key}", () =>
        api.DELETE("/sync-leases/{folderKey}", {
          params: { path: { folderKey }, query: opts?.holder ? { holder: opts.holder } : undefined },
          signal: opts?.signal,
        }),
      ),
    async getLease(folderKey, opts) {
      const { data, error, response } = await send("GET /sync-leases/{key}", () =>
        api.GET("/sync-leases/{folderKey}", { params: { path: { folderKey } }, signal: opts?.signal }),
      );
      if (response.status === 404) return null;
      if (!response.ok) throw failure(response.status, error, "GET /sync-leases/{key}");
      return parse(LeaseSchema, data, "GET /sync-leases/{key}");
    },
  };
}
