// Absolute links (nextLink, deltaLink, Location) must point where the client came from: the SDK
// follows them as given (PAGE) and attaches auth only to https URLs on known hosts (SDK, §10). Behind
// the pane's dev-server proxy, X-Forwarded-Proto/-Host/-Prefix name the public address.
import type { IncomingHttpHeaders } from "node:http";

function firstValue(header: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  return raw?.split(",")[0]?.trim() || undefined;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const PREFIX = /^(\/[A-Za-z0-9._~-]+)*\/?$/;

/** The public origin plus path prefix, without a trailing slash, e.g. "https://127.0.0.1:4200" or "http://127.0.0.1:3000/graph". */
export function publicBase(headers: IncomingHttpHeaders, fallbackHost: string): string {
  const fwdProto = firstValue(headers["x-forwarded-proto"])?.toLowerCase();
  const fwdHost = firstValue(headers["x-forwarded-host"]);
  const fwdPrefix = firstValue(headers["x-forwarded-prefix"]);
  // Header values are echoed into URLs, so anything that is not a plain host or path is ignored.
  const proto = fwdProto === "http" || fwdProto === "https" ? fwdProto : "https";
  const hostHeader = firstValue(headers.host);
  const host = fwdHost && HOST.test(fwdHost) ? fwdHost : hostHeader && HOST.test(hostHeader) ? hostHeader : fallbackHost;
  const prefix = fwdPrefix && PREFIX.test(fwdPrefix) ? fwdPrefix.replace(/\/$/, "") : "";
  return `${fwdHost && fwdProto ? proto : "https"}://${host}${prefix}`;
}
