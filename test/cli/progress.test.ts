import { createProgressPrinter } from "../../src/cli/sync/progress";

describe("progress printer", () => {
  test("without a terminal it prints a line per phase and at most one per interval", () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgressPrinter({ write: (s) => out.push(s), isTTY: false }, { intervalMs: 1000, now: () => t });
    p.update({ phase: "reading-practice", done: 0 });
    p.update({ phase: "reading-practice", done: 500 });
    t = 1500;
    p.update({ phase: "reading-practice", done: 900 });
    p.update({ phase: "applying", done: 10, total: 200 });
    p.update({ phase: "done", done: 200, total: 200 });
    p.end();
    expect(out).toEqual(["Reading practice contacts\n", "Reading practice contacts: 900\n", "Applying: 10/200 (5 %)\n"]);
  });

  test("on a terminal it rewrites one line per phase and ends it", () => {
    const out: string[] = [];
    const p = createProgressPrinter({ write: (s) => out.push(s), isTTY: true }, { intervalMs: 0, now: () => 0 });
    p.update({ phase: "applying", done: 1, total: 4 });
    p.update({ phase: "applying", done: 2, total: 4 });
    p.end();
    expect(out.join("")).toBe("\rApplying: 1/4 (25 %)\x1b[K\rApplying: 2/4 (50 %)\x1b[K\n");
  });

  test("a wait for Outlook's limit says when it resumes, and each new resume time is printed", () => {
    const out: string[] = [];
    const p = createProgressPrinter({ write: (s) => out.push(s), isTTY: false }, { intervalMs: 60_000, now: () => 0 });
    const at = (h: number, m: number, s: number) => new Date(2026, 11, 3, h, m, s).toISOString();
    p.update({ phase: "applying", done: 80, total: 200 });
    p.update({ phase: "waiting", done: 80, total: 200, waiting: { for: "outlook-limit", resumeAt: at(10, 42, 5) } });
    p.update({ phase: "waiting", done: 80, total: 200, waiting: { for: "outlook-limit", resumeAt: at(10, 42, 5) } });
    p.update({ phase: "waiting", done: 80, total: 200, waiting: { for: "outlook-limit", resumeAt: at(10, 52, 7) } });
    p.update({ phase: "applying", done: 160, total: 200 });
    expect(out).toEqual([
      "Applying: 80/200 (40 %)\n",
      "Outlook's request limit reached; resuming at 10:42:05 (80/200 done)\n",
      "Outlook's request limit reached; resuming at 10:52:07 (80/200 done)\n",
      "Applying: 160/200 (80 %)\n",
    ]);
  });
});
