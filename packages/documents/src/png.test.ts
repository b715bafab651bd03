import { crc32, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodePng } from "./png";
import { signaturePng } from "./test-fixtures";

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

interface PngSpec {
  width: number;
  height: number;
  colorType: number;
  depth?: number;
  interlace?: number;
  /** Filtered scanlines (filter byte first), concatenated. */
  data: Uint8Array;
  palette?: Uint8Array;
  transparency?: Uint8Array;
  end?: boolean;
}

function encode(spec: PngSpec): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(spec.width, 0);
  header.writeUInt32BE(spec.height, 4);
  header.set([spec.depth ?? 8, spec.colorType, 0, 0, spec.interlace ?? 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    ...(spec.palette ? [chunk("PLTE", spec.palette)] : []),
    ...(spec.transparency ? [chunk("tRNS", spec.transparency)] : []),
    chunk("IDAT", deflateSync(spec.data)),
    ...(spec.end === false ? [] : [chunk("IEND", new Uint8Array())]),
  ]);
}

/** Filters each row of raw pixels with the given filter type (the encoder side of PNG filtering). */
function filterRows(
  pixels: Uint8Array,
  width: number,
  height: number,
  bpp: number,
  filters: number[],
): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const filter = filters[y % filters.length] ?? 0;
    out[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const value = pixels[y * stride + x] ?? 0;
      const left = x >= bpp ? (pixels[y * stride + x - bpp] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= bpp ? (pixels[(y - 1) * stride + x - bpp] ?? 0) : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predicted = [0, left, up, (left + up) >> 1, paeth()][filter] ?? 0;
      out[y * (stride + 1) + 1 + x] = (value - predicted) & 0xff;
    }
  }
  return out;
}

const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + (i >> 3) * 11) & 0xff);

describe("decodePng", () => {
  it("decodes the drawn-signature fixture: RGBA with a transparent background", () => {
    const png = decodePng(signaturePng());
    expect(png?.width).toBe(360);
    expect(png?.height).toBe(120);
    expect(png?.alpha?.[0]).toBe(0);
    const inked = png?.alpha?.indexOf(255) ?? -1;
    expect(inked).toBeGreaterThan(0);
    expect([...(png?.rgb.subarray(inked * 3, inked * 3 + 3) ?? [])]).toEqual([20, 40, 120]);
  });

  it("undoes every filter type, for every supported colour type", () => {
    const width = 7;
    const height = 10;
    for (const [colorType, bpp] of [
      [0, 1],
      [2, 3],
      [4, 2],
      [6, 4],
    ] as const) {
      const pixels = pattern(width * height * bpp);
      const png = decodePng(
        encode({ width, height, colorType, data: filterRows(pixels, width, height, bpp, [0, 1, 2, 3, 4]) }),
      );
      expect(png, `colour type ${colorType}`).not.toBeNull();
      for (let i = 0; i < width * height; i++) {
        const p = pixels.subarray(i * bpp, (i + 1) * bpp);
        const rgb = bpp >= 3 ? [p[0], p[1], p[2]] : [p[0], p[0], p[0]];
        expect([...(png?.rgb.subarray(i * 3, i * 3 + 3) ?? [])]).toEqual(rgb);
        const alpha = colorType === 4 ? p[1] : colorType === 6 ? p[3] : 255;
        expect(png?.alpha?.[i] ?? 255).toBe(alpha);
      }
    }
  });

  it("decodes palette images with transparency", () => {
    const palette = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const data = Uint8Array.from([0, 0, 1, 2, 0, 2, 1, 0]);
    const png = decodePng(
      encode({ width: 3, height: 2, colorType: 3, data, palette, transparency: Uint8Array.of(0) }),
    );
    expect([...(png?.rgb ?? [])]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0]);
    expect([...(png?.alpha ?? [])]).toEqual([0, 255, 255, 255, 255, 0]);
  });

  it("refuses anything malformed or unsupported, without hanging", () => {
    const good = signaturePng(40, 20);
    for (let cut = 0; cut < good.length; cut += 7) expect(decodePng(good.subarray(0, cut))).toBeNull();
    expect(decodePng(good.subarray(0, good.length - 1))).toBeNull();

    const badCrc = Buffer.from(good);
    badCrc[40] = (badCrc[40] ?? 0) ^ 0xff;
    expect(decodePng(badCrc)).toBeNull();

    const rgba = (w: number, h: number, filter = 0) =>
      filterRows(new Uint8Array(w * h * 4), w, h, 4, [filter]);
    expect(decodePng(encode({ width: 4, height: 4, colorType: 6, data: rgba(4, 4), end: false }))).toBeNull();
    expect(decodePng(encode({ width: 4, height: 4, colorType: 6, depth: 16, data: rgba(8, 4) }))).toBeNull();
    expect(
      decodePng(encode({ width: 4, height: 4, colorType: 6, interlace: 1, data: rgba(4, 4) })),
    ).toBeNull();
    expect(decodePng(encode({ width: 4, height: 4, colorType: 6, data: rgba(4, 3) }))).toBeNull();
    expect(decodePng(encode({ width: 4, height: 4, colorType: 6, data: rgba(4, 5) }))).toBeNull();
    const badFilter = rgba(4, 4);
    badFilter[0] = 5;
    expect(decodePng(encode({ width: 4, height: 4, colorType: 6, data: badFilter }))).toBeNull();
    expect(decodePng(encode({ width: 4, height: 4, colorType: 3, data: new Uint8Array(20) }))).toBeNull();
    // too large, and a small file that inflates to far more than its header allows
    expect(decodePng(encode({ width: 5000, height: 10, colorType: 0, data: new Uint8Array(10) }))).toBeNull();
    expect(
      decodePng(encode({ width: 4, height: 4, colorType: 6, data: new Uint8Array(50_000_000) })),
    ).toBeNull();
    expect(decodePng(new TextEncoder().encode("not a png at all, not even close"))).toBeNull();
  });
});
