/**
 * The pledge document: A4, Noto Sans (subset to the characters used), Vietnamese administrative layout,
 * then a certificate page with the audit trail and a QR code of the verification URL. The output is
 * deterministic (same input, same bytes) and unsealed: the sealer signs it afterwards.
 *
 * Every string comes from users (names typed by signers, user agents, …): it is only ever drawn, after
 * cleanText (NFC, no control characters), and characters the font lacks are drawn as "?".
 */
import fontkit from "@pdf-lib/fontkit";
import type { PledgeDocumentInput, PledgeDocumentRenderer } from "@pledgewatch/core";
import {
  beginText,
  concatTransformationMatrix,
  drawObject,
  endText,
  fill,
  lineTo,
  moveTo,
  PDFArray,
  PDFDocument,
  type PDFFont,
  type PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
  setFillingRgbColor,
  setFontAndSize,
  setLineWidth,
  setStrokingGrayscaleColor,
  setTextMatrix,
  showText,
  stroke,
} from "pdf-lib";
import QRCode from "qrcode";
import { loadFaces } from "./faces";
import type { FontStyle } from "./fonts";
import { A4, CONTENT_WIDTH, Flow, MARGIN, type Op } from "./layout";
import { type DecodedPng, decodePng } from "./png";
import { authorityName, cleanMetadata, cleanText, placeName, vietnamDateTime, vietnamLongDate } from "./text";

export interface RendererOptions {
  /** Folder of a Lambda bundle holding `fonts/` (see FONT_FILES); node_modules otherwise. */
  bundleDir?: string | undefined;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function createPledgeRenderer(options: RendererOptions = {}): PledgeDocumentRenderer {
  return async (input) => {
    const faces = await loadFaces(options.bundleDir);
    const flow = new Flow(faces);
    // Decoded here, strictly; a PNG that does not decode is left out and the typed signature stands alone.
    const signature = input.drawnSignaturePng ? decodePng(input.drawnSignaturePng) : null;
    layoutPledge(flow, input, signature);
    flow.newPage();
    layoutCertificate(flow, input);
    return draw(flow, input, signature);
  };
}

const BODY = 11;

function layoutPledge(flow: Flow, input: PledgeDocumentInput, signature: DecodedPng | null): void {
  const center = { align: "center" as const, after: 0 };

  // National motto, the second line underlined.
  flow.paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { ...center, style: "bold", size: 12, leading: 1.3 });
  const motto = flow.prepare("Độc lập - Tự do - Hạnh phúc", "bold");
  flow.paragraph(motto, { ...center, style: "bold", size: 12, leading: 1.3 });
  const mottoWidth = flow.width(motto, "bold", 12);
  const mid = MARGIN.left + CONTENT_WIDTH / 2;
  flow.line(mid - mottoWidth / 2, flow.y + 1, mid + mottoWidth / 2, flow.y + 1, 0.6);
  flow.space(22);

  flow.paragraph(input.title, { ...center, style: "bold", size: 14, leading: 1.35 });
  flow.paragraph(`Kỳ cam kết: ${input.quarterLabel}`, { ...center, style: "italic", size: BODY, after: 12 });
  flow.paragraph(`Kính gửi: ${authorityName(input.authority)}`, {
    ...center,
    style: "bold",
    size: 12,
    after: 14,
  });

  // The party.
  const labelWidth = 150;
  const valueX = MARGIN.left + labelWidth + 8;
  const valueWidth = CONTENT_WIDTH - labelWidth - 8;
  const field = (label: string, value: string, style: FontStyle = "regular") =>
    flow.row(
      [
        { text: `${label}:`, x: MARGIN.left, width: labelWidth, size: BODY },
        { text: value, x: valueX, width: valueWidth, size: BODY, style },
      ],
      { leading: 1.45, padding: 1 },
    );
  field("Tên tổ chức, cá nhân", input.party.name, "bold");
  field("Nhóm đối tượng", input.party.groupLabel);
  for (const id of input.party.identifiers) field(id.label, id.value);
  field("Địa bàn hoạt động", input.party.provinces);
  field("Người đại diện ký", [input.signer.name, input.signer.title].filter((s) => cleanText(s)).join(" – "));
  field("Thư điện tử", input.signer.email);
  flow.space(10);

  for (const p of input.preamble)
    flow.paragraph(p, { align: "justify", size: BODY, firstIndent: 24, after: 6 });
  flow.space(2);

  input.commitments.forEach((c, i) => {
    flow.paragraph(c, {
      align: "justify",
      size: BODY,
      x: MARGIN.left + 24,
      width: CONTENT_WIDTH - 24,
      label: `${i + 1}.`,
      labelX: MARGIN.left + 4,
      after: 5,
    });
  });

  if (input.declarations.length > 0) {
    flow.space(6);
    flow.ensure(60);
    flow.paragraph("THÔNG TIN KÊ KHAI", { style: "bold", size: BODY, after: 4 });
    for (const d of input.declarations) field(d.label, d.value);
  }

  flow.space(6);
  // The closing paragraph and the signature block stay on one page: a signature alone on the last
  // page, cut off from the text it signs, reads as a loose sheet.
  const closing = { align: "justify" as const, size: BODY, firstIndent: 24, after: 14 };
  flow.ensure(flow.paragraphHeight(input.closing, closing) + signerBlockHeight(flow, input));
  flow.paragraph(input.closing, closing);

  layoutSignerBlock(flow, input, signature);
}

/** Room the signature block needs (it is laid out in one piece). */
function signerBlockHeight(flow: Flow, input: PledgeDocumentInput): number {
  const colWidth = CONTENT_WIDTH * 0.55;
  const signatureLines = flow.wrap(flow.prepare(input.typedSignature, "italic"), "italic", 15, colWidth);
  const nameLines = flow.wrap(flow.prepare(input.signer.name, "bold"), "bold", 12, colWidth);
  const estimated = 16 * 3 + SIGNATURE_BOX.height + 20 * signatureLines.length + 18 * nameLines.length + 20;
  return Math.max(estimated, 150);
}

const SIGNATURE_BOX = { width: 170, height: 64 };

function layoutSignerBlock(flow: Flow, input: PledgeDocumentInput, signature: DecodedPng | null): void {
  const colX = MARGIN.left + CONTENT_WIDTH * 0.45;
  const colWidth = CONTENT_WIDTH * 0.55;
  const box = SIGNATURE_BOX;
  flow.ensure(signerBlockHeight(flow, input));
  const top = flow.y;

  const centered = { align: "center" as const, x: colX, width: colWidth, keepTogether: false };
  const place = placeName(input.authority.provinceName);
  flow.paragraph(`${place ? `${place}, ` : ""}${vietnamLongDate(input.signedAt)}`, {
    ...centered,
    style: "italic",
    size: BODY,
    after: 4,
  });
  flow.paragraph("ĐẠI DIỆN BÊN CAM KẾT", { ...centered, style: "bold", size: BODY });
  flow.paragraph(input.signer.title, { ...centered, size: 10, after: 2 });
  flow.paragraph("(Ký điện tử)", { ...centered, style: "italic", size: 9, gray: 0.35, after: 4 });

  if (signature) {
    const scale = Math.min(box.width / signature.width, box.height / signature.height);
    const width = signature.width * scale;
    const height = signature.height * scale;
    flow.add({
      kind: "image",
      x: colX + (colWidth - width) / 2,
      y: flow.y - box.height + (box.height - height) / 2,
      width,
      height,
    });
    flow.space(box.height + 4);
    flow.paragraph(input.typedSignature, { ...centered, style: "italic", size: 10, gray: 0.25, after: 4 });
  } else {
    flow.space(8);
    flow.paragraph(input.typedSignature, { ...centered, style: "italic", size: 15, after: 8 });
  }
  flow.paragraph(input.signer.name, { ...centered, style: "bold", size: 12 });

  // Left column, level with the date line: how and when it was signed.
  const bottom = flow.y;
  flow.y = top;
  const note = { x: MARGIN.left, width: CONTENT_WIDTH * 0.42, size: 8.5, gray: 0.3, keepTogether: false };
  flow.paragraph("Văn bản ký điện tử trên Pledgewatch.", { ...note, style: "bold" });
  flow.paragraph(`Thời điểm ký: ${vietnamDateTime(input.signedAt)} (giờ Việt Nam).`, note);
  flow.paragraph(`Mã văn bản: ${input.documentCode}.`, note);
  flow.paragraph("Chứng nhận ký và nhật ký sự kiện ở trang cuối.", note);
  flow.y = Math.min(bottom, flow.y);
}

const QR_SIZE = 104;

function layoutCertificate(flow: Flow, input: PledgeDocumentInput): void {
  flow.paragraph("CHỨNG NHẬN KÝ ĐIỆN TỬ", { align: "center", style: "bold", size: 14, leading: 1.35 });
  flow.paragraph("Nhật ký ký văn bản (audit trail)", {
    align: "center",
    style: "italic",
    size: 10,
    after: 14,
  });

  // Facts on the left, the QR code of the verification page on the right (drawn first, on this page).
  const qrX = A4.width - MARGIN.right - QR_SIZE;
  const qrPage = flow.pageIndex;
  const qrBottom = layoutQr(flow, input.verifyUrl, qrX, flow.y);
  const labelWidth = 110;
  const valueX = MARGIN.left + labelWidth + 6;
  const valueWidth = qrX - 14 - valueX;
  const fact = (label: string, value: string, style: FontStyle = "regular") =>
    flow.row(
      [
        { text: label, x: MARGIN.left, width: labelWidth, size: 9, gray: 0.3 },
        { text: value, x: valueX, width: valueWidth, size: 9, style },
      ],
      { leading: 1.4, padding: 1.5 },
    );
  fact("Mã văn bản", input.documentCode, "bold");
  fact("Văn bản", input.title);
  fact("Kỳ cam kết", input.quarterLabel);
  fact("Mẫu", input.templateLabel);
  fact("Cơ quan tiếp nhận", authorityName(input.authority));
  fact("Bên cam kết", input.party.name);
  fact("Người ký", `${input.signer.name} – ${input.signer.title} – ${input.signer.email}`);
  fact("Thời điểm ký", `${vietnamDateTime(input.signedAt)} (giờ Việt Nam, UTC+7)`);
  fact("Mã băm nội dung (SHA-256)", input.contentSha256);
  fact("Trang xác minh", input.verifyUrl);
  if (flow.pageIndex === qrPage) flow.y = Math.min(flow.y, qrBottom);
  flow.space(16);

  // The audit trail.
  flow.paragraph("Nhật ký sự kiện", { style: "bold", size: 10.5, after: 4 });
  const columns = [
    { title: "Thời gian (giờ Việt Nam)", width: 84 },
    { title: "Sự kiện", width: 118 },
    { title: "Địa chỉ IP", width: 74 },
    { title: "Thiết bị (User-Agent)", width: CONTENT_WIDTH - 84 - 118 - 74 - 18 },
  ];
  const xs: number[] = [];
  let columnX: number = MARGIN.left;
  for (const c of columns) {
    xs.push(columnX);
    columnX += c.width + 6;
  }
  const cells = (texts: string[], style: FontStyle, gray = 0) =>
    texts.map((text, i) => ({
      text,
      x: xs[i] ?? MARGIN.left,
      width: columns[i]?.width ?? 50,
      size: 8,
      style,
      gray,
    }));
  const header = () => {
    flow.line(MARGIN.left, flow.y, A4.width - MARGIN.right, flow.y, 0.6, 0.2);
    flow.row(
      cells(
        columns.map((c) => c.title),
        "bold",
      ),
      { padding: 3, rule: true },
    );
  };
  header();
  for (const event of input.audit) {
    flow.row(
      cells([vietnamDateTime(event.at), event.event, event.ip ?? "–", event.userAgent ?? "–"], "regular"),
      { padding: 3, rule: true, beforeBreak: header },
    );
  }
  if (input.audit.length === 0) flow.paragraph("(không có sự kiện)", { size: 8, style: "italic", after: 4 });

  flow.space(14);
  flow.paragraph(
    `Văn bản này được niêm phong bằng chữ ký số của ${authorityName(input.authority)} theo chuẩn PAdES. ` +
      "Mọi thay đổi sau khi niêm phong đều làm chữ ký mất hiệu lực. Để xác minh, quét mã QR hoặc mở trang " +
      "xác minh ở trên và tải lên tệp PDF nhận được.",
    { align: "justify", size: 8.5, gray: 0.3 },
  );
}

/** The QR code as filled squares (one rectangle per run of dark modules); returns its bottom edge. */
function layoutQr(flow: Flow, url: string, x: number, top: number): number {
  let modules: { size: number; get(row: number, col: number): number } | undefined;
  try {
    modules = QRCode.create(url, { errorCorrectionLevel: "M" }).modules;
  } catch {
    // Too long for a QR code: the URL is printed anyway.
  }
  if (!modules) return top;
  const quiet = 2;
  const cell = QR_SIZE / (modules.size + 2 * quiet);
  const rects: [number, number, number, number][] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      rects.push([
        round(x + (quiet + start) * cell),
        round(top - (quiet + row + 1) * cell),
        round((col - start) * cell),
        round(cell),
      ]);
    }
  }
  flow.add({ kind: "rects", rects, gray: 0 });
  const captionY = top - QR_SIZE - 9;
  const caption = flow.prepare("Quét để xác minh", "italic");
  const w = flow.width(caption, "italic", 8);
  flow.drawText(caption, x + (QR_SIZE - w) / 2, captionY, { style: "italic", size: 8, gray: 0.3 });
  return captionY - 4;
}

/** Header and footer of every page, once the number of pages is known. */
function layoutFurniture(flow: Flow, input: PledgeDocumentInput): void {
  const total = flow.pages.length;
  const small = { style: "regular" as const, size: 8, gray: 0.4 };
  const right = A4.width - MARGIN.right;
  const code = flow.prepare(input.documentCode);
  const codeWidth = flow.width(code, "regular", 8);
  const label = ellipsize(flow, flow.prepare(input.templateLabel), 8, CONTENT_WIDTH - codeWidth - 24);
  const verify = ellipsize(flow, flow.prepare(`Xác minh: ${input.verifyUrl}`), 8, CONTENT_WIDTH - 80);
  const headerY = A4.height - 36;
  const footerY = 34;
  for (let page = 0; page < total; page++) {
    flow.drawText(label, MARGIN.left, headerY, small, 0, page);
    flow.drawText(code, right - codeWidth, headerY, small, 0, page);
    flow.line(MARGIN.left, headerY - 5, right, headerY - 5, 0.4, 0.6, page);
    flow.line(MARGIN.left, footerY + 10, right, footerY + 10, 0.4, 0.6, page);
    flow.drawText(verify, MARGIN.left, footerY, small, 0, page);
    const pageText = flow.prepare(`Trang ${page + 1}/${total}`);
    flow.drawText(pageText, right - flow.width(pageText, "regular", 8), footerY, small, 0, page);
  }
}

function ellipsize(flow: Flow, text: string, size: number, width: number): string {
  if (flow.width(text, "regular", size) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && flow.width(`${chars.join("")}…`, "regular", size) > width) chars.pop();
  return `${chars.join("")}…`;
}

async function draw(
  flow: Flow,
  input: PledgeDocumentInput,
  signature: DecodedPng | null,
): Promise<Uint8Array> {
  layoutFurniture(flow, input);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);

  const fonts = await embedUsedFonts(doc, flow);

  let image: PDFRef | undefined;
  if (signature) {
    const { width, height } = signature;
    const common = { Type: "XObject", Subtype: "Image", Width: width, Height: height, BitsPerComponent: 8 };
    const smask = signature.alpha
      ? doc.context.register(
          doc.context.flateStream(signature.alpha, { ...common, ColorSpace: "DeviceGray" }),
        )
      : undefined;
    image = doc.context.register(
      doc.context.flateStream(signature.rgb, {
        ...common,
        ColorSpace: "DeviceRGB",
        ...(smask ? { SMask: smask } : {}),
      }),
    );
  }

  for (const ops of flow.pages) {
    const page = doc.addPage([A4.width, A4.height]);
    drawOps(page, ops, fonts, image);
  }

  const author = authorityName(input.authority);
  doc.setTitle(cleanMetadata(input.title), { showInWindowTitleBar: true });
  doc.setAuthor(cleanMetadata(author));
  doc.setSubject(cleanMetadata(input.documentCode));
  doc.setKeywords(
    [input.documentCode, input.quarterLabel, input.templateLabel, "Pledgewatch"].map((k) => cleanMetadata(k)),
  );
  doc.setProducer("Pledgewatch");
  doc.setCreator("Pledgewatch");
  doc.setLanguage("vi-VN");
  // Both dates fixed to the signing time: the same input always gives the same bytes.
  const when = Number.isNaN(input.signedAt.getTime()) ? new Date(0) : input.signedAt;
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  return doc.save({ useObjectStreams: false });
}

/** Embeds, per style, the subset of Noto Sans the flow's text used (never pdf-lib's own subsetting). */
export async function embedUsedFonts(doc: PDFDocument, flow: Flow): Promise<Map<FontStyle, PDFFont>> {
  const fonts = new Map<FontStyle, PDFFont>();
  for (const used of flow.usedCharacters) {
    if (used.map.size === 0) continue;
    const subset = used.subset();
    fonts.set(used.face.style, await doc.embedFont(subset.bytes, { subset: false, customName: subset.name }));
  }
  return fonts;
}

/** Writes one page's operations as PDF content (shared with the coverage report). */
export function drawOps(
  page: PDFPage,
  ops: readonly Op[],
  fonts: ReadonlyMap<FontStyle, PDFFont>,
  image: PDFRef | undefined,
): void {
  const keys = new Map<FontStyle, PDFName>();
  const fontKey = (style: FontStyle, font: PDFFont) => {
    let key = keys.get(style);
    if (!key) {
      key = page.node.newFontDictionary(style, font.ref);
      keys.set(style, key);
    }
    return key;
  };
  const operators: PDFOperator[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case "text": {
        const font = fonts.get(op.style);
        if (!font) break;
        operators.push(
          beginText(),
          setFillingGrayscaleColor(op.gray),
          setFontAndSize(fontKey(op.style, font), op.size),
          setTextMatrix(1, 0, 0, 1, round(op.x), round(op.y)),
        );
        if (op.wordSpacing > 0 && op.text.includes(" ")) {
          // Justified: the words and, after each space, a negative adjustment (thousandths of the size).
          const adjustment = PDFNumber.of(-round((op.wordSpacing * 1000) / op.size));
          const array = PDFArray.withContext(page.doc.context);
          const words = op.text.split(" ");
          words.forEach((word, i) => {
            const last = i === words.length - 1;
            array.push(font.encodeText(last ? word : `${word} `));
            if (!last) array.push(adjustment);
          });
          operators.push(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [array]));
        } else {
          operators.push(showText(font.encodeText(op.text)));
        }
        operators.push(endText());
        break;
      }
      case "line":
        operators.push(
          pushGraphicsState(),
          setStrokingGrayscaleColor(op.gray),
          setLineWidth(op.width),
          moveTo(round(op.x1), round(op.y1)),
          lineTo(round(op.x2), round(op.y2)),
          stroke(),
          popGraphicsState(),
        );
        break;
      case "rects":
        operators.push(
          pushGraphicsState(),
          op.rgb ? setFillingRgbColor(...op.rgb) : setFillingGrayscaleColor(op.gray),
        );
        for (const [x, y, w, h] of op.rects) operators.push(rectangle(x, y, w, h));
        operators.push(fill(), popGraphicsState());
        break;
      case "image":
        if (image) {
          operators.push(
            pushGraphicsState(),
            concatTransformationMatrix(round(op.width), 0, 0, round(op.height), round(op.x), round(op.y)),
            drawObject(page.node.newXObject("Signature", image)),
            popGraphicsState(),
          );
        }
        break;
    }
  }
  page.pushOperators(...operators);
}
