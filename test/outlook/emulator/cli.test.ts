// `mailbox-emulator` as a process: --port 0, --seed demo, --cert-out; a bad option exits 2.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch } from "undici";

const bin = join(__dirname, "..", "..", "..", "bin", "mailbox-emulator.js");

test("starts, writes its certificate, serves the demo seed over HTTPS, stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mailbox-emulator-cli-"));
  const certFile = join(dir, "emulator.pem");
  const child = spawn(process.execPath, [bin, "--port", "0", "--seed", "demo", "--cert-out", certFile], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening on (https:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const agent = new Agent({ connect: { ca: readFileSync(certFile, "utf8") } });
    const tok = await (await fetch(`${url}/dev/token`, { method: "POST", body: JSON.stringify({ upn: "anna@harbour.example" }), headers: { "Content-Type": "application/json" }, dispatcher: agent })).json() as { access_token: string };
    const folders = await (await fetch(`${url}/v1.0/me/contactFolders`, { headers: { Authorization: `Bearer ${tok.access_token}` }, dispatcher: agent })).json() as { value: Array<{ displayName: string }> };
    expect(folders.value.map((f) => f.displayName).sort()).toEqual(["Clients", "Suppliers"]);
    await agent.close();
  } finally {
    const exited = new Promise((r) => child.on("exit", r));
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an invalid option exits with status 2 and the usage", () => {
  const r = spawnSync(process.execPath, [bin, "--seed", "lots"], { encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("--seed must be demo or none");
  expect(r.stderr).toContain("Usage: mailbox-emulator");
});

test("a --behaviour with an unknown key or value exits with status 2 and says which", () => {
  const bad = spawnSync(process.execPath, [bin, "--behaviour", '{"nullAddress":"maybe"}'], { encoding: "utf8" });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("--behaviour: nullAddress must be one of");
  const unknown = spawnSync(process.execPath, [bin, "--behaviour", '{"lenient":true}'], { encoding: "utf8" });
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain("Unknown behaviour 'lenient'");
  const notJson = spawnSync(process.execPath, [bin, "--behaviour", "{"], { encoding: "utf8" });
  expect(notJson.status).toBe(2);
});
