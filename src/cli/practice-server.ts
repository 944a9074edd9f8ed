// `practice-server`: runs the reference practice API (see docs/practice-api.md).
//   --port 4100  --host 127.0.0.1  --db .data/practice.db | :memory:  --seed demo|none  --dev-auth
//   --jwks-url URL --issuer ISS --audience AUD  --cors-origin ORIGIN (repeatable)  --quiet
import { parseArgs } from "node:util";
import { startPracticeServer, DEFAULT_CORS_ORIGINS } from "../practice-api/server";
import { isLoopbackHost, isSecureOrLoopbackUrl } from "../practice-api/server/loopback";

const USAGE = `Usage: practice-server [--port 4100] [--host 127.0.0.1] [--db .data/practice.db|:memory:]
                      [--seed demo|none] [--dev-auth] [--jwks-url URL --issuer ISS --audience AUD]
                      [--cors-origin ORIGIN]... [--quiet]
       practice-server init|staff|contacts …   (setting up a firm: practice-server init --help)`;

async function main(): Promise<void> {
  // init | staff | contacts: setting up a firm (src/cli/practice-admin/), loaded only when asked for.
  if (["init", "staff", "contacts"].includes(process.argv[2] ?? "")) {
    const { runAdminCommand } = await import("./practice-admin/run-admin-command");
    process.exitCode = runAdminCommand(process.argv.slice(2));
    return;
  }
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "4100" },
        host: { type: "string", default: "127.0.0.1" },
        db: { type: "string", default: ".data/practice.db" },
        seed: { type: "string", default: "none" },
        "dev-auth": { type: "boolean", default: false },
        "jwks-url": { type: "string" },
        issuer: { type: "string" },
        audience: { type: "string" },
        "cors-origin": { type: "string", multiple: true },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0–65535, got "${values.port}".`);
  if (values.seed !== "demo" && values.seed !== "none") fail(`--seed must be demo or none, got "${values.seed}".`);
  if (!values["dev-auth"] && !values["jwks-url"]) fail("Give --dev-auth (development) or --jwks-url with --issuer and --audience.");
  if (values["jwks-url"] && (!values.issuer || !values.audience)) fail("--jwks-url needs --issuer and --audience.");
  // Development tokens are minted for anyone who asks: never beside production keys, never off this machine.
  if (values["dev-auth"] && values["jwks-url"]) fail("--dev-auth cannot be combined with --jwks-url: anyone could mint tokens the production audience accepts.");
  if (values["dev-auth"] && !isLoopbackHost(values.host)) fail(`--dev-auth only listens on a loopback host (127.0.0.1, ::1, localhost), not "${values.host}".`);
  if (values["jwks-url"] && !isSecureOrLoopbackUrl(values["jwks-url"])) fail("--jwks-url must be https:// (http only on a loopback host), or a forged key set could be slipped in.");

  const server = await startPracticeServer({
    port,
    host: values.host,
    db: values.db,
    seed: values.seed as "demo" | "none",
    devAuth: values["dev-auth"],
    jwksUrl: values["jwks-url"],
    issuer: values.issuer,
    audience: values.audience,
    corsOrigins: values["cors-origin"] ?? DEFAULT_CORS_ORIGINS,
    logger: !values.quiet,
  });
  console.log(`Practice API listening on ${server.url}/api/v1 (database ${values.db}${values["dev-auth"] ? ", development tokens at POST /api/v1/dev/token" : ""})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

main().catch((e) => {
  console.error(`practice-server: ${(e as Error).message}`);
  process.exit(1);
});
