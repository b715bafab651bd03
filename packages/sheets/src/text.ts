import { messages } from "./messages";

export type Decoded = { ok: true; text: string } | { ok: false; error: string };

/**
 * Bytes of a text table to a string. The encoding comes from the byte-order mark: Excel's "CSV UTF-8" writes
 * EF BB BF and its "Unicode text" writes FF FE (UTF-16 LE, tab-separated). Without a mark the bytes must be
 * valid UTF-8. Nothing is guessed beyond that: a legacy Windows-1258/1252 file (Excel's plain "CSV" on a
 * Vietnamese Windows) is refused rather than decoded into mojibake that would then be stored as real names.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  try {
    if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decoded(utf8(bytes.subarray(3)));
    if (startsWith(bytes, [0xff, 0xfe])) return decoded(utf16le(bytes.subarray(2)));
    if (startsWith(bytes, [0xfe, 0xff])) return decoded(utf16le(swapBytePairs(bytes.subarray(2))));
    return decoded(utf8(bytes));
  } catch {
    return { ok: false, error: messages.encoding };
  }
}

function decoded(text: string): Decoded {
  // A NUL never occurs in a text table; it does in UTF-16 without a BOM, UTF-32 (whose LE mark starts with
  // FF FE) and binary files that happen to be valid UTF-8.
  if (text.includes("\u0000")) return { ok: false, error: messages.notSpreadsheet };
  return { ok: true, text };
}

// ignoreBOM keeps a mark we did not strip ourselves, so a doubled BOM shows up instead of vanishing silently;
// the cell trimming removes it later anyway (U+FEFF counts as white space for String.prototype.trim).
const utf8 = (bytes: Uint8Array) => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
const utf16le = (bytes: Uint8Array) =>
  new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true }).decode(bytes);

/** UTF-16 BE to LE: Node only has a UTF-16 BE decoder when built with full ICU, LE is always there. */
function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1] ?? 0;
    swapped[i + 1] = bytes[i] ?? 0;
  }
  // An odd trailing byte is kept so the fatal decoder rejects the truncated code unit.
  if (bytes.length % 2 === 1) swapped[bytes.length - 1] = bytes[bytes.length - 1] ?? 0;
  return swapped;
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}
