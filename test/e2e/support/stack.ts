// Everything an e2e test talks to, on random ports: the practice server (demo seed, in-memory SQLite,
// development auth), the mailbox emulator (demo seed, HTTPS) and the built pane behind the proxy.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPracticeServer, type PracticeServer } from "../../../src/practice-api/server";
import { startMailboxEmulator, type RunningMailboxEmulator } from "../../../src/outlook/emulator";
import { distDir, ensureProductionBuild } from "./build";
import { startPaneServer, type PaneServer } from "./pane-server";

export interface Stack {
  practice: PracticeServer;
  emulator: RunningMailboxEmulator;
  pane: PaneServer;
  /** The pane page, e.g. http://127.0.0.1:PORT/taskpane.html */
  paneUrl: string;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  await ensureProductionBuild();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-e2e-"));
  const caFile = path.join(tmp, "emulator-cert.pem");
  const practice = await startPracticeServer({ port: 0, seed: "demo", devAuth: true, rateLimit: false });
  const emulator = await startMailboxEmulator({ port: 0, seed: "demo", certOut: caFile });
  const pane = await startPaneServer({ dist: distDir, practiceUrl: practice.url, emulatorUrl: emulator.url, emulatorCaFile: caFile });
  return {
    practice,
    emulator,
    pane,
    paneUrl: `${pane.url}/taskpane.html`,
    async close() {
      await pane.close();
      await emulator.close();
      await practice.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
