// The task pane's first load (issue 11, item 5):
//   1. first-load JavaScript, gzipped (scripts/bundle-size.mjs on the production build): bound 250 KB;
//   2. time until Setup is interactive — the Setup view shown with the mailbox's folder tree listed, so a
//      person can pick a folder — in Chromium on a slow network with the CPU slowed 4× (Chrome DevTools
//      Protocol: Network.emulateNetworkConditions, Emulation.setCPUThrottlingRate), a cold cache each run.
// The throttling is Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4×
// (https://github.com/GoogleChrome/lighthouse/blob/main/docs/throttling.md). Same stack as the e2e tests:
// the production build (made when stale), the demo practice server and mailbox emulator, the pane proxy.
//   npm run bench -- pane         BENCH_PANE_RUNS=3
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { launchBrowser } from "../test/e2e/support/browser";
import { distDir } from "../test/e2e/support/build";
import { startStack } from "../test/e2e/support/stack";

const RUNS = Number(process.env.BENCH_PANE_RUNS ?? 3);
const FIRST_LOAD_BOUND_KB = 250;
const PROFILE = { latencyMs: 150, downKbps: 1600, upKbps: 750, cpuSlowdown: 4 };

interface FirstLoad {
  total: { bytes: number; gzip: number };
  firstLoad: { file: string; gzip: number }[];
}

async function timeToSetup(paneUrl: string): Promise<{ ms: number; transferredKb: number }> {
  // A fresh browser profile per run: nothing cached.
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: PROFILE.latencyMs,
      downloadThroughput: (PROFILE.downKbps * 1000) / 8,
      uploadThroughput: (PROFILE.upKbps * 1000) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: PROFILE.cpuSlowdown });
    let transferred = 0;
    cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => (transferred += e.encodedDataLength));
    await page.goto(paneUrl, { waitUntil: "commit" });
    // Measured in the page, from its navigation start: Setup is there and its folder tree has folders.
    const handle = await page.waitForFunction(
      () => (document.querySelector('[data-testid="setup-view"]') && document.querySelector('[role="treeitem"]') ? performance.now() : null),
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    const ms = (await handle.jsonValue()) as number;
    return { ms, transferredKb: transferred / 1024 };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const stack = await startStack(); // builds dist/ first when it is older than the sources
  try {
    const sizes = JSON.parse(
      execFileSync(process.execPath, [path.join(__dirname, "..", "scripts", "bundle-size.mjs"), "--dist", distDir, "--json"], { encoding: "utf8" }),
    ) as FirstLoad;
    const runs: { ms: number; transferredKb: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timeToSetup(stack.paneUrl));
    const sorted = [...runs].sort((a, b) => a.ms - b.ms);
    const median = sorted[Math.floor(sorted.length / 2)];
    const kb = sizes.total.gzip / 1024;
    const ok = kb <= FIRST_LOAD_BOUND_KB;
    console.log(`task pane first load, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg()[0].toFixed(1)}`);
    console.log("| figure | measured | bound | ratio | met |");
    console.log("| --- | --- | --- | --- | --- |");
    console.log(`| first-load JavaScript, gzipped (${sizes.firstLoad.length} scripts) | ${kb.toFixed(1)} KB | ≤ ${FIRST_LOAD_BOUND_KB} KB | ${(kb / FIRST_LOAD_BOUND_KB).toFixed(2)} | ${ok ? "yes" : "NO"} |`);
    console.log(
      `| Setup interactive, ${PROFILE.latencyMs} ms RTT, ${PROFILE.downKbps / 1000} Mbit/s, CPU ${PROFILE.cpuSlowdown}× (median of ${RUNS}) | ` +
        `${(median.ms / 1000).toFixed(2)} s | — | — | — |`,
    );
    console.log(`runs: ${runs.map((r) => `${(r.ms / 1000).toFixed(2)} s (${r.transferredKb.toFixed(0)} KB over the wire)`).join(", ")}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
