// The helper commands over real HTTP: folders, filters and status show what --folder and --filter take
// and what a state directory knows; bad configuration is a clear exit 2.
import { Harness, person } from "./harness";

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

test("folders lists nested folders with their paths and ids, and creates one", async () => {
  const s = await h.scenario();
  const conn = ["--graph-url", h.emulator.graphUrl, "--mailbox", s.mailbox, "--dev-auth", "--ca", h.caFile];
  const made = await h.cli(["folders", ...conn, "--create", "Clients", "--json"]);
  expect(made.code).toBe(0);
  const clients = JSON.parse(made.stdout) as { id: string; displayName: string };
  await h.cli(["folders", ...conn, "--create", "Leeds", "--parent", clients.id]);
  const list = await h.cli(["folders", ...conn]);
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(new RegExp(`^Clients\\s+${clients.id.replace(/[^\w]/g, ".")}$`, "m"));
  expect(list.stdout).toMatch(/^Clients\/Leeds\s+\S+$/m);

  // A nested folder is found by its path.
  const r = await s.sync({ folder: "Clients/Leeds" });
  expect(r.code).toBe(0);
  expect(r.json.folder.name).toBe("Clients/Leeds");
});

test("filters lists the firm's filters; an unknown filter name is exit 2 with a hint", async () => {
  const s = await h.scenario([person("Ann", "Smith")]);
  await s.practiceAs().createFilter({ name: "Ann – Leeds", match: "all", criteria: [{ field: "businessAddress.city", method: "equals", values: ["Leeds"] }] });
  const list = await h.cli(["filters", "--practice-url", h.practice.url, "--dev-auth", "--staff", s.staffAnn]);
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/^Ann – Leeds\s+\S+\s+\(all of: businessAddress\.city equals Leeds\)$/m);
  const unknown = await s.sync({ filter: "Nobody's" });
  expect(unknown.code).toBe(2);
  expect(unknown.json.message).toMatch(/There is no filter "Nobody's".*contact-sync filters/);
});

test("status shows links and history after real runs; a wrong server address is a clear failure", async () => {
  const s = await h.scenario([person("Ann", "Smith"), person("Bob", "Jones")]);
  await s.sync();
  const status = await h.cli(["status", "--state", s.stateDir]);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/Linked 2, excluded 0, in conflict 0/);
  expect(status.stdout).toMatch(/ok {2}\(add:toOutlook 2/);

  const args = s.args({ state: `${s.stateDir}-x` });
  args[args.indexOf(h.practice.url)] = "http://127.0.0.1:9";
  const down = await h.cli(args);
  expect(down.code).toBe(2);
  expect(down.json.message).toMatch(/Cannot reach the practice server/);
});
