import { z } from "zod";
import { EmailSchema, PhoneSchema } from "../parties/identifiers";
import { PRIVACY_CONSENT_MESSAGE } from "../privacy/notice";
import type { DeclarationField, DeclarationId, PledgeTemplate } from "./template";

const text = (max: number, required: string) =>
  z
    .string()
    .transform((s) =>
      s
        .normalize("NFC")
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
        .replace(/[\u0000-\u001f\u007f]/g, " ")
        .trim(),
    )
    .pipe(z.string().min(1, required).max(max, `Tối đa ${max} ký tự`));

/** PNG files start with these eight bytes. */
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const MAX_DRAWN_SIGNATURE_BYTES = 200 * 1024;

/** A drawn signature as the signing page posts it: a `data:image/png;base64,` URL, or empty. */
export const DrawnSignatureSchema = z
  .string()
  .max(Math.ceil((MAX_DRAWN_SIGNATURE_BYTES * 4) / 3) + 32, "Chữ ký vẽ quá lớn")
  .transform((value, ctx) => {
    if (value === "") return undefined;
    const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(value);
    const bytes = match?.[1] ? new Uint8Array(Buffer.from(match[1], "base64")) : null;
    if (!bytes || bytes.length < 8 || PNG_MAGIC.some((b, i) => bytes[i] !== b)) {
      ctx.addIssue({ code: "custom", message: "Chữ ký vẽ không hợp lệ; vui lòng vẽ lại hoặc xóa" });
      return z.NEVER;
    }
    return bytes;
  });

export const SignInputSchema = z.object({
  signerName: text(120, "Vui lòng nhập họ và tên người ký"),
  signerTitle: text(120, "Vui lòng nhập chức vụ hoặc chức danh"),
  typedSignature: text(120, "Vui lòng gõ họ tên để ký"),
  consent: z.literal(true, { error: "Vui lòng xác nhận đã đọc và đồng ý với nội dung cam kết" }),
  /** A consent of its own to the privacy notice (issue 19, item 8): the law asks that it be specific. */
  privacyConsent: z.literal(true, { error: PRIVACY_CONSENT_MESSAGE }),
  /** Medical professionals: shown in the public registry with name and title. */
  workplace: z.string().max(200).optional(),
  drawnSignature: z.instanceof(Uint8Array).optional(),
  declarations: z.record(z.string(), z.string().max(2000)).default({}),
});
export type SignInput = z.infer<typeof SignInputSchema>;

/**
 * Fields published as "text" that hold a person's name. A published template never changes
 * (docs/pledge-templates.md), so platform@1's contact name keeps its kind there and is checked as a
 * name here; later versions declare `kind: "name"` themselves.
 */
const NAME_FIELDS: ReadonlySet<DeclarationId> = new Set(["takedownContactName"]);

/** What a declaration holds, as the form and the check treat it. */
export function declarationKind(field: DeclarationField): DeclarationField["kind"] {
  return NAME_FIELDS.has(field.id) ? "name" : field.kind;
}

/** Checks the template's declarations (platform pledges) and returns them in template order. */
export function checkDeclarations(
  template: PledgeTemplate,
  values: Record<string, string>,
):
  | { ok: true; value: { id: string; label: string; value: string }[] }
  | { ok: false; issues: { field: string; message: string }[] } {
  const issues: { field: string; message: string }[] = [];
  const out: { id: string; label: string; value: string }[] = [];
  for (const field of template.declarations) {
    const raw = (values[field.id] ?? "").normalize("NFC").trim();
    const path = `declarations.${field.id}`;
    if (!raw) {
      issues.push({ field: path, message: `Vui lòng điền: ${field.label}` });
      continue;
    }
    let value = raw;
    const kind = declarationKind(field);
    if (kind === "email") {
      const parsed = EmailSchema.safeParse(raw);
      if (!parsed.success) {
        issues.push({ field: path, message: parsed.error.issues[0]?.message ?? "Email không hợp lệ" });
        continue;
      }
      value = parsed.data;
    } else if (kind === "phone") {
      const parsed = PhoneSchema.safeParse(raw);
      if (!parsed.success) {
        issues.push({
          field: path,
          message: parsed.error.issues[0]?.message ?? "Số điện thoại không hợp lệ",
        });
        continue;
      }
      value = parsed.data;
    } else if (kind === "hours") {
      if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 720) {
        issues.push({ field: path, message: "Nhập số giờ từ 1 đến 720" });
        continue;
      }
      value = String(Number(raw));
    } else if (kind === "name") {
      const name = raw.replace(/\s+/g, " ");
      // A person's name, perhaps with a title ("Lê Thu Hà, Trưởng phòng Pháp chế"): starts with a letter,
      // at least two letters, no address or link in it. Short names are names too ("Lê Hà").
      const letters = name.match(/\p{L}/gu)?.length ?? 0;
      if (!/^\p{L}/u.test(name) || letters < 2 || /[@<>]|:\/\//.test(name) || name.length > 200) {
        issues.push({ field: path, message: "Nhập họ và tên (bắt đầu bằng chữ cái), ví dụ: Lê Thu Hà" });
        continue;
      }
      value = name;
    } else if (raw.length < 10) {
      issues.push({ field: path, message: "Vui lòng mô tả cụ thể (ít nhất 10 ký tự)" });
      continue;
    }
    out.push({ id: field.id, label: field.label, value });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}
