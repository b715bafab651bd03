import { z } from "zod";

/**
 * The privacy notice (Thông báo xử lý dữ liệu cá nhân) shown on the signing and tip pages, under the
 * Personal Data Protection Law 2025 and Decree 356/2025. Its text lives with the pages (packages/web,
 * both languages); its version is what a consent records, so a changed notice is a new version and the
 * consents given to the old one stay readable as such. Change the text, change the version.
 */
export const PRIVACY_NOTICE_VERSION = "2026-12-07";

/** A consent as it is kept on the record it was given for: which notice, and when. */
export const PrivacyConsentSchema = z.object({ notice: z.string(), at: z.string() });
export type PrivacyConsent = z.infer<typeof PrivacyConsentSchema>;

export function privacyConsentAt(now: Date): PrivacyConsent {
  return { notice: PRIVACY_NOTICE_VERSION, at: now.toISOString() };
}

export const PRIVACY_CONSENT_MESSAGE =
  "Vui lòng xác nhận đã đọc Thông báo xử lý dữ liệu cá nhân và đồng ý cho cơ quan xử lý dữ liệu của bạn.";
