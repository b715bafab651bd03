import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Clock,
  ConflictError,
  InvalidError,
  NotFoundError,
  type Party,
  PartyInputSchema,
  type Principal,
  verifyAuditChains,
} from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { createTestPlatform } from "../support/platform";
import {
  CT_REVIEWER,
  codeOf,
  lastMail as lastMailOf,
  PLATFORM_SIGN_FORM,
  tokenOf,
  verifySigner,
} from "../support/signing";

const run = promisify(execFile);

/** A clock the tests move: the signing flow is checked across code lifetimes and link expiry. */
const clock = {
  at: new Date("2026-02-10T03:00:00Z"),
  now() {
    return new Date(this.at);
  },
} satisfies Clock & { at: Date };
const advance = (seconds: number) => {
  clock.at = new Date(clock.at.getTime() + seconds * 1000);
};

const reviewer = CT_REVIEWER;
const meta = { ip: "203.0.113.20", userAgent: "Mozilla/5.0 (iPhone) vitest" };

let platform: Awaited<ReturnType<typeof createTestPlatform>>;

beforeAll(async () => {
  platform = await createTestPlatform({ clock });
});

async function partyOf(group: string, agency = "CT"): Promise<Party> {
  const principal = { ...reviewer, agency: agency as Principal["agency"] };
  const page = await platform.deps.parties.list(principal, { group: group as never, limit: 200 });
  const party = page.items.find((p) => p.status === "active" && p.contacts.some((c) => c.email) && !p.pledge);
  if (!party) throw new Error(`no invitable ${group}`);
  return party;
}

const lastMail = (to: string, kind: string) => lastMailOf(platform.outbox, to, kind);
const platformForm = PLATFORM_SIGN_FORM;

async function inviteAndVerify(party: Party, actor = reviewer) {
  await platform.signing.invite(actor, party.id);
  const email = party.contacts.find((c) => c.email)?.email ?? "";
  return { ...(await verifySigner(platform, email, meta)), email };
}

describe("pledge signing, end to end through the services and DynamoDB Local", () => {
  it("invites, checks the code, signs once, seals a PDF that pdfsig and qpdf accept, and records the chain", async () => {
    const party = await partyOf("ecommerce_platform");
    const { token, key, email } = await inviteAndVerify(party);
    // The invitation never stores the token itself.
    const [invitation] = await platform.repositories.signing.invitationsOfParty(party.id);
    expect(JSON.stringify(invitation)).not.toContain(token);

    const pledge = await platform.signing.sign(token, key, platformForm, meta);
    expect(pledge.documentCode).toMatch(/^CK-2026Q1-/);
    expect(pledge.declarations.find((d) => d.id === "takedownContactEmail")?.value).toBe("gokhoi@example.vn");

    const { pdf } = await platform.signing.documentForSigner(token, key);
    const dir = mkdtempSync(join(tmpdir(), "pw-sign-"));
    const file = join(dir, "pledge.pdf");
    writeFileSync(file, pdf);
    const text = (await run("pdftotext", ["-enc", "UTF-8", file, "-"])).stdout.normalize("NFC");
    expect(text).toContain("Nguyễn Thị Hồng Nhung");
    expect(text).toContain(pledge.documentCode);
    expect(text).toContain("Bộ lọc từ khóa");
    const sig = await run("pdfsig", [file]);
    expect(sig.stdout).toContain("Signature is Valid");
    await run("qpdf", ["--check", file]);

    // The party shows its pledge; the public lookup finds it; the upload check recognises the file.
    const updated = await platform.repositories.parties.get(party.id);
    expect(updated?.pledge).toEqual({
      quarter: "2026-Q1",
      status: "valid",
      documentCode: pledge.documentCode,
    });
    expect((await platform.signing.verifyCodeLookup(pledge.documentCode))?.status).toBe("valid");
    const upload = await platform.signing.verifyUpload(pdf);
    expect(upload.verdict.kind).toBe("ours_intact");
    expect(upload.pledge?.documentCode).toBe(pledge.documentCode);
    // One byte of the signed content changed (a letter of the /Producer key of the document info).
    const changed = new Uint8Array(pdf);
    const at = Buffer.from(pdf).indexOf("/Producer");
    expect(at).toBeGreaterThan(0);
    changed[at + 2] = "R".charCodeAt(0);
    expect((await platform.signing.verifyUpload(changed)).verdict.kind).toBe("ours_modified");

    // The signed copy goes out by e-mail with the PDF attached (a background task).
    await platform.tasks.idle();
    const copy = await lastMail(email, "signed_copy");
    expect(copy.attachments).toHaveLength(1);
    expect(copy.attachments[0]?.filename).toBe(`${pledge.documentCode}.pdf`);

    const events = await platform.repositories.signing.auditOf(party.id);
    expect(events.map((e) => e.type)).toEqual([
      "invitation_created",
      "invitation_sent",
      "code_sent",
      "code_verified",
      "signed",
      "document_emailed",
    ]);
    expect((await verifyAuditChains(platform.repositories.signing)).breaks).toEqual([]);

    // The link is single-use: signing again is refused, a second invitation this quarter too.
    await expect(platform.signing.sign(token, undefined, platformForm, meta)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(platform.signing.invite(reviewer, party.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it("addresses a multi-province party's pledge to the province whose office invited it (issue 24, item 2)", async () => {
    const provinces = [
      {
        code: "37",
        name: "Ninh Bình",
        authority: "Sở Công Thương tỉnh Ninh Bình",
        place: "Ninh Bình, ngày",
        other: "Hà Nội",
      },
      {
        code: "01",
        name: "Thành phố Hà Nội",
        authority: "Sở Công Thương Thành phố Hà Nội",
        place: "Hà Nội, ngày",
        other: "Ninh Bình",
      },
    ];
    for (const [i, issuer] of provinces.entries()) {
      const actor: Principal = {
        ...reviewer,
        staffId: `test-reviewer-ct-${issuer.code}`,
        province: issuer.code,
      };
      const email = `phapche${i}-${Date.now()}@sanquocgia.example.vn`;
      const party = await platform.deps.parties.create(
        actor,
        PartyInputSchema.parse({
          name: `Sàn thương mại điện tử Quốc Gia ${i + 1}`,
          group: "ecommerce_platform",
          provinces: ["01", "37"],
          taxCode: freshTaxCode(40 + i),
          contacts: [{ name: "Lê Thu Hà", title: "Trưởng phòng pháp chế", email }],
        }),
      );
      expect(party.provinces).toEqual(["01", "37"]);
      await platform.signing.invite(actor, party.id);
      const invitation = await lastMail(email, "invitation");
      expect(invitation.text).toContain(`Sở Công Thương ${issuer.name} trân trọng mời`);
      const { token, key } = await verifySigner(platform, email, meta);
      await platform.signing.sign(token, key, platformForm, meta);
      const [stored] = await platform.repositories.signing.invitationsOfParty(party.id);
      expect(stored?.issuingProvince).toBe(issuer.code);

      const { pdf } = await platform.signing.documentForSigner(token, key);
      const dir = mkdtempSync(join(tmpdir(), "pw-issuer-"));
      const file = join(dir, "pledge.pdf");
      writeFileSync(file, pdf);
      const text = (await run("pdftotext", ["-enc", "UTF-8", file, "-"])).stdout
        .normalize("NFC")
        .replace(/\s+/g, " ");
      expect(text).toContain(`Kính gửi: ${issuer.authority}`);
      // The place of signing and the seal are the issuing office's, not the party's first province.
      expect(text).toContain(issuer.place);
      expect(text).toContain(`được niêm phong bằng chữ ký số của ${issuer.authority}`);
      expect(text).not.toMatch(new RegExp(`(Kính gửi|chữ ký số của): Sở Công Thương [^ ]* ?${issuer.other}`));
      const info = (await run("pdfinfo", ["-enc", "UTF-8", file])).stdout.normalize("NFC");
      expect(info).toMatch(new RegExp(`Author:\\s+${issuer.authority}`));
    }
  });

  it("signs exactly once when two requests submit at the same moment", async () => {
    const party = await partyOf("social_network");
    const { token, key } = await inviteAndVerify(party);
    const results = await Promise.allSettled([
      platform.signing.sign(token, key, platformForm, meta),
      platform.signing.sign(token, key, platformForm, meta),
      platform.signing.sign(token, key, platformForm, meta),
    ]);
    const signed = results.filter((r) => r.status === "fulfilled");
    expect(signed.length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
    }
    const codes = new Set(signed.map((r) => (r.status === "fulfilled" ? r.value.documentCode : "")));
    expect(codes.size).toBe(1);
    expect(await platform.repositories.signing.pledgesOfParty(party.id)).toHaveLength(1);
  });

  it("limits code entry, expires codes and refuses signing without a verified code", async () => {
    const party = await partyOf("advertiser", "VHTT");
    const actor = { ...reviewer, agency: "VHTT" as const };
    await platform.signing.invite(actor, party.id);
    const email = party.contacts.find((c) => c.email)?.email ?? "";
    const token = tokenOf((await lastMail(email, "invitation")).text);
    await expect(
      platform.signing.sign(token, "not-a-key", { ...platformForm, declarations: {} }, meta),
    ).rejects.toBeInstanceOf(InvalidError);

    await platform.signing.sendCode(token, meta);
    const code = codeOf((await lastMail(email, "otp")).subject);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      await expect(platform.signing.verifyCode(token, wrong, meta)).rejects.toBeInstanceOf(InvalidError);
    }
    // Five wrong entries use the code up: even the right one is refused now.
    await expect(platform.signing.verifyCode(token, code, meta)).rejects.toThrow(/hết lượt/);

    advance(60);
    await platform.signing.sendCode(token, meta);
    const second = codeOf((await lastMail(email, "otp")).subject);
    advance(11 * 60);
    await expect(platform.signing.verifyCode(token, second, meta)).rejects.toThrow(/hết hạn/);
  });

  it("a resent invitation replaces the old link; a revoked one opens nowhere", async () => {
    const party = await partyOf("press", "VHTT");
    const actor = { ...reviewer, agency: "VHTT" as const };
    const invitation = await platform.signing.invite(actor, party.id);
    const email = party.contacts.find((c) => c.email)?.email ?? "";
    const first = tokenOf((await lastMail(email, "invitation")).text);
    advance(5);
    const resent = await platform.signing.resend(actor, invitation.id);
    expect(resent.sentCount).toBe(2);
    const second = tokenOf((await lastMail(email, "invitation")).text);
    expect(second).not.toBe(first);
    await expect(platform.signing.open(first, meta)).rejects.toBeInstanceOf(NotFoundError);
    expect((await platform.signing.open(second, meta)).state).toBe("ready");

    await platform.signing.revoke(actor, invitation.id, "Gửi nhầm địa chỉ");
    expect((await platform.signing.open(second, meta)).state).toBe("revoked");
    await expect(platform.signing.sendCode(second, meta)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("shows medical professionals in public by name, title and workplace only", async () => {
    const party = await partyOf("doctor", "YT");
    const actor = { ...reviewer, agency: "YT" as const };
    const { token, key } = await inviteAndVerify(party, actor);
    await expect(
      platform.signing.sign(token, key, { ...platformForm, declarations: {} }, meta),
    ).rejects.toThrow(/Workplace/);
    const pledge = await platform.signing.sign(
      token,
      key,
      {
        ...platformForm,
        signerName: party.name,
        typedSignature: party.name,
        signerTitle: "Bác sĩ CKII",
        workplace: "Bệnh viện Đa khoa tỉnh Ninh Bình",
        declarations: {},
      },
      meta,
    );
    const view = await platform.signing.verifyCodeLookup(pledge.documentCode);
    expect(view).toMatchObject({
      name: party.name,
      title: "Bác sĩ CKII",
      workplace: "Bệnh viện Đa khoa tỉnh Ninh Bình",
    });
    const registry = await platform.signing.publicRegistry({ family: "medical", province: "37" });
    const row = registry.items.find((p) => p.documentCode === pledge.documentCode);
    expect(row).toBeDefined();
    const json = JSON.stringify(row);
    expect(json).not.toContain(party.identifiers.practisingCertificate ?? "none");
    expect(json).not.toContain("@example.vn");
  });

  it("marks last quarter's pledge expired, and a pledge superseded once the party signs again", async () => {
    const party = await partyOf("kol", "VHTT");
    const actor = { ...reviewer, agency: "VHTT" as const };
    const first = await inviteAndVerify(party, actor);
    const q1 = await platform.signing.sign(
      first.token,
      first.key,
      { ...platformForm, declarations: {} },
      meta,
    );
    clock.at = new Date("2026-04-15T03:00:00Z");
    expect((await platform.signing.verifyCodeLookup(q1.documentCode))?.status).toBe("expired");
    const again = await inviteAndVerify(party, actor);
    const q2 = await platform.signing.sign(
      again.token,
      again.key,
      { ...platformForm, declarations: {} },
      meta,
    );
    expect(q2.quarter).toBe("2026-Q2");
    expect((await platform.signing.verifyCodeLookup(q1.documentCode))?.status).toBe("superseded");
    expect((await platform.signing.verifyCodeLookup(q2.documentCode))?.status).toBe("valid");
  });

  it("finds an edited audit event and names the first broken link", async () => {
    const party = await partyOf("news_site", "VHTT");
    const actor = { ...reviewer, agency: "VHTT" as const };
    await inviteAndVerify(party, actor);
    const out = await platform.clients.doc.send(
      new QueryCommand({
        TableName: platform.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `AUDIT#${party.id}` },
      }),
    );
    expect(out.Items?.length).toBeGreaterThanOrEqual(4);
    await platform.clients.doc.send(
      new UpdateCommand({
        TableName: platform.tableName,
        Key: { pk: `AUDIT#${party.id}`, sk: "0000000003" },
        UpdateExpression: "SET #data.#ip = :ip",
        ExpressionAttributeNames: { "#data": "data", "#ip": "ip" },
        ExpressionAttributeValues: { ":ip": "198.51.100.66" },
      }),
    );
    const report = await verifyAuditChains(platform.repositories.signing);
    expect(report.breaks).toContainEqual({ stream: party.id, seq: 3, reason: "hash_mismatch" });
  });
});
