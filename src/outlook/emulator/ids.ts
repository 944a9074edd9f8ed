// Exchange-like identifiers. Real ids are base64 strings ending in "=" and case-sensitive (IMM,
// graph-contacts.md §3.1); we use the URL-safe alphabet so they survive a path unencoded, with
// distinct prefixes for REST ids ("AAMk…", as in C-GET) and immutable ids ("AAkA…").
import { randomBytes, randomUUID } from "node:crypto";

/** Ids are made by the thousand during bulk imports; drawing from a pooled buffer avoids a syscall per id. */
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomBytesPooled(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomBytes(64 * 1024);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  poolOffset += n;
  return out;
}

const REST_PREFIX = "AAMk";
const IMMUTABLE_PREFIX = "AAkA";
/** 35 random bytes give 47 base64 characters plus one "=", like the ids in the C-GET example. */
const ID_BYTES = 35;

function base64Padded(bytes: Buffer): string {
  return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

export function newRestId(): string {
  return REST_PREFIX + base64Padded(randomBytesPooled(ID_BYTES));
}

export function newImmutableId(): string {
  return IMMUTABLE_PREFIX + base64Padded(randomBytesPooled(ID_BYTES));
}

/** Folder ids share the REST form; folders do not need ImmutableId (IMM). */
export const newFolderId = newRestId;

/** Real ids also start "AQMk…" (default-folder ids in microsoftgraph/microsoft-graph-docs#6273), so only the alphabet and length are checked. */
const WELL_FORMED = /^[A-Za-z0-9_+/-]{20,}={0,2}$/;

/** True when the text has the shape of an id; a shape mismatch is ErrorInvalidIdMalformed, not 404. */
export function isWellFormedId(id: string): boolean {
  return WELL_FORMED.test(id);
}

/** changeKey looks like the C-GET example ("EQAAABYAAAA…"), standard base64 with "/" allowed. */
export function newChangeKey(): string {
  return "EQAAABYAAAA" + randomBytesPooled(21).toString("base64");
}

export const newGuid = (): string => randomUUID();

/** Opaque URL-safe token text without padding: the SDK splits query parameters on "=" (SDK GraphRequest.ts). */
export function newToken(bytes = 18): string {
  return randomBytesPooled(bytes).toString("base64url");
}
