import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  createPdfSealer,
  createPledgeRenderer,
  generateAuthorityCredentials,
  sampleDocumentInput,
} from "@pledgewatch/documents";
import { PDFDocument, PDFName, PDFString } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform, testSealCredentials } from "../support/platform";

const run = promisify(execFile);
let platform: Awaited<ReturnType<typeof createTestPlatform>>;
let csrf = "";
let address = 0;

beforeAll(async () => {
  platform = await createTestPlatform({ seed: false });
  const page = await platform.app.request("/verify");
  csrf = /pw_pcsrf=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")?.[1] ?? "";
  expect(csrf.length).toBeGreaterThan(20);
});

/** Uploads through the public form, as a browser would; each upload from its own address (rate limit). */
async function upload(bytes: Uint8Array, name = "document.pdf") {
  const form = new FormData();
  form.set("_csrf", csrf);
  form.set("file", new File([bytes as Uint8Array<ArrayBuffer>], name, { type: "application/pdf" }));
  const res = await platform.app.request(
    "/verify",
    { method: "POST", body: form, headers: { Cookie: `pw_pcsrf=${csrf}`, Origin: "http://localhost" } },
    { remoteAddress: `198.51.100.${address++}` },
  );
  const html = await res.text();
  const message = /data-testid="verify-message"[^>]*>([^<]*)</.exec(html)?.[1] ?? "";
  return { status: res.status, message };
}

async function plainPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText("Hello");
  return doc.save();
}

describe("/verify answers any uploaded file clearly, never with a 500", () => {
  it("recognises one of our documents, and says when it was changed", async () => {
    const sealed = await createPdfSealer(await testSealCredentials())(
      await createPledgeRenderer()(sampleDocumentInput()),
      {
        name: "Sở Công Thương Ninh Bình",
        reason: "Pledgewatch CK-2026Q1-7KX3M9QP",
        location: "Ninh Bình",
        contactInfo: "localhost",
      },
    );
    const intact = await upload(sealed);
    expect(intact.status).toBe(200);
    expect(intact.message).toContain("chưa bị thay đổi");
    const changed = new Uint8Array(sealed);
    const at = Buffer.from(sealed).indexOf("/Producer");
    changed[at + 2] = "R".charCodeAt(0);
    expect((await upload(changed)).message).toContain("đã bị thay đổi");
    const appended = new Uint8Array([...sealed, ...new TextEncoder().encode("\n% added after sealing\n")]);
    expect((await upload(appended)).message).toContain("đã bị thay đổi");
    expect((await upload(await createPledgeRenderer()(sampleDocumentInput()))).message).toContain(
      "không có chữ ký số",
    );
  });

  it("tells a PDF signed by someone else", async () => {
    const other = await generateAuthorityCredentials({
      commonName: "Công ty Ký Số Khác",
      organization: "Khác",
    });
    const render = createPledgeRenderer();
    const sealed = await createPdfSealer(other)(await render(sampleDocumentInput()), {
      name: "Công ty Ký Số Khác",
      reason: "Ký thử",
      location: "Hà Nội",
      contactInfo: "khac.example.vn",
    });
    const answer = await upload(sealed);
    expect(answer.status).toBe(200);
    expect(answer.message).toContain("được ký bởi đơn vị khác");
    expect(answer.message).toContain("Công ty Ký Số Khác");
  });

  it("answers encrypted, form, PDF/A, truncated and non-PDF files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pw-verify-"));
    writeFileSync(join(dir, "plain.pdf"), await plainPdf());
    await run("qpdf", [
      "--encrypt",
      "user",
      "owner",
      "256",
      "--",
      join(dir, "plain.pdf"),
      join(dir, "enc.pdf"),
    ]);
    const encrypted = new Uint8Array(readFileSync(join(dir, "enc.pdf")));
    expect((await upload(encrypted)).message).toContain("mã hóa");

    const withForm = await PDFDocument.create();
    const page = withForm.addPage();
    withForm.getForm().createTextField("ho_ten").addToPage(page, { x: 50, y: 700 });
    expect((await upload(await withForm.save())).message).toContain("không có chữ ký số");

    const pdfA = await PDFDocument.create();
    pdfA.addPage().drawText("PDF/A");
    const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
    const metadata = pdfA.context.stream(xmp, { Type: "Metadata", Subtype: "XML" });
    pdfA.catalog.set(PDFName.of("Metadata"), pdfA.context.register(metadata));
    pdfA.setTitle("PDF/A mẫu");
    pdfA.catalog.set(PDFName.of("Lang"), PDFString.of("vi"));
    expect((await upload(await pdfA.save())).message).toContain("không có chữ ký số");

    const whole = await plainPdf();
    const truncated = whole.slice(0, Math.floor(whole.length / 2));
    expect((await upload(truncated)).message).toContain("bị hỏng");

    expect(
      (await upload(new TextEncoder().encode("Xin chào, đây không phải PDF"), "note.pdf")).message,
    ).toContain("không phải là PDF");
    const empty = await upload(new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(empty.message).toContain("chọn một tệp PDF");
  });

  it("refuses a 50 MB upload with a clear answer before reading it", async () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    big.set(new TextEncoder().encode("%PDF-1.7\n"));
    const answer = await upload(big, "lon.pdf");
    expect(answer.status).toBe(413);
    expect(answer.message).toContain("quá lớn");
  });

  it("refuses an upload without the form's token", async () => {
    const form = new FormData();
    form.set(
      "file",
      new File([(await plainPdf()) as Uint8Array<ArrayBuffer>], "a.pdf", { type: "application/pdf" }),
    );
    const res = await platform.app.request("/verify", {
      method: "POST",
      body: form,
      headers: { Origin: "http://localhost" },
    });
    expect(res.status).toBe(400);
  });
});
