// The mailbox emulator: a Graph-compatible stand-in for Outlook contacts over HTTPS (DESIGN §6).
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { makeCertificate } from "./cert";
import type { Behaviour } from "./behaviour";
import type { MultiValueCaps } from "./contact-shape";
import { EmulatorCore } from "./core";
import { listen } from "./http-server";

export interface MailboxEmulatorOptions {
  port?: number;
  host?: string;
  /** JSON state file (atomic writes); in memory when absent. */
  state?: string;
  seed?: "demo" | "none";
  latencyMs?: number;
  /** Concurrent requests per mailbox before 429 ApplicationThrottled (THR-L: 4). */
  concurrency?: number;
  /** Write the certificate (PEM) here so clients can trust it. */
  certOut?: string;
  /** Sync-state generations kept per folder (older delta/next links → 410 SyncStateNotFound). */
  deltaGenerations?: number;
  /** Delta page size when the client sends no Prefer: odata.maxpagesize. */
  deltaPageSize?: number;
  /** Honour If-Match on contact PATCH/DELETE (412 ErrorIrresolvableConflict); off by default, as undocumented. */
  ifMatch?: boolean;
  /** Override the 10,000 requests per 10 minutes window (tests). */
  rateLimit?: { requests?: number; windowMs?: number };
  /** Multi-value caps (emails 3, business phones 2 per [O]; home phones 2, IM addresses 3 assumed). */
  caps?: Partial<MultiValueCaps>;
  /** Switch answers where Microsoft is silent to the other plausible one (behaviour.ts); strict by default. */
  behaviour?: Partial<Behaviour>;
}

export interface RunningMailboxEmulator {
  /** https://HOST:PORT */
  url: string;
  /** url + "/v1.0" */
  graphUrl: string;
  /** The self-signed certificate, to trust (undici Agent `connect: { ca }`). */
  caPem: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4200;

export async function startMailboxEmulator(opts: MailboxEmulatorOptions = {}): Promise<RunningMailboxEmulator> {
  const host = opts.host ?? "127.0.0.1";
  const core = new EmulatorCore({
    statePath: opts.state,
    seed: opts.seed ?? "none",
    latencyMs: opts.latencyMs ?? 0,
    concurrency: opts.concurrency ?? 4,
    // [O] the 410 in microsoft-graph-docs#2350 lists three live sync-state generations.
    deltaGenerations: opts.deltaGenerations ?? 3,
    deltaPageSize: opts.deltaPageSize ?? 10,
    ifMatch: opts.ifMatch,
    rateLimit: opts.rateLimit,
    caps: opts.caps,
    behaviour: opts.behaviour,
  });
  const tls = await makeCertificate([host]);
  if (opts.certOut) {
    mkdirSync(dirname(opts.certOut), { recursive: true });
    writeFileSync(opts.certOut, tls.cert);
  }
  const running = await listen(core, tls, host, opts.port ?? DEFAULT_PORT);
  const url = `https://${host.includes(":") ? `[${host}]` : host}:${running.port}`;
  return { url, graphUrl: `${url}/v1.0`, caPem: tls.cert, port: running.port, close: running.close };
}

export { STRICT_BEHAVIOUR, parseBehaviour } from "./behaviour";
export type { Behaviour } from "./behaviour";
export { DEMO_USER, DEMO_SHARED_MAILBOX, DEMO_COLLEAGUE } from "./seed";
