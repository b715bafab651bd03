import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fontkit from "@pdf-lib/fontkit";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { loadFonts } from "./fonts";
import { createPledgeRenderer } from "./render";
import { parseTrueType, subsetTrueType } from "./subset";
import { sampleDocumentInput, signaturePng, vietnameseAlphabet } from "./test-fixtures";
import { flat, onPdf, pdfText, qpdfCheck, run, withTempDir } from "./test-support";

const render = createPledgeRenderer();

/** The alphabet in space-separated groups short enough to stay on one line. */
function alphabetWords(): string[] {
  const chars = [...vietnameseAlphabet()];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 12) words.push(chars.slice(i, i + 12).join(""));
  return words;
}

async function pageCount(pdf: Uint8Array): Promise<number> {
  const info = await onPdf(pdf, "pdfinfo", ["{}"]);
  return Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1]);
}

describe("createPledgeRenderer", () => {
  it("draws the whole pledge so that its text comes back exactly", async () => {
    const input = sampleDocumentInput();
    const pdf = await render(input);
    const text = flat(await pdfText(pdf));

    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc");
    expect(text).toContain(input.title);
    expect(text).toContain("Kỳ cam kết: Quý I/2026");
    expect(text).toContain("Kính gửi: Sở Công Thương tỉnh Ninh Bình");
    expect(text).toContain("Nguyễn Thị Hồng Nhung");
    expect(text).toContain("Công ty TNHH Thương mại Điện tử Hồng Nhung Ninh Bình");
    expect(text).toContain("Mã số thuế: 2700123456");
    for (const p of input.preamble) expect(text).toContain(p);
    for (const [i, c] of input.commitments.entries()) expect(text).toContain(`${i + 1}. ${c}`);
    for (const d of input.declarations) {
      expect(text).toContain(`${d.label}:`);
      expect(text).toContain(d.value);
    }
    expect(text).toContain(input.closing);
    // 07:07:09 UTC is 14:07:09 in Vietnam; months from 3 on without a leading zero (Nghị định 30/2020).
    expect(text).toContain("Ninh Bình, ngày 05 tháng 3 năm 2026");
    expect(text).toContain("ĐẠI DIỆN BÊN CAM KẾT");
    expect(text).toContain("CHỨNG NHẬN KÝ ĐIỆN TỬ");
    expect(text).toContain("05/03/2026 14:07:09 Ký văn bản");
    expect(text).toContain("03/03/2026 14:07:09 Gửi thư mời ký 10.0.12.4 Pledgewatch/1.0 (hệ thống)");
    expect(text).toContain(input.documentCode);
    expect(text).toContain(`Xác minh: ${input.verifyUrl}`);
    const pages = await pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Trang ${p}/${pages}`);
  });

  it("draws every Vietnamese letter in every face, and text comes back in NFC", async () => {
    const words = alphabetWords();
    const pdf = await render(
      sampleDocumentInput({
        party: { ...sampleDocumentInput().party, name: words.join(" ") },
        typedSignature: words.join(" "),
        declarations: [
          { label: "Bảng chữ cái", value: words.join(" ") },
          { label: "Dấu", value: "ỷ ỹ ỵ Ự ữ ằ ẳ ẵ ặ đ Đ" },
        ],
        // typed in decomposed form (NFD), as some keyboards send it
        signer: { name: "Nguyễn Thị Hồng Nhung".normalize("NFD"), title: "Giám đốc", email: "a@b.vn" },
        drawnSignaturePng: undefined,
      }),
    );
    // -raw: in content order. pdftotext's layout analysis (the default) drops the spaces between
    // one-letter words with stacked accents ("ỷỹỵ"), although the PDF draws them.
    const text = flat(await pdfText(pdf, "-raw"));
    expect(text).toContain("Dấu: ỷ ỹ ỵ Ự ữ ằ ẳ ẵ ặ đ Đ");
    expect(text).toContain("Nguyễn Thị Hồng Nhung");
    // bold (party name), italic (typed signature) and regular (declaration): the alphabet three times
    const all = words.join(" ");
    expect(text.split(all).length - 1).toBeGreaterThanOrEqual(3);
  });

  it("embeds the three Noto Sans faces as subsets with Unicode maps, in a file qpdf finds sound", async () => {
    const pdf = await render(sampleDocumentInput());
    const fonts = await onPdf(pdf, "pdffonts", ["{}"]);
    const rows = fonts.stdout.split("\n").filter((l) => /NotoSans/.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0]?.replace(/^[A-Z]{6}\+/, "")).sort()).toEqual([
      "NotoSans-Bold",
      "NotoSans-Italic",
      "NotoSans-Regular",
    ]);
    for (const row of rows) expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    const check = await qpdfCheck(pdf);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("No syntax or stream encoding errors found");
    expect(pdf.length).toBeLessThan(150 * 1024);
  });

  it("keeps every glyph's outline in the subset, composite accented letters included", async () => {
    const bytes = (await loadFonts()).bold;
    const full = fontkit.create(bytes);
    const map = new Map<number, number>();
    for (const ch of vietnameseAlphabet()) {
      const cp = ch.codePointAt(0) ?? 0;
      map.set(cp, full.glyphForCodePoint(cp).id);
    }
    const subset = fontkit.create(subsetTrueType(parseTrueType(bytes), map));
    for (const ch of vietnameseAlphabet()) {
      const cp = ch.codePointAt(0) ?? 0;
      const original = full.glyphForCodePoint(cp);
      const kept = subset.glyphForCodePoint(cp);
      expect(kept.id, ch).toBe(original.id);
      expect(kept.advanceWidth, ch).toBe(original.advanceWidth);
      expect(kept.path.toSVG().length, ch).toBeGreaterThan(20);
      expect(kept.path.toSVG(), ch).toBe(original.path.toSVG());
    }
  });

  it("writes the metadata, deterministically", async () => {
    const input = sampleDocumentInput();
    const pdf = await render(input);
    const again = await render(sampleDocumentInput());
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
    const info = (await onPdf(pdf, "pdfinfo", ["-isodates", "{}"])).stdout;
    expect(info).toMatch(/^Title:\s+BẢN CAM KẾT KHÔNG KINH DOANH HÀNG GIẢ/m);
    expect(info).toMatch(/^Author:\s+Sở Công Thương tỉnh Ninh Bình$/m);
    expect(info).toMatch(/^Subject:\s+CK-2026Q1-7KX3M9QP$/m);
    expect(info).toMatch(/^Keywords:.*CK-2026Q1-7KX3M9QP/m);
    expect(info).toMatch(/^Producer:\s+Pledgewatch$/m);
    expect(info).toMatch(/^CreationDate:\s+2026-03-05T07:07:09/m);
    expect(info).toMatch(/^ModDate:\s+2026-03-05T07:07:09/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
  });

  it("draws the drawn signature, and leaves out a PNG it cannot or should not decode", async () => {
    const images = async (png: Uint8Array | undefined) => {
      const pdf = await render(sampleDocumentInput({ drawnSignaturePng: png }));
      const list = await onPdf(pdf, "pdfimages", ["-list", "{}"]);
      return list.stdout.split("\n").filter((l) => /^\s+\d+\s+\d+\s+(image|smask)/.test(l));
    };
    const drawn = await images(signaturePng());
    expect(drawn.map((l) => l.trim().split(/\s+/)[2])).toEqual(["image", "smask"]);
    expect(drawn[0]).toMatch(/image\s+360\s+120/);
    expect(await images(undefined)).toEqual([]);

    const broken = signaturePng().slice(0, 60);
    expect(await images(broken)).toEqual([]);
    const huge = signaturePng(8, 8);
    new DataView(huge.buffer).setUint32(16, 50_000);
    expect(await images(huge)).toEqual([]);
    expect(await images(new TextEncoder().encode("<svg onload=alert(1)>"))).toEqual([]);
  });

  it("only draws what people typed: controls removed, characters without a glyph shown as ?", async () => {
    const hostile = "A\u0000B\u0007C\u202eD\u200bE\u00adF 😀 漢字 (x) \\ %%EOF /ByteRange [0 1 2 3] <script>";
    const pdf = await render(
      sampleDocumentInput({
        party: { ...sampleDocumentInput().party, name: hostile },
        signer: { name: "Trần\tVăn\r\nĐức", title: `Giám đốc x${"\u0301".repeat(5)}`, email: "x@y.vn" },
        audit: [
          { at: new Date("2026-03-05T07:07:09Z"), event: "Ký\u0000 văn bản", ip: undefined, userAgent: "😀" },
        ],
      }),
    );
    const text = flat(await pdfText(pdf));
    expect(text).toContain("ABCDEF ? ?? (x) \\ %%EOF /ByteRange [0 1 2 3] <script>");
    expect(text).toContain("Trần Văn Đức");
    expect(text).toContain("05/03/2026 14:07:09 Ký văn bản – ?");
    expect((await qpdfCheck(pdf)).code).toBe(0);
  });

  it("breaks pages, repeats the audit table's header, and numbers every page", async () => {
    const base = sampleDocumentInput();
    const commitments = Array.from(
      { length: 30 },
      (_, i) => `${base.commitments[i % base.commitments.length]} (${i + 1})`,
    );
    const audit = Array.from({ length: 60 }, (_, i) => ({
      at: new Date(base.signedAt.getTime() - (60 - i) * 60_000),
      event: `Sự kiện số ${i + 1}`,
      ip: "113.161.72.18",
      userAgent: base.audit[1]?.userAgent,
    }));
    const pdf = await render({ ...base, commitments, audit });
    const pages = await pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(5);
    const text = flat(await pdfText(pdf));
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Trang ${p}/${pages}`);
    for (const [i, c] of commitments.entries()) expect(text).toContain(`${i + 1}. ${c}`);
    for (const e of audit) expect(text).toContain(e.event);
    expect(text.split("Thiết bị (User-Agent)").length - 1).toBeGreaterThanOrEqual(2);
    // the certificate page starts on a page of its own, after the signature
    const perPage = (await pdfText(pdf, "-layout")).split("\f");
    const certificatePage = perPage.findIndex((p) => p.includes("CHỨNG NHẬN KÝ ĐIỆN TỬ"));
    const signaturePage = perPage.findIndex((p) => p.includes("ĐẠI DIỆN BÊN CAM KẾT"));
    expect(certificatePage).toBeGreaterThan(signaturePage);
    expect(perPage[certificatePage]).not.toContain("ĐẠI DIỆN BÊN CAM KẾT");
  });

  it("never leaves the signature block alone on a page: the closing paragraph goes with it (issue 24, item 14)", async () => {
    const base = sampleDocumentInput();
    const sentence = "Người bán phải cung cấp hóa đơn, chứng từ nguồn gốc hàng hóa khi được yêu cầu. ";
    const closingStart = flat(base.closing).slice(0, 40);
    // Declarations of growing length move the end of the text through every position on the page.
    for (let n = 0; n <= 24; n++) {
      const input = sampleDocumentInput({
        declarations: [
          ...base.declarations,
          { label: "Quy trình bổ sung", value: sentence.repeat(n * 2 + 1).trim() },
        ],
      });
      const pages = (await pdfText(await render(input))).split("\f").map(flat);
      const signerPage = pages.find((p) => p.includes("ĐẠI DIỆN BÊN CAM KẾT"));
      expect(signerPage, `n=${n}`).toBeDefined();
      expect(signerPage, `n=${n}: the signer's page holds the closing paragraph`).toContain(closingStart);
    }
  });

  it("splits text longer than a page across pages, losing nothing", async () => {
    const name = "Đ".repeat(2500) + "x".repeat(2500);
    const pdf = await render(
      sampleDocumentInput({
        party: { ...sampleDocumentInput().party, name },
        typedSignature: "Ký ".repeat(800),
        audit: [{ at: new Date("2026-03-05T07:07:09Z"), event: "Ký văn bản", userAgent: "ua".repeat(3000) }],
      }),
    );
    expect((await qpdfCheck(pdf)).code).toBe(0);
    // in content order, without the page headers and footers that come between pages
    const text = (await pdfText(pdf, "-raw"))
      .split("\n")
      .filter((line) => !/^(Xác minh: |Sàn giao dịch thương mại điện tử – mẫu số 1)/.test(line))
      .join("")
      .replace(/\s+/g, "");
    // the party name is printed twice (party block and certificate page), whole
    expect(text.split(name).length - 1).toBe(2);
    // the user agent runs over pages too, the table's header repeated on each
    expect(text.replaceAll("Thờigian(giờViệtSựkiệnĐịachỉIPThiếtbị(User-Agent)Nam)", "")).toContain(
      "ua".repeat(3000),
    );
  });

  it("draws a QR code that encodes the verification URL", async () => {
    const input = sampleDocumentInput();
    const pdf = await render(input);
    const pages = await pageCount(pdf);
    const { modules } = QRCode.create(input.verifyUrl, { errorCorrectionLevel: "M" });
    // Rasterise the certificate page (2 pixels per point) and read the modules back.
    const image = await withTempDir(async (dir) => {
      const file = join(dir, "in.pdf");
      await writeFile(file, pdf);
      const out = join(dir, "page");
      const page = String(pages);
      const result = await run("pdftoppm", [
        "-gray",
        "-r",
        "144",
        "-f",
        page,
        "-l",
        page,
        "-singlefile",
        file,
        out,
      ]);
      expect(result.code).toBe(0);
      return readFile(`${out}.pgm`);
    });
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(image.toString("latin1", 0, 40));
    expect(header).not.toBeNull();
    const width = Number(header?.[1]);
    const height = Number(header?.[2]);
    const pixels = image.subarray(header?.[0].length ?? 0);
    const dark = (x: number, y: number) => (pixels[Math.round(y) * width + Math.round(x)] ?? 255) < 128;
    // The code sits against the right margin (57 pt), 104 pt wide, with a quiet zone of 2 modules.
    const cell = (104 / (modules.size + 4)) * 2;
    const left = (595.28 - 57 - 104) * 2 + 2 * cell;
    let top = 100;
    while (top < height && !dark(left + cell / 2, top)) top++;
    expect(top).toBeLessThan(height / 2);
    let mismatches = 0;
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        if (dark(left + (c + 0.5) * cell, top + (r + 0.5) * cell) !== Boolean(modules.get(r, c)))
          mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(width).toBeGreaterThan(0);
  });
});
