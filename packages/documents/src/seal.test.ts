import { X509Certificate } from "node:crypto";
import type { SealCredentials, SealInfo } from "@pledgewatch/core";
import forge from "node-forge";
import { PDFDict, PDFDocument, PDFName, PDFString } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { OID, parseSignedData } from "./cms";
import { readDer } from "./der";
import { createPledgeRenderer } from "./render";
import {
  certificateFromCredentials,
  createPdfSealer,
  generateAuthorityCredentials,
  pdfLiteralBody,
  sealReason,
} from "./seal";
import { sampleDocumentInput } from "./test-fixtures";
import { flat, pdfsig, pdfText, qpdfCheck } from "./test-support";

const AUTHORITY = "Sở Công Thương tỉnh Ninh Bình";
const info: SealInfo = {
  name: AUTHORITY,
  reason: sealReason("CK-2026Q1-7KX3M9QP"),
  location: "Ninh Bình, Việt Nam",
  contactInfo: "camket@ninhbinh.gov.vn (Phòng Quản lý thương mại)",
};

let credentials: SealCredentials & { certificatePem: string };
let unsealed: Uint8Array;
let sealed: Uint8Array;
const signingTime = new Date("2026-03-05T07:07:30Z");

beforeAll(async () => {
  credentials = await generateAuthorityCredentials({
    commonName: AUTHORITY,
    organization: "Ủy ban nhân dân tỉnh Ninh Bình",
    province: "Ninh Bình",
  });
  unsealed = await createPledgeRenderer()(sampleDocumentInput());
  sealed = await createPdfSealer(credentials, { now: () => signingTime })(unsealed, info);
});

/** The signature dictionary of the (only) signature field, read back with pdf-lib. */
async function signatureDictionary(pdf: Uint8Array): Promise<PDFDict> {
  const doc = await PDFDocument.load(pdf);
  const field = doc.getForm().getFields()[0];
  const value = field?.acroField.dict.lookup(PDFName.of("V"), PDFDict);
  if (!value) throw new Error("no signature dictionary");
  return value;
}

describe("generateAuthorityCredentials", () => {
  it("makes a self-signed RSA 2048 certificate for signing, valid 10 years, in a PKCS#12 bundle", () => {
    const x509 = new X509Certificate(credentials.certificatePem);
    expect(x509.subject).toBe(x509.issuer);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const years = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.99);
    expect(years).toBeLessThan(10.01);

    const cert = forge.pki.certificateFromPem(credentials.certificatePem);
    // UTF8String values; forge hands back their bytes
    const field = (name: string) => forge.util.decodeUtf8(String(cert.subject.getField(name)?.value));
    expect(field("CN")).toBe(AUTHORITY);
    expect(field("O")).toBe("Ủy ban nhân dân tỉnh Ninh Bình");
    expect(field("ST")).toBe("Ninh Bình");
    expect(field("C")).toBe("VN");
    const usage = cert.getExtension("keyUsage") as Record<string, unknown>;
    expect(usage).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
    expect(cert.getExtension("basicConstraints")).toMatchObject({ cA: false });

    expect(credentials.passphrase.length).toBeGreaterThanOrEqual(24);
    const p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(Buffer.from(credentials.p12).toString("binary")),
      false,
      credentials.passphrase,
    );
    const shroudedKeyBag = "1.2.840.113549.1.12.10.1.2";
    expect(p12.getBags({ bagType: shroudedKeyBag })[shroudedKeyBag]).toHaveLength(1);
  });

  it("gives the certificate back from the credentials, with its SHA-256 fingerprint", () => {
    const cert = certificateFromCredentials(credentials);
    const x509 = new X509Certificate(credentials.certificatePem);
    expect(cert.sha256).toBe(x509.fingerprint256.replaceAll(":", "").toLowerCase());
    expect(Buffer.from(cert.der).equals(x509.raw)).toBe(true);
    expect(cert.commonName).toBe(AUTHORITY);
    expect(cert.validTo.toISOString()).toBe(new Date(x509.validTo).toISOString());
    expect(() => certificateFromCredentials({ ...credentials, passphrase: "wrong" })).toThrow();
  });
});

describe("createPdfSealer", () => {
  it("seals with a PAdES signature over the whole file that pdfsig finds valid", async () => {
    const result = await pdfsig(sealed);
    expect(result.stdout).toContain("Signature Validation: Signature is Valid.");
    expect(result.stdout).toContain("Signature Type: ETSI.CAdES.detached");
    expect(result.stdout).toContain("Total document signed");
    expect(result.stdout).toContain(`Signer Certificate Common Name: ${AUTHORITY}`);
    expect(result.stdout).toContain("Signing Hash Algorithm: SHA-256");
    // self-signed: valid signature, issuer not trusted by the machine
    expect(result.stdout).toMatch(/Certificate Validation: (Certificate issuer is unknown|.*[Uu]ntrusted)/);

    const check = await qpdfCheck(sealed);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("No syntax or stream encoding errors found");
    expect(sealed.length).toBeLessThan(300 * 1024);
    expect(Buffer.from(sealed).subarray(-5).toString("latin1")).toBe("%%EOF");
  });

  it("leaves what the document shows unchanged", async () => {
    expect(flat(await pdfText(sealed))).toBe(flat(await pdfText(unsealed)));
  });

  it("writes reason, name, location, contact and time into the signature dictionary", async () => {
    const dict = await signatureDictionary(sealed);
    const text = (key: string) => dict.lookup(PDFName.of(key), PDFString).decodeText();
    expect(text("Reason")).toBe("Pledgewatch CK-2026Q1-7KX3M9QP");
    expect(text("Name")).toBe(AUTHORITY);
    expect(text("Location")).toBe("Ninh Bình, Việt Nam");
    expect(text("ContactInfo")).toBe(info.contactInfo);
    expect(dict.lookup(PDFName.of("M"), PDFString).decodeDate().toISOString()).toBe(
      signingTime.toISOString(),
    );
    expect(dict.get(PDFName.of("SubFilter"))?.toString()).toBe("/ETSI.CAdES.detached");
  });

  it("writes a CMS as PAdES baseline B-B asks: ESS signing-certificate-v2, no signing-time attribute", async () => {
    const dict = await signatureDictionary(sealed);
    const hex = dict.get(PDFName.of("Contents"))?.toString().slice(1, -1) ?? "";
    const cms = parseSignedData(Buffer.from(hex, "hex"));
    expect(cms.digestAlgorithm).toBe(OID.sha256);
    expect(cms.contentType).toBe(OID.data);
    expect(cms.signer?.subjectCommonName).toBe(AUTHORITY);
    const attributes = readDer(cms.signedAttributes ?? new Uint8Array()).children.map((a) =>
      Buffer.from(a.children[0]?.content ?? []).toString("hex"),
    );
    const oidHex = (dotted: string) => {
      const der = forge.asn1.oidToDer(dotted).getBytes();
      return Buffer.from(der, "binary").toString("hex");
    };
    expect(attributes).toContain(oidHex(OID.signingCertificateV2));
    expect(attributes).toContain(oidHex(OID.messageDigest));
    expect(attributes).not.toContain(oidHex("1.2.840.113549.1.9.5")); // signing-time
  });

  it("seals text of any script in the dictionary without breaking the PDF syntax", async () => {
    const tricky: SealInfo = {
      name: "Sở (Y tế) \\ Ĩĩ ) (",
      reason: sealReason("CK-2026Q2-ABCDEFGH"),
      location: "Huế\n\u0000",
      contactInfo: "😀 ()",
    };
    const pdf = await createPdfSealer(credentials)(unsealed, tricky);
    expect((await pdfsig(pdf)).stdout).toContain("Signature is Valid.");
    expect((await qpdfCheck(pdf)).code).toBe(0);
    const dict = await signatureDictionary(pdf);
    expect(dict.lookup(PDFName.of("Name"), PDFString).decodeText()).toBe(tricky.name);
    expect(dict.lookup(PDFName.of("ContactInfo"), PDFString).decodeText()).toBe("😀 ()");
    expect(pdfLiteralBody("a(b)c\\")).toBe("a\\(b\\)c\\\\");
  });

  it("refuses credentials it cannot open", async () => {
    const seal = createPdfSealer({ ...credentials, passphrase: "not the passphrase" });
    await expect(seal(unsealed, info)).rejects.toThrow();
  });
});
