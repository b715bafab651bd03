import { inflateRawSync } from "node:zlib";

/** Unpacked size a workbook may reach: a 20,000-row sheet is a few tens of MB of XML. */
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;
/** Real workbooks have tens of parts; thousands only serve to make the reader work. */
const MAX_ENTRIES = 10_000;

export type ZipCheck =
  | { ok: true; names: Set<string> }
  | { ok: false; reason: "corrupt" | "too-large" | "unsupported" };

/**
 * Checks a ZIP before exceljs sees it. exceljs (through JSZip) inflates every part of the archive fully into
 * memory, including sheets we never read, and JSZip compares the real size with the declared one only after
 * inflating, so a 10 MB upload can expand to gigabytes ("zip bomb") and take the process down. Here each part
 * is inflated once with a hard output cap equal to its declared size, and the declared sizes must add up to
 * at most `maxUnpackedBytes`; what passes is bounded for exceljs too.
 */
export function checkZip(bytes: Uint8Array, maxUnpackedBytes = MAX_UNPACKED_BYTES): ZipCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd === -1) return { ok: false, reason: "corrupt" };
  const entryCount = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  // 0xFFFF entries means a ZIP64 directory; no honest workbook under the upload limit needs one.
  if (entryCount === 0xffff || entryCount > MAX_ENTRIES) return { ok: false, reason: "unsupported" };

  const names = new Set<string>();
  let total = 0;
  for (let n = 0; n < entryCount; n++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== 0x02014b50) {
      return { ok: false, reason: "corrupt" };
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let localOffset = view.getUint32(offset + 42, true);
    const nameEnd = offset + 46 + nameLength;
    if (nameEnd + extraLength > view.byteLength) return { ok: false, reason: "corrupt" };
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, nameEnd));

    // ZIP64 sizes: fields set to 0xFFFFFFFF are carried, in this order, in extra field 0x0001.
    const zip64 = findExtraField(view, nameEnd, extraLength, 0x0001);
    if (zip64) {
      let at = zip64.start;
      const next = () => {
        const value = at + 8 <= zip64.end ? Number(view.getBigUint64(at, true)) : -1;
        at += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localOffset === 0xffffffff) localOffset = next();
      if (size < 0 || compressedSize < 0 || localOffset < 0) return { ok: false, reason: "corrupt" };
    }

    if (flags & 0x1) return { ok: false, reason: "unsupported" }; // encrypted entry
    if (method !== 0 && method !== 8) return { ok: false, reason: "unsupported" };
    total += size;
    if (total > maxUnpackedBytes) return { ok: false, reason: "too-large" };

    const data = localData(view, localOffset, compressedSize);
    if (!data) return { ok: false, reason: "corrupt" };
    if (method === 0 ? data.byteLength !== size : !inflatesTo(data, size))
      return { ok: false, reason: "corrupt" };

    names.add(name.startsWith("/") ? name.slice(1) : name);
    offset = nameEnd + extraLength + commentLength;
  }
  return { ok: true, names };
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end of the archive.
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === 0x06054b50) return at;
  }
  return -1;
}

function findExtraField(
  view: DataView,
  start: number,
  length: number,
  id: number,
): { start: number; end: number } | undefined {
  let at = start;
  while (at + 4 <= start + length) {
    const fieldId = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (fieldId === id) return { start: at + 4, end: Math.min(at + 4 + size, start + length) };
    at += 4 + size;
  }
  return undefined;
}

function localData(view: DataView, offset: number, compressedSize: number): Uint8Array | undefined {
  if (offset + 30 > view.byteLength || view.getUint32(offset, true) !== 0x04034b50) return undefined;
  const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  if (start + compressedSize > view.byteLength) return undefined;
  return new Uint8Array(view.buffer, view.byteOffset + start, compressedSize);
}

/** True when the deflate stream inflates to exactly `size` bytes; never produces more than that. */
function inflatesTo(data: Uint8Array, size: number): boolean {
  try {
    // maxOutputLength must be at least 1; one byte more than declared is how an overrun is noticed.
    return inflateRawSync(data, { maxOutputLength: size + 1 }).byteLength === size;
  } catch {
    return false;
  }
}
