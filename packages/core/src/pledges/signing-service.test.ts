import { beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../auth/roles";
import { createCoverageService } from "../coverage/service";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import { TaxCodeSchema } from "../parties/identifiers";
import { type PartyInput, PartyInputSchema } from "../parties/input";
import { createPartyService } from "../parties/service";
import type { Task } from "../ports";
import { TEST_EMAILS } from "../testing/emails";
import {
  createMemoryAttemptCounter,
  createMemoryCounters,
  createMemoryCoverageRepository,
  createMemoryDocumentStore,
  createMemoryPartyRepository,
  createMemorySigningRepository,
} from "../testing/memory";
import type { OutgoingEmail } from "./ports";
import { createSigningService } from "./service";

// The signing guards and the coverage they move, on the in-memory repositories: who may be invited,
// what a signer must do before signing, what a second attempt gets, and the counters a signature and a
// revocation change. DynamoDB's transactions and indexes are tested in test/integration/signing.test.ts.

let now = new Date("2026-02-10T03:00:00Z");
const clock = { now: () => new Date(now) };
const staff: Principal = {
  staffId: "ct-37",
  email: "ct@camket.example.vn",
  name: "Cán bộ Công Thương",
  agency: "CT",
  province: "37",
  role: "lead",
};
const meta = { ip: "203.0.113.9", userAgent: "vitest" };
/** Tax codes that pass the checksum, found the way a clerk would not: by trying. */
const TAX_CODES = (() => {
  const found: string[] = [];
  for (let n = 100_000_000; found.length < 20; n++) {
    const candidate = `0${n}`;
    if (TaxCodeSchema.safeParse(candidate).success) found.push(candidate);
  }
  return found;
})();
const platformInput = (n: number, email?: string): PartyInput =>
  PartyInputSchema.parse({
    name: `Sàn Thử ${n}`,
    group: "ecommerce_platform",
    provinces: ["37"],
    taxCode: TAX_CODES[n],
    ...(email ? { contacts: [{ name: "Pháp chế", email }] } : {}),
    obligatedFrom: "2026-01-01",
  });
const signForm = {
  signerName: "Nguyễn Thị Hồng Nhung",
  signerTitle: "Giám đốc pháp chế",
  typedSignature: "Nguyễn Thị Hồng Nhung",
  consent: true,
  privacyConsent: true,
  declarations: {
    sellerObligations: "Mọi người bán phải ký cam kết chất lượng trước khi mở gian hàng.",
    violationTools: "Bộ lọc từ khóa, nhận diện hình ảnh và đội kiểm duyệt 24/7.",
    takedownContactName: "Trần Văn Bình",
    takedownContactEmail: "gokhoi@example.vn",
    takedownContactPhone: "0912345678",
    takedownResponseHours: "24",
  },
};

function setup() {
  const counters = createMemoryCounters();
  const partyRepository = createMemoryPartyRepository(counters);
  const signingRepository = createMemorySigningRepository(partyRepository);
  const documents = createMemoryDocumentStore();
  const mail: OutgoingEmail[] = [];
  const queued: Task[] = [];
  let ids = 0;
  const newId = () => `id-${++ids}`;
  const tasks = { enqueue: async (task: Task) => void queued.push(task) };
  const parties = createPartyService({ parties: partyRepository, clock, newId });
  const signing = createSigningService({
    parties: partyRepository,
    signing: signingRepository,
    mailer: { send: async (m) => void mail.push(m) },
    documents,
    // The document's bytes stand in for the PDF: what is tested here is the order of the guards.
    render: async (input) => new TextEncoder().encode(`PDF ${input.documentCode} ${input.signer.name}`),
    seal: async (pdf) => pdf,
    inspect: async () => ({ kind: "not_ours" }) as never,
    attempts: createMemoryAttemptCounter(),
    tasks,
    clock,
    newId,
    publicBaseUrl: "https://camket.example.vn",
    emails: TEST_EMAILS,
  });
  const coverage = createCoverageService({
    coverage: createMemoryCoverageRepository(counters),
    parties: partyRepository,
    signing: signingRepository,
    signingService: signing,
    documents,
    tasks,
    clock,
    newId,
    renderPdf: async () => new Uint8Array(),
    writeXlsx: async () => new Uint8Array(),
  });
  const lastMail = (kind: string) => {
    const found = mail.filter((m) => m.kind === kind).at(-1);
    if (!found) throw new Error(`no ${kind} mail`);
    return found;
  };
  const tokenOf = () => /\/sign\/([\w-]+)/.exec(lastMail("invitation").text)?.[1] ?? "";
  const codeOf = () => /(\d{6})/.exec(lastMail("otp").subject)?.[1] ?? "";
  async function verified() {
    const token = tokenOf();
    await signing.sendCode(token, meta);
    const { key } = await signing.verifyCode(token, codeOf(), meta);
    return { token, key };
  }
  return { parties, signing, coverage, mail, queued, documents, tokenOf, codeOf, verified };
}

let t: ReturnType<typeof setup>;
beforeEach(() => {
  now = new Date("2026-02-10T03:00:00Z");
  t = setup();
});

describe("signing guards on the in-memory repositories", () => {
  it("refuses to invite a party without an e-mail, and a second invitation in the same quarter", async () => {
    const silent = await t.parties.create(staff, platformInput(1));
    const error = await t.signing.invite(staff, silent.id).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).issues[0]?.field).toBe("partyId");
    const party = await t.parties.create(staff, platformInput(2, "phapche2@example.vn"));
    await t.signing.invite(staff, party.id);
    await expect(t.signing.invite(staff, party.id)).rejects.toBeInstanceOf(ConflictError);
    expect(t.mail.filter((m) => m.kind === "invitation").map((m) => m.to)).toEqual(["phapche2@example.vn"]);
  });

  it("does not sign without a verified code, nor with a wrong one beyond the attempts allowed", async () => {
    const party = await t.parties.create(staff, platformInput(3, "phapche3@example.vn"));
    await t.signing.invite(staff, party.id);
    const token = t.tokenOf();
    await expect(t.signing.sign(token, undefined, signForm, meta)).rejects.toThrow();
    await t.signing.sendCode(token, meta);
    const wrong = t.codeOf() === "000000" ? "111111" : "000000";
    let last: unknown;
    for (let i = 0; i < 6; i++) last = await t.signing.verifyCode(token, wrong, meta).catch((e) => e);
    expect(last).toBeInstanceOf(InvalidError);
    expect((last as InvalidError).message).toContain("hết lượt");
    // The right code no longer works: the code is spent by the failures.
    await expect(t.signing.verifyCode(token, t.codeOf(), meta)).rejects.toThrow();
  });

  it("signs once: a resubmission from the same browser gets the same pledge, another browser a refusal", async () => {
    const party = await t.parties.create(staff, platformInput(4, "phapche4@example.vn"));
    await t.signing.invite(staff, party.id);
    const { token, key } = await t.verified();
    const pledge = await t.signing.sign(token, key, signForm, meta);
    expect(pledge.status).toBe("valid");
    expect((await t.signing.sign(token, key, signForm, meta)).documentCode).toBe(pledge.documentCode);
    await expect(t.signing.sign(token, undefined, signForm, meta)).rejects.toBeInstanceOf(ConflictError);
    expect(t.documents.keys().filter((k) => k.startsWith("pledges/"))).toHaveLength(1);
    expect(t.queued.map((q) => q.type)).toContain("pledges.email-signed-copy");
    expect((await t.signing.verifyCodeLookup(pledge.documentCode))?.status).toBe("valid");
  });

  it("refuses an expired link and a revoked invitation", async () => {
    const party = await t.parties.create(staff, platformInput(5, "phapche5@example.vn"));
    const invitation = await t.signing.invite(staff, party.id);
    const token = t.tokenOf();
    await t.signing.revoke(staff, invitation.id, "Gửi nhầm địa chỉ");
    expect((await t.signing.open(token, meta)).state).toBe("revoked");
    await expect(t.signing.sendCode(token, meta)).rejects.toBeInstanceOf(NotFoundError);

    const other = await t.parties.create(staff, platformInput(6, "phapche6@example.vn"));
    await t.signing.invite(staff, other.id);
    const late = t.tokenOf();
    now = new Date(now.getTime() + 31 * 86_400_000);
    expect((await t.signing.open(late, meta)).state).toBe("expired");
  });

  it("keeps another province's parties out of reach", async () => {
    const party = await t.parties.create(staff, platformInput(7, "phapche7@example.vn"));
    const hanoi: Principal = { ...staff, staffId: "ct-01", province: "01" };
    await expect(t.signing.invite(hanoi, party.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("coverage counting on the in-memory repositories", () => {
  it("counts a registration as obligated, a signature as signed, a revocation as unsigned, and agrees with a recount", async () => {
    const a = await t.parties.create(staff, platformInput(8, "a@example.vn"));
    await t.parties.create(staff, platformInput(9, "b@example.vn"));
    const before = await t.coverage.read(staff, undefined);
    expect(before.total).toMatchObject({ obligated: 2, signed: 0, percent: 0 });

    await t.signing.invite(staff, a.id);
    const { token, key } = await t.verified();
    const pledge = await t.signing.sign(token, key, signForm, meta);
    expect((await t.coverage.read(staff, undefined)).total).toMatchObject({
      obligated: 2,
      signed: 1,
      percent: 50,
    });

    await t.signing.revokePledge(staff, pledge.documentCode, "Ký nhầm người đại diện");
    expect((await t.coverage.read(staff, undefined)).total).toMatchObject({ obligated: 2, signed: 0 });

    const reconciled = await t.coverage.reconcile();
    expect(reconciled.drift).toEqual([]);
    expect(reconciled.parties).toBe(2);
  });

  it("lists who has not signed, and sends a reminder to one already invited instead of a second invitation", async () => {
    const a = await t.parties.create(staff, platformInput(10, "c@example.vn"));
    await t.signing.invite(staff, a.id);
    const reminded = await t.coverage.remind(staff, a.id);
    expect(reminded.kind).toBe("reminded");
    expect(t.mail.filter((m) => m.kind === "invitation")).toHaveLength(2);
    expect(t.mail.at(-1)?.subject).toBe("invitation resent");
  });
});
