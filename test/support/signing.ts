import type { OutboxReader, Principal, RequestMeta, SigningService } from "@pledgewatch/core";

/** The Công Thương reviewer of Ninh Bình (37) the signing tests invite as. */
export const CT_REVIEWER: Principal = {
  staffId: "test-reviewer-ct",
  email: "reviewer.ct@demo.pledgewatch.vn",
  name: "Cán bộ thử",
  agency: "CT",
  province: "37",
  role: "reviewer",
};

/** What a signer's browser sends on a platform pledge (the platform family has declarations). */
export const PLATFORM_SIGN_FORM = {
  signerName: "Nguyễn Thị Hồng Nhung",
  signerTitle: "Giám đốc pháp chế",
  typedSignature: "Nguyễn Thị Hồng Nhung",
  consent: true as const,
  privacyConsent: true as const,
  declarations: {
    sellerObligations: "Mọi người bán phải ký cam kết chất lượng trước khi mở gian hàng.",
    violationTools: "Bộ lọc từ khóa, nhận diện hình ảnh và đội kiểm duyệt 24/7.",
    takedownContactName: "Trần Văn Bình",
    takedownContactEmail: "gokhoi@example.vn",
    takedownContactPhone: "0912345678",
    takedownResponseHours: "24",
  },
};

/** The newest outbox message to an address, of a kind ("invitation", "otp", "signed_copy"). */
export async function lastMail(outbox: OutboxReader, to: string, kind: string) {
  const message = (await outbox.list(200)).find((m) => m.to === to && m.kind === kind);
  if (!message) throw new Error(`no ${kind} mail to ${to}`);
  return message;
}

export const tokenOf = (text: string) => /\/sign\/([\w-]+)/.exec(text)?.[1] ?? "";
export const codeOf = (subject: string) => /(\d{6})/.exec(subject)?.[1] ?? "";

/**
 * The signer's steps up to the form, as the browser takes them: the link from the newest invitation
 * e-mail, a one-time code sent and read from the outbox, the code checked. Returns the token and the
 * browser key that signing needs.
 */
export async function verifySigner(
  platform: { signing: SigningService; outbox: OutboxReader },
  email: string,
  meta: RequestMeta,
): Promise<{ token: string; key: string }> {
  const token = tokenOf((await lastMail(platform.outbox, email, "invitation")).text);
  await platform.signing.sendCode(token, meta);
  const code = codeOf((await lastMail(platform.outbox, email, "otp")).subject);
  const { key } = await platform.signing.verifyCode(token, code, meta);
  return { token, key };
}
