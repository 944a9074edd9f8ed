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

/** HH:MM:SS in the machine's time zone, as a person reading a terminal or a log expects. */
function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

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
  let lastResume: string | undefined;
  let open = false;
  const format = (p: SyncProgress) =>
    p.waiting
      ? `${LABELS[p.phase]}; resuming at ${clockTime(p.waiting.resumeAt)}${p.total ? ` (${p.done}/${p.total} done)` : ""}`
      : `${LABELS[p.phase]}${p.total ? `: ${p.done}/${p.total} (${Math.floor((100 * p.done) / Math.max(1, p.total))} %)` : p.done ? `: ${p.done}` : ""}`;
  return {
    update(p) {
      const t = now();
      // A new resume time is news: it is printed whatever the interval.
      const phaseChanged = p.phase !== lastPhase || (p.waiting !== undefined && p.waiting.resumeAt !== lastResume);
      if (!phaseChanged && t - lastAt < interval) return;
      lastResume = p.waiting?.resumeAt;
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
