// The HTTPS dev server uses office-addin-dev-certs' localhost certificate, signed by its developer CA
// (which `office-addin-dev-certs install` makes the system trust). Here the Office tool generates a CA
// and certificate into a temporary directory (no sudo, no system store), and a real HTTPS server and
// client check the chain.
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

const devCert = require("../../scripts/lib/dev-cert.cjs") as {
  INSTALL_COMMAND: string;
  devCertificatePaths(dir?: string): { dir: string; ca: string; cert: string; key: string };
  readDevCertificate(dir?: string): { ca: Buffer; cert: Buffer; key: Buffer };
};
const { generateCertificates } = require("office-addin-dev-certs") as {
  generateCertificates(ca: string, cert: string, key: string, days: number, domains: string[]): Promise<void>;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-cert-"));
const files = devCert.devCertificatePaths(dir);
beforeAll(async () => {
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  await generateCertificates(files.ca, files.cert, files.key, 30, ["127.0.0.1", "localhost"]);
});
afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(port: number, tls: { ca?: Buffer }): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: "127.0.0.1", port, path: "/", servername: "localhost", ...tls }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(text));
      })
      .on("error", reject);
  });
}

it("uses office-addin-dev-certs' own file names and default directory in the home folder", () => {
  expect(path.basename(files.ca)).toBe("ca.crt");
  expect(path.basename(files.cert)).toBe("localhost.crt");
  expect(path.basename(files.key)).toBe("localhost.key");
  expect(devCert.devCertificatePaths("").dir).toBe(path.join(os.homedir(), ".office-addin-dev-certs"));
});

it("reads a localhost certificate (localhost and 127.0.0.1) signed by the developer CA", () => {
  const { ca, cert } = devCert.readDevCertificate(dir);
  const x509 = new X509Certificate(cert);
  expect(x509.subjectAltName).toContain("DNS:localhost");
  expect(x509.subjectAltName).toContain("IP Address:127.0.0.1");
  expect(x509.checkIssued(new X509Certificate(ca))).toBe(true);
  expect(new X509Certificate(ca).subject).toContain("Developer CA for Microsoft Office Add-ins");
});

it("serves HTTPS that a client trusting the developer CA accepts and any other client refuses", async () => {
  const { cert, key, ca } = devCert.readDevCertificate(dir);
  const server = https.createServer({ cert, key }, (_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const port = (server.address() as AddressInfo).port;
    expect(await get(port, { ca })).toBe("ok");
    await expect(get(port, {})).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it("says which command to run when the certificate is missing", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-nocert-"));
  try {
    expect(() => devCert.readDevCertificate(empty)).toThrow(devCert.INSTALL_COMMAND);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

it("refuses a certificate that its CA did not sign", async () => {
  const other = fs.mkdtempSync(path.join(os.tmpdir(), "pcs-othercert-"));
  try {
    const o = devCert.devCertificatePaths(other);
    await generateCertificates(o.ca, o.cert, o.key, 30, ["localhost"]);
    fs.copyFileSync(files.ca, o.ca); // a CA that did not sign this certificate
    expect(() => devCert.readDevCertificate(other)).toThrow(/not signed by its CA/);
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
});
