// The CLI's exit codes (docs/cli.md). Scripts and schedulers branch on them, so they never change meaning.
export const EXIT = {
  ok: 0,
  unexpected: 1,
  /** Bad input or configuration, a held lease, or a question nobody can answer (no TTY, no --yes). */
  usage: 2,
  /** R15: the safety valve stopped the run; --force passes it. */
  safetyStop: 3,
  /** R19: some contacts failed; the others were synced. */
  contactsFailed: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: its message is printed as is and the process exits with its code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string): CliError => new CliError(EXIT.usage, message);
