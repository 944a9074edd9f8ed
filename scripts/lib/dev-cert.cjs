// The HTTPS dev server's certificate comes from office-addin-dev-certs, the Office tooling's own localhost
// CA: `npx office-addin-dev-certs install` generates the CA and a localhost certificate it signs (in
// ~/.office-addin-dev-certs) and installs the CA in the system's trust store, so Outlook desktop's
// webview (which refuses an untrusted certificate: "content is blocked") and browsers accept the pane.
// docs/admin-guide.md says how per OS. This module only reads and checks; it never installs anything.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { X509Certificate } = require("node:crypto");

const INSTALL_COMMAND = "npx office-addin-dev-certs install";

/** Where office-addin-dev-certs keeps its files (OFFICE_ADDIN_DEV_CERTS_DIR overrides, for tests). */
function devCertificatePaths(dir = process.env.OFFICE_ADDIN_DEV_CERTS_DIR) {
  const defaults = require("office-addin-dev-certs/lib/defaults");
  const base = dir || defaults.certificateDirectory;
  return {
    dir: base,
    ca: path.join(base, defaults.caCertificateFileName),
    cert: path.join(base, defaults.localhostCertificateFileName),
    key: path.join(base, defaults.localhostKeyFileName),
  };
}

/**
 * The dev server's TLS options ({ca, cert, key}), read from office-addin-dev-certs' directory.
 * Throws with the command to run when they are missing, expired or not signed by that CA.
 */
function readDevCertificate(dir) {
  const files = devCertificatePaths(dir);
  const missing = ["ca", "cert", "key"].filter((k) => !fs.existsSync(files[k]));
  if (missing.length > 0) {
    throw new Error(`No developer certificate in ${files.dir} (missing ${missing.map((k) => path.basename(files[k])).join(", ")}). Run: ${INSTALL_COMMAND}`);
  }
  const ca = fs.readFileSync(files.ca);
  const cert = fs.readFileSync(files.cert);
  const key = fs.readFileSync(files.key);
  const x509 = new X509Certificate(cert);
  if (Date.parse(x509.validTo) <= Date.now()) {
    throw new Error(`The developer certificate expired on ${x509.validTo}. Run: npx office-addin-dev-certs uninstall, then ${INSTALL_COMMAND}`);
  }
  if (!x509.checkIssued(new X509Certificate(ca)) || !x509.verify(new X509Certificate(ca).publicKey)) {
    throw new Error(`The developer certificate in ${files.dir} is not signed by its CA. Run: npx office-addin-dev-certs uninstall, then ${INSTALL_COMMAND}`);
  }
  return { ca, cert, key };
}

/** True when office-addin-dev-certs finds its certificate valid and its CA trusted by the system. */
function devCertificateTrusted() {
  const { verifyCertificates } = require("office-addin-dev-certs");
  try {
    return verifyCertificates();
  } catch {
    return false; // no verify tool on this system: treat as not trusted, the install step says more
  }
}

module.exports = { INSTALL_COMMAND, devCertificatePaths, readDevCertificate, devCertificateTrusted };
