import { describe, expect, it } from "vitest";
import { chainEvent, GENESIS_HASH, verifyAuditChains, verifyChain } from "./audit";
import { checkDeclarations, DrawnSignatureSchema, SignInputSchema } from "./input";
import type { AuditEvent, Pledge } from "./model";
import { DOCUMENT_CODE_PATTERN, newDocumentCode, pledgeContentHash, pledgeStatus } from "./service";
import { templateFor } from "./templates";

function chain(n: number, stream = "party-1"): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(
      chainEvent(stream, events.at(-1) ?? null, {
        at: new Date(Date.UTC(2026, 0, 5, 3, i)).toISOString(),
        type: i === 0 ? "invitation_created" : "code_sent",
        actor: "staff:s1",
        invitationId: "inv-1",
        ip: "203.0.113.7",
      }),
    );
  }
  return events;
}

describe("audit chain", () => {
  it("links each event to the previous one's hash", () => {
    const events = chain(4);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(events[2]?.prevHash).toBe(events[1]?.hash);
    expect(verifyChain("party-1", events)).toBeNull();
  });

  it("reports the first broken link when an event was edited", () => {
    const events = chain(5);
    const edited = events.map((e) => (e.seq === 3 ? { ...e, ip: "198.51.100.1" } : e));
    expect(verifyChain("party-1", edited)).toEqual({ stream: "party-1", seq: 3, reason: "hash_mismatch" });
  });

  it("reports a re-hashed edit at the next link, and a deleted event as a gap", () => {
    const events = chain(5);
    const target = events[1] as AuditEvent;
    const { hash: _old, ...rest } = { ...target, detail: "forged" };
    const rehashed = chainEvent("party-1", events[0] ?? null, rest);
    const forged = events.map((e) => (e.seq === 2 ? rehashed : e));
    expect(verifyChain("party-1", forged)).toEqual({
      stream: "party-1",
      seq: 3,
      reason: "prev_hash_mismatch",
    });
    const withGap = events.filter((e) => e.seq !== 4);
    expect(verifyChain("party-1", withGap)).toEqual({ stream: "party-1", seq: 4, reason: "sequence_gap" });
  });

  it("verifies every stream of a repository", async () => {
    const good = chain(3, "a");
    const bad = chain(3, "b").map((e) => (e.seq === 2 ? { ...e, actor: "someone else" } : e));
    const report = await verifyAuditChains({
      auditStreams: async (cursor) => (cursor ? { streams: ["b"] } : { streams: ["a"], next: "page-2" }),
      auditOf: async (stream) => (stream === "a" ? good : bad),
    });
    expect(report.streams).toBe(2);
    expect(report.events).toBe(6);
    expect(report.breaks).toEqual([{ stream: "b", seq: 2, reason: "hash_mismatch" }]);
  });
});

describe("document codes and content hash", () => {
  it("makes codes that the verify page accepts", () => {
    const codes = new Set(Array.from({ length: 200 }, () => newDocumentCode("2026-Q1")));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(DOCUMENT_CODE_PATTERN);
    expect(DOCUMENT_CODE_PATTERN.test("CK-2026Q1-ILOU0000")).toBe(false);
  });

  it("changes the content hash when any signed detail changes", () => {
    const base = {
      documentCode: "CK-2026Q1-ABCDEFGH",
      partyId: "p1",
      partyName: "Công ty TNHH Shopee",
      quarter: "2026-Q1",
      family: "platform" as const,
      templateVersion: 1,
      templateHash: "t",
      signer: { name: "Nguyễn Thị Hồng Nhung", title: "Giám đốc", email: "a@b.vn" },
      declarations: [{ id: "x", label: "X", value: "1" }],
      typedSignature: "Nguyễn Thị Hồng Nhung",
      signedAt: "2026-01-05T03:00:00.000Z",
      drawnSignatureSha256: null,
    };
    const hash = pledgeContentHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pledgeContentHash({ ...base })).toBe(hash);
    expect(pledgeContentHash({ ...base, signer: { ...base.signer, title: "Phó Giám đốc" } })).not.toBe(hash);
    expect(pledgeContentHash({ ...base, drawnSignatureSha256: "ab" })).not.toBe(hash);
  });
});

describe("pledge status", () => {
  const pledge = { quarter: "2026-Q1", status: "valid" } as Pledge;
  it("is valid in its quarter, expired after it, superseded by a later pledge", () => {
    expect(pledgeStatus(pledge, "2026-Q1", "2026-Q1")).toBe("valid");
    expect(pledgeStatus(pledge, "2026-Q1", "2026-Q2")).toBe("expired");
    expect(pledgeStatus(pledge, "2026-Q2", "2026-Q2")).toBe("superseded");
  });
  it("keeps a stored revocation or breach above everything", () => {
    expect(pledgeStatus({ ...pledge, status: "breached" }, "2026-Q3", "2026-Q3")).toBe("breached");
    expect(pledgeStatus({ ...pledge, status: "revoked" }, "2026-Q1", "2026-Q1")).toBe("revoked");
  });
});

describe("signing form", () => {
  it("requires consent, a consent of its own to the privacy notice, names and a typed signature, and normalises text to NFC", () => {
    const parsed = SignInputSchema.safeParse({
      signerName: "  Nguye\u0302\u0303n Va\u0306n A ",
      signerTitle: "Giám đốc",
      typedSignature: "Nguyễn Văn A",
      consent: true,
      privacyConsent: true,
    });
    expect(parsed.success && parsed.data.signerName).toBe("Nguyễn Văn A");
    const refused = SignInputSchema.safeParse({
      signerName: "",
      signerTitle: "x",
      typedSignature: "",
      consent: false,
    });
    expect(refused.success).toBe(false);
    const fields = refused.error?.issues.map((i) => i.path.join(".")).sort();
    expect(fields).toEqual(["consent", "privacyConsent", "signerName", "typedSignature"]);
  });

  it("accepts a PNG drawn signature and refuses anything else", () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString("base64");
    const ok = DrawnSignatureSchema.safeParse(`data:image/png;base64,${png}`);
    expect(ok.success && ok.data?.length).toBe(12);
    expect(DrawnSignatureSchema.safeParse("").success).toBe(true);
    expect(DrawnSignatureSchema.safeParse("data:image/svg+xml;base64,PHN2Zz4=").success).toBe(false);
    const gif = Buffer.from("GIF89a....").toString("base64");
    expect(DrawnSignatureSchema.safeParse(`data:image/png;base64,${gif}`).success).toBe(false);
  });

  it("checks the platform declarations by kind and keeps the template's order", () => {
    const template = templateFor("platform", "2026-Q1");
    const bad = checkDeclarations(template, {
      takedownContactEmail: "not-an-email",
      takedownResponseHours: "0",
    });
    expect(bad.ok).toBe(false);
    const fields = bad.ok ? [] : bad.issues.map((i) => i.field);
    expect(fields).toContain("declarations.takedownContactEmail");
    expect(fields).toContain("declarations.takedownResponseHours");
    expect(fields).toContain("declarations.sellerObligations");
    const good = checkDeclarations(template, {
      sellerObligations: "Mọi người bán ký cam kết chất lượng khi mở gian hàng.",
      violationTools: "Bộ lọc từ khóa và đội kiểm duyệt 24/7.",
      takedownContactName: "Trần Thị B",
      takedownContactEmail: "Takedown@Example.vn",
      takedownContactPhone: "0912 345 678",
      takedownResponseHours: "24",
    });
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(good.value.map((d) => d.id)).toEqual(template.declarations.map((d) => d.id));
      expect(good.value.find((d) => d.id === "takedownContactEmail")?.value).toBe("takedown@example.vn");
    }
  });
  it("checks each declaration for what it is: a short name is a name, a description needs substance (issue 24, item 5)", () => {
    const template = templateFor("platform", "2026-Q1");
    const base = {
      sellerObligations: "Mọi người bán ký cam kết chất lượng khi mở gian hàng.",
      violationTools: "Bộ lọc từ khóa và đội kiểm duyệt 24/7.",
      takedownContactEmail: "gokhoi@example.vn",
      takedownContactPhone: "024 3825 1234",
      takedownResponseHours: "24",
    };
    const issuesOf = (values: Record<string, string>) => {
      const result = checkDeclarations(template, { ...base, ...values });
      return result.ok ? [] : result.issues.map((i) => i.field);
    };
    for (const name of ["Lê Thu Hà", "Lê Hà", "Nguyễn Văn An, Trưởng phòng Pháp chế", "  Đỗ   Quỳnh  "]) {
      expect(issuesOf({ takedownContactName: name }), name).toEqual([]);
    }
    const spaced = checkDeclarations(template, { ...base, takedownContactName: "  Đỗ   Quỳnh  " });
    expect(spaced.ok && spaced.value.find((d) => d.id === "takedownContactName")?.value).toBe("Đỗ Quỳnh");
    for (const name of ["12345", "A", "gokhoi@example.vn", "https://example.vn", "- Lê Hà"]) {
      expect(issuesOf({ takedownContactName: name }), name).toEqual(["declarations.takedownContactName"]);
    }
    // Descriptions still need at least 10 characters; phones and e-mails their own rules.
    expect(issuesOf({ takedownContactName: "Lê Thu Hà", violationTools: "Có" })).toEqual([
      "declarations.violationTools",
    ]);
    expect(issuesOf({ takedownContactName: "Lê Thu Hà", takedownContactPhone: "12" })).toEqual([
      "declarations.takedownContactPhone",
    ]);
  });

  it("needs no declarations for other families", () => {
    expect(checkDeclarations(templateFor("medical", "2026-Q1"), {})).toEqual({ ok: true, value: [] });
  });
});
