import { randomBytes } from "node:crypto";
import type { SealCredentials, SealInfo, UploadedPdfInspector } from "@pledgewatch/core";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { createUploadedPdfInspector, MAX_UPLOAD_BYTES } from "./inspect";
import { createPledgeRenderer } from "./render";
import {
  certificateFromCredentials,
  createPdfSealer,
  generateAuthorityCredentials,
  sealReason,
} from "./seal";
import { sampleDocumentInput, signaturePng } from "./test-fixtures";
import { encryptWithQpdf, pdfsig, qpdfCheck } from "./test-support";

const CODE = "CK-2026Q1-7KX3M9QP";
const info = (code = CODE): SealInfo => ({
  name: "Sở Công Thương tỉnh Ninh Bình",
  reason: sealReason(code),
  location: "Ninh Bình",
  contactInfo: "camket@ninhbinh.gov.vn",
});

let ours: SealCredentials & { certificatePem: string };
let other: SealCredentials;
let inspect: UploadedPdfInspector;
let rendered: Uint8Array;
let sealed: Uint8Array;

beforeAll(async () => {
  [ours, other] = await Promise.all([
    generateAuthorityCredentials({
      commonName: "Sở Công Thương tỉnh Ninh Bình",
      organization: "UBND tỉnh Ninh Bình",
    }),
    generateAuthorityCredentials({ commonName: "Công ty Chữ ký số Khác", organization: "Khác" }),
  ]);
  inspect = createUploadedPdfInspector(ours);
  rendered = await createPledgeRenderer()(sampleDocumentInput());
  sealed = await createPdfSealer(ours)(rendered, info());
});

async function plainPdf(build?: (doc: PDFDocument) => Promise<void> | void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawText("Hello", { x: 50, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
  await build?.(doc);
  return doc.save();
}

/** Appends a valid incremental update (a new Info dictionary) after the file's last %%EOF. */
function appendIncrementalUpdate(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString("latin1");
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const trailer = text.slice(text.lastIndexOf("trailer"));
  const size = Number(/\/Size (\d+)/.exec(trailer)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)?.[1];
  const objectAt = pdf.length + 1;
  const object = `\n${size} 0 obj\n<< /Producer (Someone else) >>\nendobj\n`;
  const xrefAt = pdf.length + object.length;
  const update =
    `${object}xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(objectAt).padStart(10, "0")} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(pdf), Buffer.from(update, "latin1")]);
}

describe("createUploadedPdfInspector", () => {
  it("recognises our sealed document as intact and reads its code", async () => {
    expect(await inspect(sealed)).toEqual({ kind: "ours_intact", documentCode: CODE });
  });

  it("accepts the authority as credentials, PEM, certificate or a list of them", async () => {
    const cert = certificateFromCredentials(ours);
    for (const authority of [ours.certificatePem, cert, { der: cert.der }, [other, cert]]) {
      expect(await createUploadedPdfInspector(authority)(sealed)).toEqual({
        kind: "ours_intact",
        documentCode: CODE,
      });
    }
    expect(await createUploadedPdfInspector(other)(sealed)).toEqual({
      kind: "signed_by_other",
      signerName: "Sở Công Thương tỉnh Ninh Bình",
    });
  });

  it("reports one changed byte in the signed range as modified, as pdfsig does", async () => {
    const text = Buffer.from(sealed).toString("latin1");
    const changed = Buffer.from(sealed);
    // a digit of the page count in the page tree, well inside the first signed range
    const at = text.indexOf("/Count ") + 7;
    changed[at] = changed[at] === 0x39 ? 0x38 : (changed[at] ?? 0) + 1;
    const sig = await pdfsig(changed);
    expect(sig.stdout).not.toContain("Signature is Valid.");
    expect(sig.stdout).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    expect(await inspect(changed)).toEqual({ kind: "ours_modified", documentCode: CODE });

    // and in the second range, after the signature
    const late = Buffer.from(sealed);
    const trailerAt = text.lastIndexOf("/Size ") + 6;
    late[trailerAt] = (late[trailerAt] ?? 0) ^ 0x01;
    expect(await inspect(late)).toEqual({ kind: "ours_modified", documentCode: CODE });
  });

  it("reports an incremental update after our seal as modified", async () => {
    const updated = appendIncrementalUpdate(sealed);
    expect((await qpdfCheck(updated)).code).toBe(0);
    const sig = await pdfsig(updated);
    expect(sig.stdout).toContain("Signature is Valid.");
    expect(sig.stdout).not.toContain("Total document signed");
    expect(await inspect(updated)).toEqual({ kind: "ours_modified", documentCode: CODE });
  });

  it("reports a document re-signed by someone else after our seal as modified", async () => {
    const resigned = await createPdfSealer(other)(sealed, { ...info(), name: "Khác", reason: "Đồng ý" });
    expect(await inspect(resigned)).toEqual({ kind: "ours_modified", documentCode: CODE });
  });

  it("names the signer of a document someone else sealed", async () => {
    const theirs = await createPdfSealer(other)(rendered, info("CK-2026Q1-AAAAAAAA"));
    expect(await inspect(theirs)).toEqual({ kind: "signed_by_other", signerName: "Công ty Chữ ký số Khác" });
  });

  it("reports unsigned PDFs: plain, with a form, marked PDF/A, or with an empty signature placeholder", async () => {
    expect(await inspect(rendered)).toEqual({ kind: "unsigned" });
    expect(await inspect(await plainPdf())).toEqual({ kind: "unsigned" });

    const form = await plainPdf((doc) => {
      const field = doc.getForm().createTextField("ten_don_vi");
      field.setText("Cong ty ABC");
      field.addToPage(doc.getPage(0), { x: 50, y: 600, width: 200, height: 24 });
      doc
        .getForm()
        .createCheckBox("dong_y")
        .addToPage(doc.getPage(0), { x: 50, y: 560, width: 16, height: 16 });
    });
    expect(await inspect(form)).toEqual({ kind: "unsigned" });

    const pdfa = await plainPdf((doc) => {
      const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
      const stream = doc.context.stream(xmp, { Type: "Metadata", Subtype: "XML" });
      doc.catalog.set(PDFName.of("Metadata"), doc.context.register(stream));
    });
    expect(await inspect(pdfa)).toEqual({ kind: "unsigned" });

    const placeholder = await plainPdf((doc) => {
      pdflibAddPlaceholder({ pdfDoc: doc, reason: "r", contactInfo: "c", name: "n", location: "l" });
    });
    expect(await inspect(placeholder)).toEqual({ kind: "unsigned" });

    // And sealing such files works too: forms merge into the existing AcroForm, XMP stays.
    for (const pdf of [form, pdfa]) {
      const withSeal = await createPdfSealer(ours)(pdf, info());
      expect((await pdfsig(withSeal)).stdout).toContain("Signature is Valid.");
      expect(await inspect(withSeal)).toEqual({ kind: "ours_intact", documentCode: CODE });
    }
  });

  it("reports truncated and broken files as damaged", async () => {
    const half = sealed.slice(0, Math.floor(sealed.length / 2));
    expect(await inspect(half)).toMatchObject({ kind: "damaged" });
    expect(await inspect(sealed.slice(0, sealed.length - 3))).toMatchObject({ kind: "damaged" });
    const badXref = Buffer.from(
      Buffer.from(sealed)
        .toString("latin1")
        .replace(/startxref\s+\d+/, "startxref\n12"),
      "latin1",
    );
    expect(await inspect(badXref)).toMatchObject({ kind: "damaged" });
    // garbage where the signature should be
    const text = Buffer.from(sealed).toString("latin1");
    const start = text.indexOf("/Contents <") + 11;
    const garbage = Buffer.from(sealed);
    garbage.write(randomBytes(200).toString("hex"), start, "latin1");
    expect(await inspect(garbage)).toEqual({ kind: "damaged", detail: "the signature could not be read" });
  });

  it("reports files that are not PDFs", async () => {
    expect(await inspect(new Uint8Array())).toEqual({ kind: "not_pdf" });
    expect(await inspect(randomBytes(4096))).toEqual({ kind: "not_pdf" });
    expect(await inspect(signaturePng())).toEqual({ kind: "not_pdf" });
    expect(await inspect(Buffer.from("<html><body>%PDF</body></html>"))).toEqual({ kind: "not_pdf" });
    const junkTooLong = Buffer.concat([Buffer.alloc(2000, 0x20), Buffer.from(rendered)]);
    expect(await inspect(junkTooLong)).toEqual({ kind: "not_pdf" });
  });

  it("allows up to 1024 bytes of junk before the header, which then breaks our seal's coverage", async () => {
    const junk = Buffer.from("X".repeat(500));
    expect(await inspect(Buffer.concat([junk, Buffer.from(rendered)]))).toEqual({ kind: "unsigned" });
    expect(await inspect(Buffer.concat([junk, Buffer.from(sealed)]))).toEqual({
      kind: "ours_modified",
      documentCode: CODE,
    });
  });

  it("reports encrypted PDFs", async () => {
    expect(await inspect(await encryptWithQpdf(await plainPdf()))).toEqual({ kind: "encrypted" });
    expect(await inspect(await encryptWithQpdf(sealed))).toEqual({ kind: "encrypted" });
  });

  it("handles a file at the size limit without loading it into a PDF library", async () => {
    const big = await plainPdf((doc) => {
      const stream = doc.context.stream(randomBytes(MAX_UPLOAD_BYTES - 64 * 1024));
      doc.catalog.set(PDFName.of("Filler"), doc.context.register(stream));
    });
    expect(big.length).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(big.length).toBeGreaterThan(MAX_UPLOAD_BYTES - 256 * 1024);
    expect(await inspect(big)).toEqual({ kind: "unsigned" });
  });
});
