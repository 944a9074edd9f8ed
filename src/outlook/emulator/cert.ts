// A self-signed certificate for 127.0.0.1/localhost, made in-process (no sudo, no system store).
// Clients trust it by loading the PEM (--cert-out FILE, or caPem from the programmatic API).
import { generateKeyPairSync } from "node:crypto";
import { generate } from "selfsigned";

export interface Certificate {
  key: string;
  cert: string;
}

/** Generating a key pair takes a noticeable moment; emulators started in one process share it. */
const cache = new Map<string, Promise<Certificate>>();

export function makeCertificate(hostNames: string[] = []): Promise<Certificate> {
  const key = [...hostNames].sort().join(",");
  let cert = cache.get(key);
  if (!cert) {
    cert = generateCertificate(hostNames);
    cache.set(key, cert);
    cert.catch(() => cache.delete(key));
  }
  return cert;
}

async function generateCertificate(hostNames: string[]): Promise<Certificate> {
  const names = new Set(["localhost", ...hostNames.filter((h) => !/^[\d.]+$|:/.test(h))]);
  const ips = new Set(["127.0.0.1", "::1", ...hostNames.filter((h) => /^[\d.]+$|:/.test(h))]);
  const now = new Date();
  // Node makes the key pair much faster than selfsigned's own generator.
  const keyPair = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const pems = await generate([{ name: "commonName", value: "Mailbox emulator (development only)" }], {
    keyType: "ec",
    curve: "P-256",
    keyPair: { privateKey: keyPair.privateKey, publicKey: keyPair.publicKey },
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 365 * 24 * 3600_000),
    extensions: [
      // A self-signed end-entity certificate that is also its own trust anchor.
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [...[...names].map((value) => ({ type: 2 as const, value })), ...[...ips].map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
