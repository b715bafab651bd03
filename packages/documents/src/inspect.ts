/**
 * What an uploaded PDF is: ours and intact, ours but changed, signed by someone else, unsigned, encrypted,
 * damaged, or no PDF at all. Works on the bytes (no PDF library, no full parse): a file of any size costs
 * a few scans and one hash of the signed ranges. Never throws.
 *
 * Limits, on purpose: a signature dictionary inside a compressed object stream is not seen (signers write
 * it as a plain object, as the byte ranges have to point into the file), and damage is judged from the
 * file's end (%%EOF, startxref) only, not from a full parse.
 */
import { createHash, type KeyObject, verify, X509Certificate } from "node:crypto";
import {
  MAX_VERIFY_UPLOAD_BYTES,
  type SealCredentials,
  type UploadedPdfInspector,
  type UploadedPdfVerdict,
} from "@pledgewatch/core";
import { DIGESTS, OID, type ParsedSignature, parseSignedData } from "./cms";
import { type AuthorityCertificate, DOCUMENT_CODE_PATTERN, readCredentials } from "./seal";
import { cleanMetadata } from "./text";

/**
 * The largest upload accepted: 20 MiB, core's MAX_VERIFY_UPLOAD_BYTES. The HTTP layer refuses bigger files
 * before calling the inspector.
 */
export const MAX_UPLOAD_BYTES = MAX_VERIFY_UPLOAD_BYTES;

/** A certificate whose seals count as ours: credentials, a certificate (DER) or a PEM string. */
export type TrustedAuthority = SealCredentials | Pick<AuthorityCertificate, "der"> | string;

interface Trusted {
  sha256: string;
  publicKey: KeyObject;
}

function trustedCertificate(authority: TrustedAuthority): Trusted {
  let der: Uint8Array;
  if (typeof authority === "string") der = new X509Certificate(authority).raw;
  else if ("p12" in authority) der = readCredentials(authority).certificate.der;
  else der = authority.der;
  const x509 = new X509Certificate(der);
  return {
    sha256: createHash("sha256").update(x509.raw).digest("hex"),
    publicKey: x509.publicKey,
  };
}

/** Looked for only this far from the start (the spec allows leading junk) and from the end. */
const HEADER_WINDOW = 1024;
const TRAILER_WINDOW = 1024;
/** At most this many signatures are read, the last ones in the file. */
const MAX_SIGNATURES = 32;
/** At most this many "/ByteRange" are looked at, from the end (a crafted file may hold millions). */
const MAX_CANDIDATES = 4096;
/** A signature dictionary is searched for its entries this far around /ByteRange. */
const DICT_WINDOW = 256 * 1024;

interface SignatureField {
  /** Where "/ByteRange" starts. */
  at: number;
  range: [number, number, number, number];
  /** Absolute positions of "<" and ">" around /Contents, when found. */
  contents: { start: number; end: number; hex: string } | undefined;
  reason: string | undefined;
  name: string | undefined;
}

/**
 * The inspector for the authority's certificate(s): give every certificate seals were made with, the
 * current one and those it replaced. Reads the certificates now, so a bad one fails at start-up.
 */
export function createUploadedPdfInspector(
  authority: TrustedAuthority | readonly TrustedAuthority[],
): UploadedPdfInspector {
  const list: readonly TrustedAuthority[] = Array.isArray(authority)
    ? authority
    : [authority as TrustedAuthority];
  const trusted = list.map(trustedCertificate);
  return async (pdf: Uint8Array) => {
    try {
      return inspect(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), trusted);
    } catch {
      return { kind: "damaged", detail: "the file could not be read" };
    }
  };
}

function inspect(buf: Buffer, trusted: readonly Trusted[]): UploadedPdfVerdict {
  const junk = buf.subarray(0, HEADER_WINDOW + 5).indexOf("%PDF-");
  if (junk < 0) return { kind: "not_pdf" };

  const xref = findXref(buf, junk);
  if ("damage" in xref) return { kind: "damaged", detail: xref.damage };
  if (isEncrypted(buf, xref.xref)) return { kind: "encrypted" };

  const fields = signatureFields(buf);
  if (fields.length === 0) return { kind: "unsigned" };

  const judged = fields.map((field) => judge(buf, field, trusted));
  const last = judged[judged.length - 1];
  if (last?.kind === "ours") return last.verdict;
  // The last signature is not ours: if one of ours comes before it, the file was changed after our seal.
  const earlierOurs = judged.findLast((j) => j.kind === "ours");
  if (earlierOurs?.kind === "ours") return { kind: "ours_modified", documentCode: earlierOurs.documentCode };
  if (last?.kind === "other") return { kind: "signed_by_other", signerName: last.signerName };
  return { kind: "damaged", detail: "the signature could not be read" };
}

/** Why the file looks incomplete or broken, or where its last cross-reference section starts. */
function findXref(buf: Buffer, junk: number): { damage: string } | { xref: number } {
  const tailStart = Math.max(0, buf.length - TRAILER_WINDOW);
  const eofInTail = buf.subarray(tailStart).lastIndexOf("%%EOF");
  if (eofInTail < 0) return { damage: "no end-of-file marker: the file is incomplete (truncated?)" };
  const eof = tailStart + eofInTail;
  const startxref = buf.lastIndexOf("startxref", eof);
  if (startxref < 0 || eof - startxref > 64) return { damage: "no startxref before the end-of-file marker" };
  const match = /^startxref\s+(\d{1,12})\s*$/.exec(buf.toString("latin1", startxref, eof));
  if (!match) return { damage: "unreadable startxref" };
  const offset = Number(match[1]);
  const pointsAtXref = (at: number) => {
    if (at <= 0 || at >= buf.length) return false;
    const text = buf.toString("latin1", at, Math.min(buf.length, at + 40)).replace(/^\s+/, "");
    return text.startsWith("xref") || /^\d+\s+\d+\s+obj\b/.test(text);
  };
  if (pointsAtXref(offset)) return { xref: offset };
  if (pointsAtXref(offset + junk)) return { xref: offset + junk };
  return { damage: "the cross-reference offset does not point at a cross-reference section" };
}

/**
 * Whether the last trailer (after an xref table) or cross-reference stream dictionary has /Encrypt: every
 * revision of an encrypted file repeats it there.
 */
function isEncrypted(buf: Buffer, xref: number): boolean {
  const head = buf.toString("latin1", xref, Math.min(buf.length, xref + 64));
  let dictionary: string;
  if (/^\s*xref/.test(head)) {
    const trailer = buf.indexOf("trailer", xref);
    if (trailer < 0) return false;
    dictionary = buf.toString("latin1", trailer, Math.min(buf.length, trailer + 8192));
    const end = dictionary.indexOf("startxref");
    if (end >= 0) dictionary = dictionary.slice(0, end);
  } else {
    dictionary = buf.toString("latin1", xref, Math.min(buf.length, xref + 8192));
    const end = dictionary.indexOf("stream");
    if (end >= 0) dictionary = dictionary.slice(0, end);
  }
  return /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(dictionary);
}

function signatureFields(buf: Buffer): SignatureField[] {
  const positions: number[] = [];
  for (let at = buf.indexOf("/ByteRange"); at >= 0; at = buf.indexOf("/ByteRange", at + 10))
    positions.push(at);
  const found: { at: number; range: [number, number, number, number] }[] = [];
  // From the end: only the last signatures matter, however many "/ByteRange" a crafted file holds.
  const stop = Math.max(0, positions.length - MAX_CANDIDATES);
  for (let i = positions.length - 1; i >= stop && found.length < MAX_SIGNATURES; i--) {
    const at = positions[i] ?? 0;
    const m = /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/.exec(
      buf.toString("latin1", at, Math.min(buf.length, at + 80)),
    );
    if (m) found.unshift({ at, range: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] });
  }
  return found.map(({ at, range }) => {
    // The dictionary's object: from its "obj" to its "endobj", within a window.
    const objStart = buf.lastIndexOf("obj", at);
    const from = Math.max(objStart, 0, at - DICT_WINDOW);
    const objEnd = buf.indexOf("endobj", at);
    const to = Math.min(objEnd < 0 ? buf.length : objEnd, at + DICT_WINDOW);
    return {
      at,
      range,
      contents: hexEntry(buf, "/Contents", from, to),
      reason: stringEntry(buf, "/Reason", from, to),
      name: stringEntry(buf, "/Name", from, to),
    };
  });
}

const isSpace = (b: number | undefined) =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;

/** Where the value of `key` starts, for the first occurrence whose value `accept`s its first byte. */
function entryValueStart(
  buf: Buffer,
  key: string,
  from: number,
  to: number,
  accept: (first: number | undefined) => boolean,
): number | undefined {
  for (let at = buf.indexOf(key, from); at >= 0 && at < to; at = buf.indexOf(key, at + key.length)) {
    let v = at + key.length;
    // "/Name" must not match "/NameX": the key ends at a delimiter or white space.
    const next = buf[v];
    if (next !== undefined && !isSpace(next) && next !== 0x28 && next !== 0x3c && next !== 0x2f) continue;
    while (v < to && isSpace(buf[v])) v++;
    if (accept(buf[v])) return v;
  }
  return undefined;
}

const isStringStart = (b: number | undefined) => b === 0x28 || b === 0x3c;

function hexEntry(buf: Buffer, key: string, from: number, to: number): SignatureField["contents"] {
  const start = entryValueStart(buf, key, from, to, (b) => b === 0x3c);
  if (start === undefined || buf[start + 1] === 0x3c) return undefined;
  const end = buf.indexOf(">", start);
  if (end < 0 || end > to) return undefined;
  return { start, end, hex: buf.toString("latin1", start + 1, end) };
}

/** A PDF text string entry (literal or hex), decoded: UTF-16BE or UTF-8 with a BOM, else Latin-1. */
function stringEntry(buf: Buffer, key: string, from: number, to: number): string | undefined {
  const start = entryValueStart(buf, key, from, to, isStringStart);
  if (start === undefined || (buf[start] === 0x3c && buf[start + 1] === 0x3c)) return undefined;
  const bytes: number[] = [];
  const limit = Math.min(to, start + 4096);
  if (buf[start] === 0x3c) {
    const end = buf.indexOf(">", start);
    if (end < 0 || end > limit) return undefined;
    const hex = buf.toString("latin1", start + 1, end).replace(/[^0-9a-fA-F]/g, "");
    for (let i = 0; i < hex.length; i += 2)
      bytes.push(Number.parseInt(hex.slice(i, i + 2).padEnd(2, "0"), 16));
  } else if (buf[start] === 0x28) {
    let depth = 1;
    let at = start + 1;
    while (at < limit && depth > 0) {
      const b = buf[at++] ?? 0;
      if (b === 0x5c) {
        const e = buf[at++] ?? 0;
        const simple: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 };
        if (simple[e] !== undefined) bytes.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let octal = e - 0x30;
          for (let k = 0; k < 2 && (buf[at] ?? 0) >= 0x30 && (buf[at] ?? 0) <= 0x37; k++) {
            octal = octal * 8 + ((buf[at++] ?? 0x30) - 0x30);
          }
          bytes.push(octal & 0xff);
        } else if (e === 0x0d) {
          if (buf[at] === 0x0a) at++;
        } else if (e !== 0x0a) bytes.push(e);
      } else if (b === 0x28) {
        depth++;
        bytes.push(b);
      } else if (b === 0x29) {
        depth--;
        if (depth > 0) bytes.push(b);
      } else {
        bytes.push(b);
      }
    }
  } else {
    return undefined;
  }
  const raw = Uint8Array.from(bytes);
  if (raw[0] === 0xfe && raw[1] === 0xff) return new TextDecoder("utf-16be").decode(raw.subarray(2));
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return new TextDecoder().decode(raw.subarray(3));
  return Buffer.from(raw).toString("latin1");
}

type Judgement =
  | { kind: "ours"; documentCode: string | undefined; verdict: UploadedPdfVerdict }
  | { kind: "other"; signerName: string | undefined }
  | { kind: "unreadable" };

function judge(buf: Buffer, field: SignatureField, trusted: readonly Trusted[]): Judgement {
  const hex = field.contents?.hex.replace(/\s+/g, "");
  if (!hex || hex.length > 2 * 1024 * 1024 || !/^[0-9a-fA-F]*$/.test(hex)) return { kind: "unreadable" };
  let parsed: ParsedSignature;
  try {
    parsed = parseSignedData(Buffer.from(hex.length % 2 ? `${hex}0` : hex, "hex"));
  } catch {
    return { kind: "unreadable" };
  }
  const signerCert = parsed.signer;
  const fingerprint = signerCert && createHash("sha256").update(signerCert.der).digest("hex");
  const ours = trusted.find((t) => t.sha256 === fingerprint);
  if (!ours) {
    // Someone else's text: one line of printable characters, capped, for the page to show (escaped).
    const name = signerCert?.subjectCommonName ?? parsed.certificates[0]?.subjectCommonName ?? field.name;
    return { kind: "other", signerName: name ? cleanMetadata(name, 200) || undefined : undefined };
  }
  // Our reason is `sealReason(code)`; a seal of ours without a code in it (never made by the sealer) is
  // reported intact with an empty code.
  const documentCode = field.reason ? DOCUMENT_CODE_PATTERN.exec(field.reason)?.[0] : undefined;
  const intact = coversWholeFile(buf, field) && signatureHolds(buf, field, parsed, ours);
  return {
    kind: "ours",
    documentCode,
    verdict: intact
      ? { kind: "ours_intact", documentCode: documentCode ?? "" }
      : { kind: "ours_modified", documentCode },
  };
}

/** The byte ranges cover the whole file but for exactly the /Contents string. */
function coversWholeFile(buf: Buffer, field: SignatureField): boolean {
  const [a, b, c, d] = field.range;
  const contents = field.contents;
  return a === 0 && b > 0 && c > b && c + d === buf.length && contents?.start === b && contents.end + 1 === c;
}

/** The covered bytes hash to the signed message digest, and the signature over the attributes verifies. */
function signatureHolds(buf: Buffer, field: SignatureField, parsed: ParsedSignature, ours: Trusted): boolean {
  const [, b, c, d] = field.range;
  const digestName = parsed.digestAlgorithm ? DIGESTS[parsed.digestAlgorithm] : undefined;
  const rsa: string[] = [OID.rsaEncryption, OID.sha256WithRSA, OID.sha384WithRSA, OID.sha512WithRSA];
  if (
    !digestName ||
    !parsed.signatureAlgorithm ||
    !rsa.includes(parsed.signatureAlgorithm) ||
    !parsed.messageDigest ||
    !parsed.signedAttributes ||
    !parsed.signature ||
    parsed.contentType !== OID.data
  ) {
    return false;
  }
  const digest = createHash(digestName)
    .update(buf.subarray(0, b))
    .update(buf.subarray(c, c + d))
    .digest();
  if (!digest.equals(parsed.messageDigest)) return false;
  try {
    return verify(digestName, parsed.signedAttributes, ours.publicKey, parsed.signature);
  } catch {
    return false;
  }
}
