// `npx mailbox-emulator [options]`: runs the Graph-compatible mailbox emulator (docs/emulator.md).
import { parseArgs } from "node:util";
import { DEFAULT_PORT, parseBehaviour, startMailboxEmulator, type Behaviour } from "../outlook/emulator";

const USAGE = `Usage: mailbox-emulator [options]
  --port N            port (default ${DEFAULT_PORT}; 0 = random)
  --host ADDR         address to listen on (default 127.0.0.1)
  --state FILE        keep state in FILE (JSON, atomic writes); in memory otherwise
  --seed demo|none    demo data (default none)
  --latency-ms N      delay every Graph request by N ms (default 0)
  --concurrency N     concurrent requests per mailbox before 429 (default 4)
  --delta-generations N  delta sync states kept per folder (default 3, as observed)
  --rate-limit N      requests per window per (app, mailbox) before 429 (default 10000)
  --rate-window S     the window's length in seconds (default 600, Graph's 10 minutes); shorten it to
                      watch a budget-bound sync wait and resume
  --cert-out FILE     write the self-signed certificate (PEM) to FILE
  --if-match          honour If-Match on contact PATCH/DELETE (412 when stale; off: Graph does not document it)
  --behaviour JSON    switch answers where Microsoft is silent, e.g. '{"sharedFolderDelta":"allow"}'
                      (strict by default; docs/emulator.md lists the keys)
  --help`;

function fail(message: string): never {
  console.error(`mailbox-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function nonNegativeInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number >= 0, got '${text}'`);
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        state: { type: "string" },
        seed: { type: "string" },
        "latency-ms": { type: "string" },
        concurrency: { type: "string" },
        "delta-generations": { type: "string" },
        "rate-limit": { type: "string" },
        "rate-window": { type: "string" },
        "cert-out": { type: "string" },
        "if-match": { type: "boolean" },
        behaviour: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const seed = (values.seed as string | undefined) ?? "none";
  if (seed !== "demo" && seed !== "none") fail(`--seed must be demo or none, got '${seed}'`);
  const port = nonNegativeInt("port", values.port as string | undefined, DEFAULT_PORT);
  if (port > 65535) fail("--port must be at most 65535");
  const concurrency = nonNegativeInt("concurrency", values.concurrency as string | undefined, 4);
  if (concurrency < 1) fail("--concurrency must be at least 1");
  const deltaGenerations = nonNegativeInt("delta-generations", values["delta-generations"] as string | undefined, 3);
  if (deltaGenerations < 1) fail("--delta-generations must be at least 1");
  const rateLimit = nonNegativeInt("rate-limit", values["rate-limit"] as string | undefined, 10_000);
  if (rateLimit < 1) fail("--rate-limit must be at least 1");
  const rateWindow = nonNegativeInt("rate-window", values["rate-window"] as string | undefined, 600);
  if (rateWindow < 1) fail("--rate-window must be at least 1 (seconds)");
  let behaviour: Partial<Behaviour> | undefined;
  if (values.behaviour !== undefined) {
    try {
      behaviour = parseBehaviour(JSON.parse(values.behaviour as string));
    } catch (err) {
      fail(`--behaviour: ${(err as Error).message}`);
    }
  }
  const emulator = await startMailboxEmulator({
    behaviour,
    rateLimit: { requests: rateLimit, windowMs: rateWindow * 1000 },
    port,
    host: (values.host as string | undefined) ?? "127.0.0.1",
    state: values.state as string | undefined,
    seed,
    latencyMs: nonNegativeInt("latency-ms", values["latency-ms"] as string | undefined, 0),
    concurrency,
    deltaGenerations,
    certOut: values["cert-out"] as string | undefined,
    ifMatch: values["if-match"] === true,
  });
  console.log(`mailbox-emulator listening on ${emulator.url}`);
  console.log(`  Graph:  ${emulator.graphUrl}   (token: POST ${emulator.url}/dev/token {"upn":"anna@harbour.example"})`);
  console.log(`  Admin:  ${emulator.url}/admin/stats`);
  if (values["cert-out"]) console.log(`  Certificate written to ${values["cert-out"]}`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: Error) => {
  console.error(`mailbox-emulator: ${err.message}`);
  process.exit(1);
});
