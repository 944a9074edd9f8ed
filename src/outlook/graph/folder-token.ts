// The adapter's own token for a folder read (the engine stores it as an opaque string, ports.ts):
// - delta mode: Graph's whole deltaLink, plus how many contacts the folder held at the last read, so
//   the next read can choose the cheaper way to fetch changed contacts in full (folder-reader.ts);
// - list mode (a folder reached through a delegated share, where delta is not documented): the
//   changeKey of every contact seen, so the next listing reports only what changed and what left.
// A bare URL is what earlier versions stored (a deltaLink alone) and still reads as delta mode.
import { CursorExpiredError } from "../../sync/ports";

export type FolderToken =
  | { mode: "delta"; link: string; size?: number }
  | { mode: "list"; seen: Record<string, string> };

const PREFIX = "pcs-folder:";

export function encodeFolderToken(token: FolderToken): string {
  return PREFIX + JSON.stringify(token);
}

function unreadable(): CursorExpiredError {
  // A token this version cannot read is not an error the user can act on: a full read is safe (R2, R8).
  return new CursorExpiredError("outlook", "The stored Outlook read token is not readable; a full read is needed.");
}

export function decodeFolderToken(text: string): FolderToken {
  if (!text.startsWith(PREFIX)) {
    if (/^https?:\/\//i.test(text)) return { mode: "delta", link: text };
    throw unreadable();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(PREFIX.length));
  } catch {
    throw unreadable();
  }
  const rec = raw as Record<string, unknown> | null;
  if (rec && rec.mode === "delta" && typeof rec.link === "string") {
    const size = typeof rec.size === "number" && Number.isInteger(rec.size) && rec.size >= 0 ? rec.size : undefined;
    return size === undefined ? { mode: "delta", link: rec.link } : { mode: "delta", link: rec.link, size };
  }
  if (rec && rec.mode === "list" && rec.seen && typeof rec.seen === "object" && !Array.isArray(rec.seen)) {
    const seen: Record<string, string> = {};
    for (const [id, ck] of Object.entries(rec.seen as Record<string, unknown>)) {
      if (typeof ck !== "string") throw unreadable();
      seen[id] = ck;
    }
    return { mode: "list", seen };
  }
  throw unreadable();
}
