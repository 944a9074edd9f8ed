// Reads an exported file's bytes as text. Outlook and spreadsheets write UTF-8 (with or without a byte
// order mark), UTF-16 ("Unicode") or the Windows code page; a file that is not what it claims is refused
// with the line of the first bad byte rather than read with replacement characters.
import { FileRefusal } from "./file-refusal";

export type TextEncoding = "utf-8" | "windows-1252";

export function decodeText(file: string, bytes: Uint8Array, encoding: TextEncoding = "utf-8"): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(file, bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  if (encoding === "windows-1252") return new TextDecoder("windows-1252").decode(bytes);
  return utf8(file, bytes);
}

function utf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FileRefusal(file, [
      {
        line: firstBadUtf8Line(bytes),
        reason: "the file is not UTF-8 text; if it came from Outlook for Windows as \"Comma Separated Values\", give --encoding windows-1252",
      },
    ]);
  }
}

function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return 1;
}
