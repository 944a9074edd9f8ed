// The HTTPS dev server's certificate: generated without sudo, valid for localhost and 127.0.0.1, reused.
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

const { ensureDevCertificate } = require("../../scripts/lib/dev-cert.cjs") as {
  ensureDevCertificate(dir: string): Promise<{ cert: string | Buffer; key: string | Buffer }>;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-cert-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("creates a certificate for localhost and 127.0.0.1 and reuses it", async () => {
  const first = await ensureDevCertificate(dir);
  const x509 = new X509Certificate(first.cert);
  expect(x509.subjectAltName).toContain("DNS:localhost");
  expect(x509.subjectAltName).toContain("IP Address:127.0.0.1");
  expect(Date.parse(x509.validTo)).toBeGreaterThan(Date.now() + 30 * 24 * 3600 * 1000);
  const second = await ensureDevCertificate(dir);
  expect(String(second.cert)).toBe(String(first.cert));
});

it("serves HTTPS that a client trusting exactly that certificate accepts", async () => {
  const { cert, key } = await ensureDevCertificate(dir);
  const server = https.createServer({ cert, key }, (_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const port = (server.address() as AddressInfo).port;
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, path: "/", ca: cert, servername: "localhost" }, (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(text));
        })
        .on("error", reject);
    });
    expect(body).toBe("ok");
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
