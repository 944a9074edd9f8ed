// HTTP for the CLI: one fetch per run over keep-alive connections (node-fetch.ts, closed at the end),
// optionally trusting an extra CA (the mailbox emulator's self-signed certificate), and a fetch wrapper
// per side that counts requests, so `--json` can report what a run cost (DESIGN §7 bars).
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { usageError } from "./exit-codes";
import { createNodeFetch, type FetchLike } from "./node-fetch";

export type { FetchLike } from "./node-fetch";

export interface Transport {
  fetch: FetchLike;
  close(): Promise<void>;
}

/** `caFile` adds a PEM bundle to the trusted roots (see trustingAlso). */
export function createTransport(opts: { caFile?: string } = {}): Transport {
  // One secure context for the run: given `ca` alone, every new connection would parse the whole
  // root bundle again (measured: over a second of CPU in a 3,000-contact sync).
  const secureContext = opts.caFile ? trustingAlso(readPem(opts.caFile, "--ca")) : undefined;
  const { fetch, close } = createNodeFetch(secureContext ? { secureContext } : {});
  return { fetch, close: async () => close() };
}

/**
 * A secure context trusting Node's default roots (NODE_EXTRA_CA_CERTS included, which Node adds by
 * itself) and `extraPem` too. An explicit `ca` option replaces the defaults, and handing it the whole
 * root bundle to keep them parses some 140 PEM certificates at every start (30–45 ms of a no-op sync's
 * CPU, measured). So the extra CA is added to a default context, through the native context's
 * addCACert, the call Node's own `ca` option makes (lib/internal/tls/secure-context.js); where that is
 * missing, the bundle is merged as before.
 */
export function trustingAlso(extraPem: string): SecureContext {
  const context = createSecureContext();
  const native = (context as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert === "function") {
    native.addCACert(extraPem);
    return context;
  }
  const envFile = process.env.NODE_EXTRA_CA_CERTS;
  return createSecureContext({ ca: [...rootCertificates, extraPem, ...(envFile ? [readPem(envFile, "NODE_EXTRA_CA_CERTS")] : [])] });
}

function readPem(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw usageError(`Cannot read the CA file given by ${what} (${file}): ${(err as Error).message}`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) throw usageError(`${what} (${file}) is not a PEM certificate file.`);
  return text;
}

export interface CountingFetch {
  fetch: FetchLike;
  count(): number;
}

/** Counts every request made through it, retries included: each one is a request the server saw. */
export function countingFetch(inner: FetchLike): CountingFetch {
  let n = 0;
  const fetch = ((input: Parameters<FetchLike>[0], init?: Parameters<FetchLike>[1]) => {
    n++;
    return inner(input, init);
  }) as FetchLike;
  return { fetch, count: () => n };
}
