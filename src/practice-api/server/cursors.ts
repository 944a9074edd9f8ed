// Opaque cursors. Change cursors carry a firm-wide change sequence number; page cursors carry the last id
// of the previous page. Both are base64url so clients treat them as opaque and cannot mix them up.
import { ProblemError } from "./problem";

const CHANGE = "chg:";
const PAGE = "pg:";

const enc = (s: string) => Buffer.from(s, "utf8").toString("base64url");
function dec(cursor: string, prefix: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith(prefix) || enc(text) !== cursor) throw new ProblemError(400, "invalid-cursor", "The cursor is not one this server issued.");
  return text.slice(prefix.length);
}

export function encodeChangeCursor(seq: number): string {
  return enc(CHANGE + seq);
}

export function decodeChangeCursor(cursor: string): number {
  const raw = dec(cursor, CHANGE);
  if (!/^\d{1,15}$/.test(raw)) throw new ProblemError(400, "invalid-cursor", "The cursor is not one this server issued.");
  return Number(raw);
}

export function encodePageCursor(lastId: string): string {
  return enc(PAGE + lastId);
}

export function decodePageCursor(cursor: string): string {
  return dec(cursor, PAGE);
}
