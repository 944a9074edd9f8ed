// The CLI's HTTP transport: --ca adds a certificate to Node's default roots without replacing them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { connect, createSecureContext } from "node:tls";
import { createTransport, trustingAlso } from "../../src/cli/sync/http";
import { makeCertificate } from "../../src/outlook/emulator/cert";

describe("createTransport with --ca", () => {
  let server: https.Server;
  let url: string;
  let caPem: string;
  let dir: string;

  beforeAll(async () => {
    const { key, cert } = await makeCertificate(["127.0.0.1"]);
    caPem = cert;
    server = https.createServer({ key, cert }, (_req, res) => res.end("hello"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    dir = mkdtempSync(path.join(os.tmpdir(), "pcs-http-"));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Whether a TLS handshake with the test server verifies under `secureContext`. */
  const verifies = (secureContext: ReturnType<typeof createSecureContext>) =>
    new Promise<boolean>((resolve) => {
      const port = (server.address() as AddressInfo).port;
      const socket = connect({ host: "127.0.0.1", port, secureContext, servername: "localhost" }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });

  it("trusts a server whose certificate the --ca file holds", async () => {
    const caFile = path.join(dir, "ca.pem");
    writeFileSync(caFile, caPem);
    const transport = createTransport({ caFile });
    try {
      const res = await transport.fetch(url);
      expect(await res.text()).toBe("hello");
    } finally {
      await transport.close();
    }
  });

  it("refuses that server without it", async () => {
    const transport = createTransport();
    try {
      await expect(transport.fetch(url)).rejects.toThrow();
    } finally {
      await transport.close();
    }
  });

  it("adds the certificate to its own context only: a default context made afterwards still refuses the server", async () => {
    expect(await verifies(trustingAlso(caPem))).toBe(true);
    expect(await verifies(createSecureContext())).toBe(false);
  });

  it("refuses a file that is not a PEM certificate, saying which option", () => {
    const bad = path.join(dir, "bad.pem");
    writeFileSync(bad, "not a certificate");
    expect(() => createTransport({ caFile: bad })).toThrow(/--ca .* is not a PEM certificate file/);
  });
});
