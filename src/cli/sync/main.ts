// The CLI's dispatcher: parse, run one command, print, return the exit code. The bin calls it with the
// real process; tests call it in-process with their own streams and wiring.
import { parseCommandLine } from "./args";
import { connect as realConnect, type Connected } from "./connect";
import { describeError } from "./describe-error";
import { EXIT } from "./exit-codes";
import { helpText } from "./help";
import { runFilters, runFolders } from "./list-commands";
import { runSync, type CliIO } from "./run-sync";
import { runStatus } from "./status";
import type { ConnectionOptions } from "./args";

export interface MainOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Replaces the real servers (tests). */
  connect?: (conn: ConnectionOptions) => Connected;
}

export async function main(argv: readonly string[], io: CliIO, opts: MainOptions = {}): Promise<number> {
  let json = false;
  let connected: Connected | null = null;
  try {
    const cmd = parseCommandLine(argv);
    if (cmd.command === "help") {
      io.stdout.write(`${helpText(cmd.topic)}\n`);
      return EXIT.ok;
    }
    json = cmd.json;
    if (cmd.command === "status") return await runStatus(cmd, io);
    connected = (opts.connect ?? ((c) => realConnect(c, opts.env)))(cmd.connection);
    if (cmd.command === "folders") return await runFolders(cmd, connected.wiring.folders, io);
    if (cmd.command === "filters") return await runFilters(cmd, connected.wiring.practice, io);

    const { report, exitCode } = await runSync(cmd, connected.wiring, io, opts.signal);
    if (cmd.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else if ((report.outcome === "failed" || report.outcome === "cancelled") && report.message) io.stderr.write(`contact-sync: ${report.message}\n`);
    return exitCode;
  } catch (err) {
    const { exitCode, message } = describeError(err);
    if (json) io.stdout.write(`${JSON.stringify({ outcome: "failed", exitCode, message })}\n`);
    else io.stderr.write(`contact-sync: ${message}\n`);
    return exitCode;
  } finally {
    await connected?.close().catch(() => {});
  }
}
