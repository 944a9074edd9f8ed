// Test harness: a real emulator on 127.0.0.1 (random port) and a fetch that trusts its certificate.
import { Agent, fetch as undiciFetch } from "undici";
/** Response JSON as the tests read it: arbitrary, checked by the assertions themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

import { startMailboxEmulator, type MailboxEmulatorOptions, type RunningMailboxEmulator } from "../../../src/outlook/emulator";

export interface Harness {
  emu: RunningMailboxEmulator;
  agent: Agent;
  /** Raw request to the emulator (path relative to its origin, or an absolute URL). */
  request(path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string }): Promise<{ status: number; headers: Headers; json: Json; text: string }>;
  token(body: Record<string, unknown>): Promise<string>;
  /** Graph call with a bearer token: path after /v1.0. */
  graph(token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; json: Json; text: string }>;
  admin(method: string, path: string, body?: unknown): Promise<Json>;
  close(): Promise<void>;
}

export async function startHarness(opts: MailboxEmulatorOptions = {}): Promise<Harness> {
  const emu = await startMailboxEmulator({ port: 0, ...opts });
  const agent = new Agent({ connect: { ca: emu.caPem } });
  const request: Harness["request"] = async (path, init = {}) => {
    const url = /^https?:/.test(path) ? path : emu.url + path;
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: string | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["Content-Type"] ??= "application/json";
    }
    const res = await undiciFetch(url, { method: init.method ?? "GET", headers, body, dispatcher: agent });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined; // not JSON: tests look at `text`
    }
    return { status: res.status, headers: res.headers as unknown as Headers, json, text };
  };
  const token: Harness["token"] = async (body) => {
    const r = await request("/dev/token", { method: "POST", body });
    if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
    return r.json.access_token as string;
  };
  const graph: Harness["graph"] = (tok, method, path, body, headers = {}) =>
    request(/^https?:/.test(path) ? path : `/v1.0${path}`, { method, body, headers: { Authorization: `Bearer ${tok}`, ...headers } });
  const admin: Harness["admin"] = async (method, path, body) => {
    const r = await request(`/admin${path}`, { method, body });
    if (r.status >= 300) throw new Error(`admin ${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  return {
    emu,
    agent,
    request,
    token,
    graph,
    admin,
    close: async () => {
      await emu.close();
      await agent.close();
    },
  };
}

export const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };
