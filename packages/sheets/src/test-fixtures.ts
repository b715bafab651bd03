import { crc32, deflateRawSync } from "node:zlib";

/** Test helper (not exported by the package): ZIP archives built byte by byte, including malformed ones. */
export type ZipEntry = {
  name: string;
  data: string | Uint8Array;
  method?: "store" | "deflate";
  /** Lie about the unpacked size, as a zip bomb does. */
  declaredSize?: number;
  /** Write the sizes as ZIP64 (0xFFFFFFFF plus extra field 0x0001), as some writers always do. */
  zip64?: boolean;
  encrypted?: boolean;
};

export function zip(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.data === "string" ? new TextEncoder().encode(entry.data) : entry.data;
    const deflate = (entry.method ?? "deflate") === "deflate";
    const stored = deflate ? new Uint8Array(deflateRawSync(raw)) : raw;
    const name = new TextEncoder().encode(entry.name);
    const size = entry.declaredSize ?? raw.byteLength;
    const extra = entry.zip64 ? new Uint8Array(20) : new Uint8Array(0);
    if (entry.zip64) {
      const view = new DataView(extra.buffer);
      view.setUint16(0, 0x0001, true);
      view.setUint16(2, 16, true);
      view.setBigUint64(4, BigInt(size), true);
      view.setBigUint64(12, BigInt(stored.byteLength), true);
    }
    const fields = {
      flags: entry.encrypted ? 1 : 0,
      method: deflate ? 8 : 0,
      crc: crc32(raw),
      compressedSize: entry.zip64 ? 0xffffffff : stored.byteLength,
      size: entry.zip64 ? 0xffffffff : size,
    };

    const local = new Uint8Array(30 + name.byteLength + stored.byteLength);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, fields.flags, true);
    lv.setUint16(8, fields.method, true);
    lv.setUint32(14, fields.crc, true);
    lv.setUint32(18, stored.byteLength, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.byteLength, true);
    local.set(name, 30);
    local.set(stored, 30 + name.byteLength);

    const central = new Uint8Array(46 + name.byteLength + extra.byteLength);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, fields.flags, true);
    cv.setUint16(10, fields.method, true);
    cv.setUint32(16, fields.crc, true);
    cv.setUint32(20, fields.compressedSize, true);
    cv.setUint32(24, fields.size, true);
    cv.setUint16(28, name.byteLength, true);
    cv.setUint16(30, extra.byteLength, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    central.set(extra, 46 + name.byteLength);

    locals.push(local);
    centrals.push(central);
    offset += local.byteLength;
  }
  const directorySize = centrals.reduce((sum, part) => sum + part.byteLength, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, ...centrals, end]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * The smallest workbook Excel accepts, written by hand rather than by exceljs: one sheet whose `<sheetData>`
 * and trailing elements are given, plus optional sheet relationships.
 */
export function handMadeXlsx(
  sheetData: string,
  options: { afterSheetData?: string; sheetRels?: string } = {},
) {
  const entries: ZipEntry[] = [
    {
      name: "[Content_Types].xml",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        "</Types>",
    },
    {
      name: "_rels/.rels",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        "</Relationships>",
    },
    {
      name: "xl/workbook.xml",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        "</Relationships>",
    },
    {
      name: "xl/worksheets/sheet1.xml",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        `<sheetData>${sheetData}</sheetData>${options.afterSheetData ?? ""}</worksheet>`,
    },
  ];
  if (options.sheetRels) {
    entries.push({
      name: "xl/worksheets/_rels/sheet1.xml.rels",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${options.sheetRels}</Relationships>`,
    });
  }
  return zip(entries);
}
