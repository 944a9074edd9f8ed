// Shapes shared by the router, the handlers, $batch and the HTTP server.
import type { Behaviour } from "./behaviour";
import type { MultiValueCaps } from "./contact-shape";
import type { EmulatorState, Mailbox } from "./state-types";

export interface Caller {
  /** "user": a delegated token for one mailbox; "app": application permissions, every mailbox (C-GET). */
  kind: "user" | "app";
  upn: string | null;
  appId: string;
}

export interface GraphRequest {
  method: string;
  /** Path after the version segment, e.g. "/me/contacts". */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface GraphOptions {
  caps: MultiValueCaps;
  /** Sync-state generations kept per folder; older tokens give 410 SyncStateNotFound. */
  deltaGenerations: number;
  /** Delta page size without Prefer: odata.maxpagesize (undocumented for contacts: 10 like messages [U]). */
  deltaPageSize: number;
  /** Opt-in: honour If-Match on contact PATCH/DELETE (412 on a stale changeKey). Off by default: the
   * contact docs do not document If-Match (§3.2, §13). */
  ifMatch: boolean;
  /** Answers where Microsoft is silent or users observed one answer (behaviour.ts); strict by default. */
  behaviour: Behaviour;
}

export interface GraphContext {
  state: EmulatorState;
  options: GraphOptions;
  /** Absolute base for links, e.g. "https://127.0.0.1:4200/v1.0" or the proxy's public URL. */
  graphBase: string;
  now(): Date;
  /** Marks the state as changed (persisted later). */
  changed(): void;
}

/** A request whose target is known: the mailbox it counts against (throttling) and the work to do. */
export interface RoutedRequest {
  mailbox: Mailbox | null;
  run(): GraphResponse;
}

export const JSON_CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function parsePrefer(header: string | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  if (!header) return prefs;
  for (const part of header.split(",")) {
    const [name, ...rest] = part.split("=");
    if (!name || !name.trim()) continue;
    prefs.set(name.trim().toLowerCase(), rest.join("=").trim().replace(/^"|"$/g, ""));
  }
  return prefs;
}

/** IMM: Prefer: IdType="ImmutableId" applies per request. */
export function wantsImmutableIds(headers: GraphRequest["headers"]): boolean {
  return parsePrefer(headers["prefer"]).get("idtype")?.toLowerCase() === "immutableid";
}
