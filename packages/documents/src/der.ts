/**
 * Just enough ASN.1 DER to build and read a CMS SignedData: encoders that produce exact DER, and a reader
 * that keeps every element's bytes (signatures are checked over the bytes as they were signed, never over
 * a re-encoding). The reader also accepts BER indefinite lengths, which some other signers produce.
 */

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One element: tag, length, contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concat(contents);
  return concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const sequence = (...items: Uint8Array[]) => tlv(TAG.sequence, ...items);
export const octetString = (bytes: Uint8Array) => tlv(TAG.octetString, bytes);
export const derNull = () => Uint8Array.of(TAG.null, 0);
/** Context-specific constructed `[n]`. */
export const explicit = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...items);

/** A SET OF in DER order: the encoded elements sorted as byte strings. */
export function setOf(...items: Uint8Array[]): Uint8Array {
  return tlv(TAG.set, ...[...items].sort(compareBytes));
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function smallInteger(value: number): Uint8Array {
  if (value < 0 || value > 127) throw new RangeError("only 0..127");
  return tlv(TAG.integer, Uint8Array.of(value));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(TAG.oid, Uint8Array.from(bytes));
}

/** A parsed element. `bytes` is the whole element (header included); `content` its contents. */
export interface DerNode {
  tag: number;
  constructed: boolean;
  bytes: Uint8Array;
  content: Uint8Array;
  children: DerNode[];
}

export class DerError extends Error {}

const MAX_DEPTH = 40;

function readNode(input: Uint8Array, start: number, depth: number): DerNode {
  if (depth > MAX_DEPTH) throw new DerError("nested too deeply");
  let at = start;
  const tag = input[at++];
  if (tag === undefined) throw new DerError("truncated");
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers are not supported");
  const constructed = (tag & 0x20) !== 0;
  const first = input[at++];
  if (first === undefined) throw new DerError("truncated");
  if (first === 0x80) {
    // BER indefinite length: children up to an end-of-contents marker (00 00).
    if (!constructed) throw new DerError("indefinite length on a primitive element");
    const children: DerNode[] = [];
    const contentStart = at;
    while (!(input[at] === 0 && input[at + 1] === 0)) {
      if (at >= input.length) throw new DerError("truncated");
      const child = readNode(input, at, depth + 1);
      children.push(child);
      at += child.bytes.length;
    }
    return {
      tag,
      constructed,
      bytes: input.subarray(start, at + 2),
      content: input.subarray(contentStart, at),
      children,
    };
  }
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerError("unsupported length");
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = input[at++];
      if (b === undefined) throw new DerError("truncated");
      length = length * 256 + b;
    }
  }
  const end = at + length;
  if (end > input.length) throw new DerError("truncated");
  const content = input.subarray(at, end);
  const children: DerNode[] = [];
  if (constructed) {
    let pos = 0;
    while (pos < content.length) {
      const child = readNode(content, pos, depth + 1);
      children.push(child);
      pos += child.bytes.length;
    }
  }
  return { tag, constructed, bytes: input.subarray(start, end), content, children };
}

/** Reads the element at the start of `input`; bytes after it (e.g. zero padding) are ignored. */
export function readDer(input: Uint8Array): DerNode {
  return readNode(input, 0, 0);
}

export function oidText(node: DerNode | undefined): string | undefined {
  if (!node || node.tag !== TAG.oid || node.content.length === 0) return undefined;
  const c = node.content;
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < c.length; i++) {
    const b = c[i] ?? 0;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const firstArc = Math.min(2, Math.floor(value / 40));
        arcs.push(firstArc, value - firstArc * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  return arcs.join(".");
}

/** The text of a directory string (UTF8String, PrintableString, IA5String, T61String, BMPString). */
export function stringValue(node: DerNode | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.tag) {
    case TAG.utf8String:
      return new TextDecoder("utf-8").decode(node.content);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.t61String:
      return new TextDecoder("latin1").decode(node.content);
    case TAG.bmpString:
      return new TextDecoder("utf-16be").decode(node.content);
    default:
      return undefined;
  }
}
