// Progress on stderr for long runs (stdout stays clean for --json). On a terminal one line is
// rewritten in place; otherwise (a log file, a scheduler) a line is printed per phase and at most
// every few seconds, so logs stay short.
import type { SyncPhase, SyncProgress } from "../../sync/plan-types";

const LABELS: Record<SyncPhase, string> = {
  "reading-practice": "Reading practice contacts",
  "reading-outlook": "Reading the Outlook folder",
  planning: "Planning",
  applying: "Applying",
  waiting: "Outlook's request limit reached",
  done: "Done",
};

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

export function createProgressPrinter(
  sink: ProgressSink,
  opts: { intervalMs?: number; now?: () => number } = {},
): { update(p: SyncProgress): void; end(): void } {
  const interval = opts.intervalMs ?? (sink.isTTY ? 100 : 5000);
  const now = opts.now ?? Date.now;
  let lastPhase: SyncPhase | null = null;
  let lastAt = 0;
  let open = false;
  const format = (p: SyncProgress) =>
    `${LABELS[p.phase]}${p.total ? `: ${p.done}/${p.total} (${Math.floor((100 * p.done) / Math.max(1, p.total))} %)` : p.done ? `: ${p.done}` : ""}`;
  return {
    update(p) {
      const t = now();
      const phaseChanged = p.phase !== lastPhase;
      if (!phaseChanged && t - lastAt < interval) return;
      if (p.phase === "done") return;
      lastPhase = p.phase;
      lastAt = t;
      if (sink.isTTY) {
        sink.write(`${phaseChanged && open ? "\n" : "\r"}${format(p)}\x1b[K`);
        open = true;
      } else sink.write(`${format(p)}\n`);
    },
    end() {
      if (open) sink.write("\n");
      open = false;
    },
  };
}
