// `contact-sync`: headless two-way sync of practice contacts with an Outlook contacts folder
// (docs/cli.md). Ctrl-C / SIGTERM cancel cleanly: what was applied is kept, the lease is released,
// and the next run resumes (R13). A second signal exits at once.
import { version } from "../../package.json";
import { helpText } from "./sync/help";

const argv = process.argv.slice(2);
// Answered before the sync code and its dependencies load (issue 11: `--version` in ≤ 150 ms). The
// compiled entry holds only this much; ./sync/main is a separate bundle (scripts/build-cli.mjs).
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) process.stdout.write(`contact-sync ${version}\n`);
else if (isPlainHelp(argv)) process.stdout.write(`${helpText(argv[0] === "help" ? argv[1] : undefined)}\n`);
else void run(argv);

/** `contact-sync`, `help [topic]`, `--help`, `-h`: the forms parseCommandLine (./sync/args) reads as help. */
function isPlainHelp(args: readonly string[]): boolean {
  if (args.length === 0) return true;
  if (args[0] === "help") return args.length <= 2;
  return args.length === 1 && (args[0] === "--help" || args[0] === "-h");
}

async function run(args: string[]): Promise<void> {
  const { main } = await import("./sync/main");
  const controller = new AbortController();
  let signalled = 0;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      signalled++;
      if (signalled > 1) process.exit(130);
      process.stderr.write(`\ncontact-sync: ${sig}, stopping after the current step...\n`);
      controller.abort(Object.assign(new Error("Cancelled"), { name: "AbortError" }));
    });
  }

  // stdin is read only to confirm (`--ask`); opening it costs a few ms of every start, so only then.
  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    output: process.stderr,
    get input() {
      return process.stdin;
    },
  };
  main(args, io, { signal: controller.signal })
    .then((code) => {
      process.exitCode = code;
      // Output drains first; a connection some library keeps alive must not hold a scheduled run open.
      setTimeout(() => process.exit(code), 2000).unref();
    })
    .catch((err: unknown) => {
      process.stderr.write(`contact-sync: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
