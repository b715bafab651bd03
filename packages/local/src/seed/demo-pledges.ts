import {
  ConflictError,
  type OutboxReader,
  type Principal,
  type RequestMeta,
  type SigningService,
} from "@pledgewatch/core";
import { DEMO_PROVINCE, DEMO_STAFF } from "./demo-staff";
import { stableId } from "./seed";

/** Demo parties that sign in the current quarter on a fresh start: a few of each family. */
const SIGNERS: {
  key: string;
  signer: string;
  title: string;
  workplace?: string;
  agency: Principal["agency"];
}[] = [
  { key: "platform-2", signer: "Trần Thị Thu Hà", title: "Giám đốc Pháp chế", agency: "CT" },
  { key: "platform-7", signer: "Lê Minh Quân", title: "Trưởng ban Chính sách", agency: "CT" },
  { key: "press-0", signer: "Phạm Văn Thành", title: "Tổng Biên tập", agency: "VHTT" },
  { key: "kol-1", signer: "", title: "Người sáng tạo nội dung", agency: "VHTT" },
  {
    key: "doctor-0",
    signer: "",
    title: "Bác sĩ chuyên khoa II",
    workplace: "Bệnh viện Đa khoa tỉnh Ninh Bình",
    agency: "YT",
  },
];

const DECLARATIONS = {
  sellerObligations:
    "Người bán phải ký cam kết chất lượng, cung cấp giấy tờ nguồn gốc hàng hóa trước khi mở gian hàng; vi phạm bị khóa gian hàng.",
  violationTools:
    "Bộ lọc từ khóa và hình ảnh tự động, kênh tiếp nhận phản ánh 24/7, đội kiểm duyệt gỡ tin vi phạm trong ngày.",
  takedownContactName: "Bộ phận Pháp chế",
  takedownContactEmail: "goxuly@example.vn",
  takedownContactPhone: "0912345678",
  takedownResponseHours: "24",
};

/**
 * Signs a few demo pledges through the real flow (invitation e-mail, one-time code, signing, sealing), so
 * a fresh `npm start` shows signed parties, the public registry, documents and the outbox. Parties already
 * invited or signed this quarter are left alone, so a restart adds nothing.
 */
export async function seedDemoPledges(signing: SigningService, outbox: OutboxReader): Promise<number> {
  const meta: RequestMeta = { ip: "127.0.0.1", userAgent: "Pledgewatch demo data" };
  let signed = 0;
  for (const demo of SIGNERS) {
    const lead = DEMO_STAFF.find((s) => s.agency === demo.agency && s.role === "lead");
    if (!lead) continue;
    const actor: Principal = {
      staffId: stableId("staff", lead.email),
      email: lead.email,
      name: lead.name,
      agency: lead.agency,
      province: DEMO_PROVINCE,
      role: lead.role,
    };
    let email: string;
    try {
      email = (await signing.invite(actor, stableId("party", demo.key))).email;
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    const messages = await outbox.list(20);
    const token = /\/sign\/([\w-]+)/.exec(
      messages.find((m) => m.to === email && m.kind === "invitation")?.text ?? "",
    )?.[1];
    if (!token) continue;
    const view = await signing.open(token, meta);
    if (view.state !== "ready") continue;
    await signing.sendCode(token, meta);
    const code = /(\d{6})/.exec(
      (await outbox.list(20)).find((m) => m.to === email && m.kind === "otp")?.subject ?? "",
    )?.[1];
    if (!code) continue;
    const { key } = await signing.verifyCode(token, code, meta);
    const name = demo.signer || view.party.name;
    await signing.sign(
      token,
      key,
      {
        signerName: name,
        signerTitle: demo.title,
        typedSignature: name,
        consent: true,
        privacyConsent: true,
        ...(demo.workplace ? { workplace: demo.workplace } : {}),
        declarations: view.template.declarations.length > 0 ? DECLARATIONS : {},
      },
      meta,
    );
    signed++;
  }
  return signed;
}
