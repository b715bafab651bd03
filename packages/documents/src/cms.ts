/**
 * The CMS (PKCS#7) SignedData in a PDF signature's /Contents: built for our seals as PAdES baseline B-B
 * asks (ETSI EN 319 142-1: detached, signed attributes content-type, message-digest and ESS
 * signing-certificate-v2, no signing-time attribute: the time is the signature dictionary's /M), and read
 * back from uploaded files.
 */
import { createHash, type KeyObject, sign } from "node:crypto";
import {
  DerError,
  type DerNode,
  derNull,
  explicit,
  octetString,
  oid,
  oidText,
  readDer,
  sequence,
  setOf,
  smallInteger,
  stringValue,
  TAG,
  tlv,
} from "./der";

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  sha384WithRSA: "1.2.840.113549.1.1.12",
  sha512WithRSA: "1.2.840.113549.1.1.13",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  commonName: "2.5.4.3",
} as const;

/** Digest names Node knows, by algorithm OID. */
export const DIGESTS: Record<string, string> = {
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

/** The parts of an X.509 certificate a signature refers to. */
export interface CertificateParts {
  der: Uint8Array;
  /** The whole INTEGER element. */
  serial: Uint8Array;
  /** The whole issuer Name element. */
  issuer: Uint8Array;
  subjectCommonName: string | undefined;
}

export function certificateParts(der: Uint8Array): CertificateParts {
  const cert = readDer(der);
  const tbs = cert.children[0];
  if (cert.tag !== TAG.sequence || !tbs || tbs.tag !== TAG.sequence) throw new DerError("not a certificate");
  const o = tbs.children[0]?.tag === 0xa0 ? 1 : 0;
  const serial = tbs.children[o];
  const issuer = tbs.children[o + 2];
  const subject = tbs.children[o + 4];
  if (!serial || serial.tag !== TAG.integer || !issuer || !subject) throw new DerError("not a certificate");
  return {
    der: cert.bytes,
    serial: serial.bytes,
    issuer: issuer.bytes,
    subjectCommonName: commonName(subject),
  };
}

function commonName(name: DerNode): string | undefined {
  for (const rdn of name.children) {
    for (const attribute of rdn.children) {
      if (oidText(attribute.children[0]) === OID.commonName) return stringValue(attribute.children[1]);
    }
  }
  return undefined;
}

const algorithm = (dotted: string, withNull = false) =>
  withNull ? sequence(oid(dotted), derNull()) : sequence(oid(dotted));
const attribute = (type: string, value: Uint8Array) => sequence(oid(type), setOf(value));

/** A detached SignedData over `digest` (SHA-256 of the covered bytes), signed with `key` (RSA). */
export function buildSignedData(
  digest: Uint8Array,
  certificate: CertificateParts,
  key: KeyObject,
): Uint8Array {
  const certHash = createHash("sha256").update(certificate.der).digest();
  const essCertIdV2 = sequence(
    // hashAlgorithm omitted: SHA-256 is the default
    octetString(certHash),
    sequence(sequence(tlv(0xa4, certificate.issuer)), certificate.serial),
  );
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(digest)),
    attribute(OID.signingCertificateV2, sequence(sequence(essCertIdV2))),
  ];
  const signedAttributes = setOf(...attributes);
  const signature = sign("sha256", signedAttributes, key);
  // The signed attributes go in as [0] IMPLICIT: the same contents under tag A0.
  const implicitAttributes = Uint8Array.from(signedAttributes);
  implicitAttributes[0] = 0xa0;
  const signerInfo = sequence(
    smallInteger(1),
    sequence(certificate.issuer, certificate.serial),
    algorithm(OID.sha256),
    implicitAttributes,
    algorithm(OID.rsaEncryption, true),
    octetString(signature),
  );
  const signedData = sequence(
    smallInteger(1),
    setOf(algorithm(OID.sha256)),
    sequence(oid(OID.data)),
    explicit(0, certificate.der),
    setOf(signerInfo),
  );
  return sequence(oid(OID.signedData), explicit(0, signedData));
}

/** What an uploaded signature says, enough to tell whose it is and to check it. */
export interface ParsedSignature {
  certificates: CertificateParts[];
  /** The certificate of the (first) signer, when it is among `certificates`. */
  signer: CertificateParts | undefined;
  digestAlgorithm: string | undefined;
  signatureAlgorithm: string | undefined;
  /** The signed attributes re-tagged as a SET: the bytes the signature is over. */
  signedAttributes: Uint8Array | undefined;
  messageDigest: Uint8Array | undefined;
  contentType: string | undefined;
  signature: Uint8Array | undefined;
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Reads a SignedData; throws DerError when it is not one. */
export function parseSignedData(bytes: Uint8Array): ParsedSignature {
  const info = readDer(bytes);
  if (info.tag !== TAG.sequence || oidText(info.children[0]) !== OID.signedData) {
    throw new DerError("not a CMS SignedData");
  }
  const signedData = info.children[1]?.children[0];
  if (!signedData || signedData.tag !== TAG.sequence) throw new DerError("not a CMS SignedData");
  const certificates: CertificateParts[] = [];
  let signerInfos: DerNode | undefined;
  for (const child of signedData.children.slice(3)) {
    if (child.tag === 0xa0) {
      for (const cert of child.children) {
        try {
          certificates.push(certificateParts(cert.bytes));
        } catch {
          // attribute certificates and the like: not X.509 certificates
        }
      }
    } else if (child.tag === TAG.set) {
      signerInfos = child;
    }
  }
  const signerInfo = signerInfos?.children[0];
  if (!signerInfo || signerInfo.tag !== TAG.sequence) throw new DerError("no SignerInfo");
  const [, sid, digestAlgorithm, ...rest] = signerInfo.children;
  let signer: CertificateParts | undefined;
  if (sid?.tag === TAG.sequence) {
    const [issuer, serial] = sid.children;
    signer = certificates.find(
      (c) => issuer && serial && equalBytes(c.issuer, issuer.bytes) && equalBytes(c.serial, serial.bytes),
    );
  } else if (certificates.length === 1) {
    // identified by subject key identifier: with a single certificate there is no doubt
    signer = certificates[0];
  }
  const attributesNode = rest[0]?.tag === 0xa0 ? rest.shift() : undefined;
  const [signatureAlgorithm, signature] = rest;
  let signedAttributes: Uint8Array | undefined;
  let messageDigest: Uint8Array | undefined;
  let contentType: string | undefined;
  if (attributesNode) {
    signedAttributes = Uint8Array.from(attributesNode.bytes);
    signedAttributes[0] = TAG.set;
    for (const attr of attributesNode.children) {
      const type = oidText(attr.children[0]);
      const value = attr.children[1]?.children[0];
      if (type === OID.messageDigest && value?.tag === TAG.octetString) messageDigest = value.content;
      if (type === OID.contentType) contentType = oidText(value);
    }
  }
  return {
    certificates,
    signer,
    digestAlgorithm: oidText(digestAlgorithm?.children[0]),
    signatureAlgorithm: oidText(signatureAlgorithm?.children[0]),
    signedAttributes,
    messageDigest,
    contentType,
    signature: signature?.tag === TAG.octetString ? signature.content : undefined,
  };
}
