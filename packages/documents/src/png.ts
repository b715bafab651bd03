/**
 * A strict decoder for the drawn-signature PNG, which comes from the signer's browser and is therefore
 * untrusted. pdf-lib's own PNG path (UPNG) never returns on some malformed files (a PNG cut short hangs
 * `embedPng`), so the renderer decodes here and embeds raw pixels: every chunk bounded and CRC-checked,
 * IEND required, the image data inflated with a cap and required to be exactly as long as the header says.
 * Supported: 8-bit greyscale, RGB, palette, greyscale+alpha and RGBA, not interlaced (what a canvas
 * exports). Anything else is refused (null), never guessed at.
 */
import { crc32, inflateSync } from "node:zlib";

export interface DecodedPng {
  width: number;
  height: number;
  /** 3 bytes per pixel. */
  rgb: Uint8Array;
  /** 1 byte per pixel; absent when every pixel is opaque. */
  alpha: Uint8Array | undefined;
}

export const PNG_LIMITS = { maxSide: 4_000, maxPixels: 2_000_000 } as const;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes per pixel of each supported colour type at 8 bits. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function decodePng(png: Uint8Array): DecodedPng | null {
  try {
    return decode(png);
  } catch {
    return null;
  }
}

function decode(png: Uint8Array): DecodedPng | null {
  if (png.length < 45 || SIGNATURE.some((b, i) => png[i] !== b)) return null;
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let header: { width: number; height: number; depth: number; type: number; interlace: number } | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const data: Uint8Array[] = [];
  let ended = false;
  while (at + 12 <= png.length) {
    const length = dv.getUint32(at);
    if (length > png.length - at - 12) return null;
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== dv.getUint32(at + 8 + length)) return null;
    at += 12 + length;
    if (!header && type !== "IHDR") return null;
    if (type === "IHDR") {
      if (header || length !== 13) return null;
      const h = new DataView(body.buffer, body.byteOffset, body.byteLength);
      header = {
        width: h.getUint32(0),
        height: h.getUint32(4),
        depth: h.getUint8(8),
        type: h.getUint8(9),
        interlace: h.getUint8(12),
      };
      if (h.getUint8(10) !== 0 || h.getUint8(11) !== 0) return null;
    } else if (type === "PLTE") {
      palette = body;
    } else if (type === "tRNS") {
      transparency = body;
    } else if (type === "IDAT") {
      data.push(body);
    } else if (type === "IEND") {
      ended = true;
      break;
    }
  }
  if (!header || !ended || data.length === 0) return null;
  const { width, height, depth, type, interlace } = header;
  const channels = CHANNELS[type];
  if (depth !== 8 || interlace !== 0 || channels === undefined) return null;
  if (width === 0 || height === 0 || width > PNG_LIMITS.maxSide || height > PNG_LIMITS.maxSide) return null;
  if (width * height > PNG_LIMITS.maxPixels) return null;
  if (type === 3 && (!palette || palette.length % 3 !== 0)) return null;

  const stride = width * channels;
  const expected = height * (stride + 1);
  const raw = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 1 });
  if (raw.length !== expected) return null;
  const pixels = unfilter(raw, width, height, channels);
  if (!pixels) return null;

  const count = width * height;
  const rgb = new Uint8Array(count * 3);
  const alpha = new Uint8Array(count).fill(255);
  for (let i = 0; i < count; i++) {
    const p = i * channels;
    let r: number;
    let g: number;
    let b: number;
    switch (type) {
      case 0:
        r = g = b = pixels[p] ?? 0;
        break;
      case 4:
        r = g = b = pixels[p] ?? 0;
        alpha[i] = pixels[p + 1] ?? 255;
        break;
      case 3: {
        const index = pixels[p] ?? 0;
        r = palette?.[index * 3] ?? 0;
        g = palette?.[index * 3 + 1] ?? 0;
        b = palette?.[index * 3 + 2] ?? 0;
        alpha[i] = transparency?.[index] ?? 255;
        break;
      }
      default:
        r = pixels[p] ?? 0;
        g = pixels[p + 1] ?? 0;
        b = pixels[p + 2] ?? 0;
        if (type === 6) alpha[i] = pixels[p + 3] ?? 255;
    }
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
  }
  return { width, height, rgb, alpha: alpha.every((a) => a === 255) ? undefined : alpha };
}

/** Undoes the per-row filters (None, Sub, Up, Average, Paeth); null on an unknown filter. */
function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array | null {
  const stride = width * bpp;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    const prior = row - stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? (out[row + x - bpp] ?? 0) : 0;
      const up = y > 0 ? (out[prior + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= bpp ? (out[prior + x - bpp] ?? 0) : 0;
      const value = line[x] ?? 0;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left;
          break;
        case 2:
          predicted = up;
          break;
        case 3:
          predicted = (left + up) >> 1;
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
          break;
        }
        default:
          return null;
      }
      out[row + x] = (value + predicted) & 0xff;
    }
  }
  return out;
}
