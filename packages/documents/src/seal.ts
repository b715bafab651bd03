/**
 * Sealing: the issuing authority's PAdES signature (ETSI.CAdES.detached, baseline B-B) over the whole
 * rendered PDF, and the authority's self-signed credentials. The signature placeholder comes from
 * @signpdf/placeholder-pdf-lib and the byte ranges from @signpdf/signpdf; the CMS is ours (cms.ts), as
 * @signpdf/signer-p12 writes a plain PKCS#7 (signing-time, no ESS signing-certificate-v2), which PAdES
 * baseline does not accept for ETSI.CAdES.detached, and decrypts the PKCS#12 again for every document.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from "node:crypto";
import { promisify } from "node:util";
import type { DocumentSealer, SealCredentials, SealInfo } from "@pledgewatch/core";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { Signer, SignPdf } from "@signpdf/signpdf";
import forge from "node-forge";
import { PDFDocument } from "pdf-lib";
import { buildSignedData, type CertificateParts, certificateParts } from "./cms";

/**
 * Hex digits reserved for the CMS in /Contents: 8 KB of DER. Ours takes about 1.7 KB; the rest leaves
 * room for a longer key, a certificate chain or a timestamp token (PAdES B-T) later.
 */
export const SIGNATURE_LENGTH = 16384;
const SUBFILTER_ETSI_CADES_DETACHED = "ETSI.CAdES.detached";

/** The reason written into every seal: it carries the document code, which the inspector reads back. */
export function sealReason(documentCode: string): string {
  return `Pledgewatch ${documentCode}`;
}

/** Document codes as the inspector recognises them in a seal's reason. */
export const DOCUMENT_CODE_PATTERN = /CK-\d{4}Q[1-4]-[A-Z0-9]{8}/;

export interface AuthorityKey {
  key: KeyObject;
  certificate: CertificateParts;
}

/** PKCS#12 bag types. */
const BAG = {
  key: "1.2.840.113549.1.12.10.1.1",
  shroudedKey: "1.2.840.113549.1.12.10.1.2",
  certificate: "1.2.840.113549.1.12.10.1.3",
} as const;

/** The private key and certificate in a PKCS#12 bundle (the certificate that matches the key). */
export function readCredentials(credentials: SealCredentials): AuthorityKey {
  const p12 = forge.pkcs12.pkcs12FromAsn1(
    forge.asn1.fromDer(Buffer.from(credentials.p12).toString("binary")),
    false,
    credentials.passphrase,
  );
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bags(BAG.shroudedKey), ...bags(BAG.key)];
  const certBags = bags(BAG.certificate);
  const privateKey = keyBags[0]?.key;
  if (!privateKey) throw new Error("the PKCS#12 bundle holds no private key");
  const cert = certBags
    .map((bag) => bag.cert)
    .find((c) => {
      const pub = c?.publicKey as forge.pki.rsa.PublicKey | undefined;
      return pub?.n && pub.n.compareTo(privateKey.n) === 0 && pub.e.compareTo(privateKey.e) === 0;
    });
  if (!cert) throw new Error("the PKCS#12 bundle holds no certificate for its private key");
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  return { key: createPrivateKey(forge.pki.privateKeyToPem(privateKey)), certificate: certificateParts(der) };
}

/** The authority certificate, as the inspector and the verification page use it. */
export interface AuthorityCertificate {
  der: Uint8Array;
  pem: string;
  /** SHA-256 of the DER, lower-case hex. */
  sha256: string;
  commonName: string | undefined;
  validTo: Date;
}

export function authorityCertificate(der: Uint8Array): AuthorityCertificate {
  const x509 = new X509Certificate(der);
  return {
    der: Uint8Array.from(der),
    pem: x509.toString(),
    sha256: createHash("sha256").update(der).digest("hex"),
    commonName: certificateParts(der).subjectCommonName,
    validTo: new Date(x509.validTo),
  };
}

export function certificateFromCredentials(credentials: SealCredentials): AuthorityCertificate {
  return authorityCertificate(readCredentials(credentials).certificate.der);
}

/** The CMS for @signpdf/signpdf: given the bytes outside the /Contents gap, returns the DER SignedData. */
class PadesSigner extends Signer {
  constructor(private readonly authority: AuthorityKey) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const digest = createHash("sha256").update(pdfBuffer).digest();
    return Buffer.from(buildSignedData(digest, this.authority.certificate, this.authority.key));
  }
}

/**
 * PDF text strings for the placeholder's dictionary, which @signpdf writes between parentheses as they
 * come: ASCII as is, anything else as UTF-16BE with a byte-order mark; bytes that are not printable ASCII
 * as octal escapes, and ( ) \ escaped.
 */
export function pdfLiteralBody(text: string): string {
  const clean = text.normalize("NFC").replace(/[\p{Cc}\p{Cf}]/gu, " ");
  const ascii = /^[\x20-\x7e]*$/.test(clean);
  const bytes = ascii ? Buffer.from(clean, "latin1") : Buffer.concat([Buffer.of(0xfe, 0xff), utf16be(clean)]);
  let out = "";
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, "0")}`;
  }
  return out;
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i + 1 < le.length; i += 2) {
    const a = le[i] ?? 0;
    le[i] = le[i + 1] ?? 0;
    le[i + 1] = a;
  }
  return le;
}

export interface SealerOptions {
  /** The signing time written in the signature dictionary (/M); now by default. */
  now?: () => Date;
}

/**
 * Seals with the authority's credentials: loads the PDF, adds an invisible signature field and the
 * signature dictionary (reason, name, location, contact from SealInfo), writes it without object
 * streams, and signs every byte but the signature itself. The credentials are read once, on first use.
 */
export function createPdfSealer(credentials: SealCredentials, options: SealerOptions = {}): DocumentSealer {
  let authority: AuthorityKey | undefined;
  const signPdf = new SignPdf();
  return async (pdf: Uint8Array, info: SealInfo) => {
    authority ??= readCredentials(credentials);
    const signingTime = options.now?.() ?? new Date();
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: pdfLiteralBody(info.reason),
      name: pdfLiteralBody(info.name),
      location: pdfLiteralBody(info.location),
      contactInfo: pdfLiteralBody(info.contactInfo),
      signingTime,
      signatureLength: SIGNATURE_LENGTH,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      appName: "Pledgewatch",
    });
    const prepared = await doc.save({ useObjectStreams: false });
    const signed = await signPdf.sign(Buffer.from(prepared), new PadesSigner(authority), signingTime);
    return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
  };
}

export interface AuthorityIdentity {
  /** The certificate's CN, e.g. "Sở Công Thương tỉnh Ninh Bình". */
  commonName: string;
  /** O, e.g. "Ủy ban nhân dân tỉnh Ninh Bình". */
  organization: string;
  /** ST, when given. */
  province?: string | undefined;
  /** Validity; 10 years by default. */
  years?: number | undefined;
}

/**
 * New sealing credentials: an RSA 2048 key and a self-signed X.509 certificate (digitalSignature and
 * nonRepudiation, CN/O/ST/C=VN), as a PKCS#12 bundle (AES-256) under a random passphrase.
 */
export async function generateAuthorityCredentials(
  identity: AuthorityIdentity,
): Promise<SealCredentials & { certificatePem: string }> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  // A positive serial of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10;
  cert.serialNumber = serial.toString("hex");
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now);
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + (identity.years ?? 10));
  const utf8 = forge.asn1.Type.UTF8;
  const attributes = [
    { shortName: "CN", value: identity.commonName.normalize("NFC"), valueTagClass: utf8 },
    { shortName: "O", value: identity.organization.normalize("NFC"), valueTagClass: utf8 },
    ...(identity.province
      ? [{ shortName: "ST", value: identity.province.normalize("NFC"), valueTagClass: utf8 }]
      : []),
    { shortName: "C", value: "VN" },
  ] as forge.pki.CertificateField[];
  cert.setSubject(attributes);
  cert.setIssuer(attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", critical: true, digitalSignature: true, nonRepudiation: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const passphrase = randomBytes(24).toString("base64url");
  const p12 = forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], passphrase, {
    algorithm: "aes256",
    generateLocalKeyId: true,
    friendlyName: "Pledgewatch seal",
  });
  return {
    p12: new Uint8Array(Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary")),
    passphrase,
    certificatePem: forge.pki.certificateToPem(cert),
  };
}
