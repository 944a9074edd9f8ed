// The admin guide's "Try it with your own firm", end to end: the commands take an empty database to a firm
// with staff and imported contacts; the practice server started on it as `npm start` starts it (demo seed,
// development auth) serves that firm, and the pane in local mode (production build, Chromium) syncs its
// contacts into a new Outlook folder of the emulator's demo mailbox.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { startMailboxEmulator, type RunningMailboxEmulator } from "../../../src/outlook/emulator";
import { startPracticeServer, type PracticeServer } from "../../../src/practice-api/server";
import { EmulatorAdmin } from "../../e2e/support/apis";
import { launchBrowser, type PaneBrowser } from "../../e2e/support/browser";
import { distDir, ensureProductionBuild } from "../../e2e/support/build";
import { applySelected, chooseFilter, chooseFolder, openPane, readPending, saveSetup } from "../../e2e/support/pane";
import { startPaneServer, type PaneServer } from "../../e2e/support/pane-server";
import { Workspace } from "./cli";
import { ALL_VCARDS, outlookCsv } from "./fixtures";

jest.setTimeout(240_000);
/** The production build may have to be made first (minutes on a busy 2-core machine). */
const SETUP_TIMEOUT_MS = 600_000;
const FOLDER = "Harbour & Co";

let ws: Workspace;
let practice: PracticeServer;
let emulator: RunningMailboxEmulator;
let pane: PaneServer;
let browser: PaneBrowser;
let page: Page;
let mailbox: EmulatorAdmin;
let caDir: string;

beforeAll(async () => {
  ws = new Workspace();
  ws.ok("init", "--db", ws.db, "--firm", "Harbour & Co", "--admin", "anna@harbour.example");
  ws.file("staff.csv", "Name,Email,Initials\r\nJörg Müller,joerg.mueller@harbour.example,JM\r\n");
  ws.ok("staff", "import", "staff.csv", "--db", ws.db);
  ws.file("contacts.csv", outlookCsv());
  ws.ok("contacts", "import", "contacts.csv", "--db", ws.db);
  ws.file("cards.vcf", ALL_VCARDS);
  ws.ok("contacts", "import", "cards.vcf", "--db", ws.db, "--kind", "standalone");

  await ensureProductionBuild();
  caDir = fs.mkdtempSync(path.join(os.tmpdir(), "own-firm-ca-"));
  const caFile = path.join(caDir, "emulator-cert.pem");
  practice = await startPracticeServer({ db: ws.db, seed: "demo", devAuth: true, rateLimit: false });
  emulator = await startMailboxEmulator({ port: 0, seed: "demo", certOut: caFile });
  pane = await startPaneServer({ dist: distDir, practiceUrl: practice.url, emulatorUrl: emulator.url, emulatorCaFile: caFile });
  mailbox = new EmulatorAdmin(emulator.url, emulator.caPem);
  browser = await launchBrowser();
  page = await browser.newPage();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await mailbox?.close();
  await pane?.close();
  await emulator?.close();
  await practice?.close();
  ws?.cleanup();
  if (caDir) fs.rmSync(caDir, { recursive: true, force: true });
});

const IMPORTED = ["Jörg Müller", "Siobhán O'Connor", "秀 徐", "Élodie Marie Lefèvre", "Ing. Václav Dvořák", "Søren Rønning", "Zoë Dubois"].sort();

it("the pane's first sync lists one add per imported contact, and Apply puts them in the folder", async () => {
  const folderId = await mailbox.createFolder(FOLDER);
  await openPane(page, `${pane.url}/taskpane.html`);
  await page.getByTestId("setup-view").waitFor();
  await chooseFolder(page, FOLDER);
  await chooseFilter(page, null);
  await saveSetup(page);
  const rows = await readPending(page);
  // The pending list names a person by given name and surname.
  expect(rows.map((r) => r.name).sort()).toEqual(IMPORTED.map((n) => n.replace("Élodie Marie", "Élodie")).sort());
  expect(rows.every((r) => r.group === "add")).toBe(true);

  await applySelected(page);
  const inFolder = await mailbox.contactsIn(folderId);
  expect(inFolder.map((c) => c.displayName ?? "").sort()).toEqual(IMPORTED);
  const jorg = inFolder.find((c) => c.displayName === "Jörg Müller") as unknown as Record<string, unknown>;
  expect(jorg.businessAddress).toMatchObject({ street: "Hauptstraße 5\r\nHinterhaus, 2. OG", city: "München" });
});
