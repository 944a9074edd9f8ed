// Asks the person at the terminal whether to apply the pending changes (R14). Without a terminal
// nobody can answer, so the run stops with exit 2 rather than guessing: schedulers pass --yes.
import { createInterface } from "node:readline/promises";
import { CliError, EXIT } from "./exit-codes";

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

export async function confirmApply(question: string, term: Terminal): Promise<boolean> {
  if (!term.input.isTTY) {
    throw new CliError(
      EXIT.usage,
      "There are pending changes and no terminal to confirm them: run with --yes to apply them, or --dry-run to only list them.",
    );
  }
  const rl = createInterface({ input: term.input, output: term.output });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
