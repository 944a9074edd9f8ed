// Starts the mailbox emulator on a random port over HTTPS and gives tests a fetch that trusts its
// certificate (an undici Agent with its CA: TLS checks stay on), dev tokens and the admin API.
import { Agent, fetch as undiciFetch } from "undici";
import { startMailboxEmulator } from "../../../src/outlook/emulator";
import type { MailboxEmulatorOptions, RunningMailboxEmulator } from "../../../src/outlook/emulator";

export interface EmulatorHarness {
  emu: RunningMailboxEmulator;
  graphUrl: string;
  /** fetch trusting the emulator's certificate */
  fetch: typeof fetch;
  token(upn: string): Promise<string>;
  admin<T = Record<string, unknown>>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  stats(): Promise<{ requests: number; graphRequests: number; batches: number; batchItems: number; throttled: number; peakConcurrency: number }>;
  close(): Promise<void>;
}

export async function startEmulator(opts: MailboxEmulatorOptions = {}): Promise<EmulatorHarness> {
  const emu = await startMailboxEmulator({ port: 0, seed: "none", ...opts });
  const agent = new Agent({ connect: { ca: emu.caPem } });
  const trustedFetch = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await trustedFetch(`${emu.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  return {
    emu,
    graphUrl: emu.graphUrl,
    fetch: trustedFetch,
    token: async (upn) => (await call<{ access_token: string }>("POST", "/dev/token", { upn })).access_token,
    admin: (method, path, body) => call(method, `/admin${path}`, body),
    stats: () => call("GET", "/admin/stats"),
    close: async () => {
      // Our keep-alive connections first, or the server waits for them to go idle.
      await agent.close();
      await emu.close();
    },
  };
}

/** A sleep that records the waits and returns at once, so retry tests take no wall time. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}
