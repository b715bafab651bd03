import { z } from "zod";
import { ProvinceCodeSchema } from "../reference/provinces";
import { nfc } from "../text/fold";
import { TIP_CATEGORIES, type TipContact } from "./model";

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

/**
 * A contact the tipster may leave: an e-mail address, or a Vietnamese phone number (0 or +84 followed by
 * nine digits; spaces, dots and dashes allowed between digits). Null when it is neither.
 */
export function parseTipContact(raw: string): TipContact | null {
  const value = nfc(raw).trim();
  if (value.includes("@")) {
    return value.length <= 254 && EMAIL.test(value) ? { kind: "email", value: value.toLowerCase() } : null;
  }
  const digits = value.replace(/[\s.\-()]/g, "");
  const m = /^(?:\+84|84|0)(\d{9})$/.exec(digits);
  return m ? { kind: "phone", value: `0${m[1]}` } : null;
}

export const TIP_DETAILS_MAX = 2_000;

/** The public form (and the API body): field messages are Vietnamese, shown as they are. */
export const TipInputSchema = z
  .object({
    url: z
      .string({ message: "Nhập đường dẫn (URL) của trang cần phản ánh." })
      .trim()
      .min(1, "Nhập đường dẫn (URL) của trang cần phản ánh.")
      .max(2_000, "Đường dẫn quá dài (tối đa 2.000 ký tự)."),
    category: z.enum(TIP_CATEGORIES, { message: "Chọn nội dung vi phạm." }),
    details: z
      .string()
      .trim()
      .max(TIP_DETAILS_MAX, `Mô tả tối đa ${TIP_DETAILS_MAX} ký tự.`)
      .transform((s) => nfc(s))
      .default(""),
    contact: z
      .string()
      .trim()
      .max(254, "Thông tin liên hệ quá dài.")
      .optional()
      .transform((s, ctx) => {
        if (!s) return undefined;
        const contact = parseTipContact(s);
        if (!contact) {
          ctx.addIssue({
            code: "custom",
            message:
              "Thông tin liên hệ phải là địa chỉ e-mail hoặc số điện thoại Việt Nam (ví dụ 0912 345 678).",
          });
          return z.NEVER;
        }
        return contact;
      }),
    province: ProvinceCodeSchema,
    /** Consent to the privacy notice: asked for when a contact is left (the only personal data asked). */
    privacyConsent: z.boolean().optional(),
    /** The signed form token (./form-token.ts). */
    formToken: z.string().max(300).optional(),
    /** The honeypot: a field people do not see and bots fill in. */
    website: z.string().max(2_000).optional(),
  })
  .strict()
  .superRefine((tip, ctx) => {
    if (tip.contact && tip.privacyConsent !== true)
      ctx.addIssue({
        code: "custom",
        path: ["privacyConsent"],
        message:
          "Để lại thông tin liên hệ, vui lòng đồng ý với Thông báo xử lý dữ liệu cá nhân (hoặc bỏ trống ô liên hệ).",
      });
  });
export type TipInput = z.input<typeof TipInputSchema>;
export type ParsedTipInput = z.output<typeof TipInputSchema>;
