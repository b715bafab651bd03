import type { Invitation, Party, Pledge } from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";
import { lastMail as lastMailOf, PLATFORM_SIGN_FORM, tokenOf, verifySigner } from "../support/signing";

/** The JSON API of pledge signing (/api/v1), against the real platform on DynamoDB Local. */
let p: Awaited<ReturnType<typeof createTestPlatform>>;
const cookies = { viewer: "", reviewer: "", lead: "", otherAgency: "" };
const meta = { ip: "203.0.113.30", userAgent: "Mozilla/5.0 vitest pledges-api" };
const SECRET_KEYS = ["tokenHash", "otp", "verifiedKeyHash"];

/** Two invitable CT parties: one for the invitation life (invite, resend, revoke), one that signs. */
let invitee: Party;
let signer: Party;
let invitationId = "";
let documentCode = "";

async function call(path: string, init: { method?: string; cookie?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = { Origin: "http://localhost" };
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  return p.app.request(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
}

async function expectJson<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return JSON.parse(text) as T;
}

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      keysOf(inner, into);
    }
  }
  return into;
}

function expectNoSecrets(value: unknown) {
  const keys = keysOf(value);
  for (const secret of SECRET_KEYS) expect(keys.has(secret), `key "${secret}" in response`).toBe(false);
}

const emailOf = (party: Party) => party.contacts.find((c) => c.email)?.email ?? "";

const lastMail = (to: string, kind: string) => lastMailOf(p.outbox, to, kind);

async function invitationCount(parties: Party[]): Promise<number> {
  let count = 0;
  for (const party of parties) count += (await p.repositories.signing.invitationsOfParty(party.id)).length;
  return count;
}

async function partiesOf(group: string): Promise<Party[]> {
  const res = await call(`/api/v1/parties?group=${group}&limit=200`, { cookie: cookies.reviewer });
  return (await expectJson<{ items: Party[] }>(res, 200)).items;
}

const platformForm = PLATFORM_SIGN_FORM;

beforeAll(async () => {
  p = await createTestPlatform();
  cookies.viewer = await p.cookieFor("viewer", "CT");
  cookies.reviewer = await p.cookieFor("reviewer", "CT");
  cookies.lead = await p.cookieFor("lead", "CT");
  cookies.otherAgency = await p.cookieFor("reviewer", "VHTT");
  // Found through the API as a CT reviewer: active, with an e-mail contact, not signed yet.
  const invitable = (await partiesOf("ecommerce_platform")).filter(
    (party) => party.status === "active" && emailOf(party) && !party.pledge,
  );
  const [first, second] = invitable;
  if (!first || !second) throw new Error("need two invitable CT parties in the demo data");
  invitee = first;
  signer = second;
});

describe("invitations API", () => {
  it("invites a party (201, without the invitation's secrets); a second invite is 409", async () => {
    const res = await call(`/api/v1/parties/${invitee.id}/invitations`, {
      method: "POST",
      cookie: cookies.reviewer,
    });
    const invitation = await expectJson<Invitation>(res, 201);
    expectNoSecrets(invitation);
    expect(invitation).toMatchObject({
      partyId: invitee.id,
      status: "active",
      sentCount: 1,
      email: emailOf(invitee),
    });
    invitationId = invitation.id;
    // The link went out by e-mail and never comes back through the API.
    const token = tokenOf((await lastMail(emailOf(invitee), "invitation")).text);
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(invitation)).not.toContain(token);

    const again = await call(`/api/v1/parties/${invitee.id}/invitations`, {
      method: "POST",
      cookie: cookies.reviewer,
    });
    expect((await expectJson<{ error: { code: string } }>(again, 409)).error.code).toBe("conflict");
  });

  it("resends an invitation: a new link, sentCount 2", async () => {
    const res = await call(`/api/v1/invitations/${invitationId}/resend`, {
      method: "POST",
      cookie: cookies.reviewer,
    });
    const invitation = await expectJson<Invitation>(res, 200);
    expectNoSecrets(invitation);
    expect(invitation).toMatchObject({ id: invitationId, status: "active", sentCount: 2 });
    expect((await lastMail(emailOf(invitee), "invitation")).subject).toMatch(/^\[Gửi lại\]/);
  });

  it("revokes an invitation with a reason; a short reason is 400, a second revoke 409", async () => {
    const short = await call(`/api/v1/invitations/${invitationId}/revoke`, {
      method: "POST",
      cookie: cookies.reviewer,
      json: { reason: "x" },
    });
    const invalid = await expectJson<{ error: { issues: { field: string }[] } }>(short, 400);
    expect(invalid.error.issues.map((i) => i.field)).toEqual(["reason"]);
    const extra = await call(`/api/v1/invitations/${invitationId}/revoke`, {
      method: "POST",
      cookie: cookies.reviewer,
      json: { reason: "Gửi nhầm đối tượng", status: "active" },
    });
    await expectJson(extra, 400);

    const res = await call(`/api/v1/invitations/${invitationId}/revoke`, {
      method: "POST",
      cookie: cookies.reviewer,
      json: { reason: "Gửi nhầm đối tượng" },
    });
    const invitation = await expectJson<Invitation>(res, 200);
    expectNoSecrets(invitation);
    expect(invitation).toMatchObject({
      id: invitationId,
      status: "revoked",
      revokeReason: "Gửi nhầm đối tượng",
    });
    const again = await call(`/api/v1/invitations/${invitationId}/revoke`, {
      method: "POST",
      cookie: cookies.reviewer,
      json: { reason: "Gửi nhầm đối tượng" },
    });
    await expectJson(again, 409);
    const resend = await call(`/api/v1/invitations/${invitationId}/resend`, {
      method: "POST",
      cookie: cookies.reviewer,
    });
    await expectJson(resend, 409);
  });

  it("refuses a viewer (403) and hides a party from another agency's staff (404)", async () => {
    const asViewer = await call(`/api/v1/parties/${invitee.id}/invitations`, {
      method: "POST",
      cookie: cookies.viewer,
    });
    expect((await expectJson<{ error: { code: string } }>(asViewer, 403)).error.code).toBe("forbidden");
    const bulkAsViewer = await call("/api/v1/invitations/bulk", {
      method: "POST",
      cookie: cookies.viewer,
      json: {},
    });
    await expectJson(bulkAsViewer, 403);

    const read = await call(`/api/v1/parties/${invitee.id}/pledges`, { cookie: cookies.otherAgency });
    expect((await expectJson<{ error: { code: string } }>(read, 404)).error.code).toBe("not_found");
    const invite = await call(`/api/v1/parties/${invitee.id}/invitations`, {
      method: "POST",
      cookie: cookies.otherAgency,
    });
    await expectJson(invite, 404);
    const resend = await call(`/api/v1/invitations/${invitationId}/resend`, {
      method: "POST",
      cookie: cookies.otherAgency,
    });
    await expectJson(resend, 404);

    const anonymous = await call(`/api/v1/parties/${invitee.id}/pledges`);
    await expectJson(anonymous, 401);
  });

  it("invites in bulk in the background: 202, then more invitations exist", async () => {
    const group = (await partiesOf("social_network")).filter((party) => party.status === "active");
    const before = await invitationCount(group);
    const bad = await call("/api/v1/invitations/bulk", {
      method: "POST",
      cookie: cookies.reviewer,
      json: { group: "social_network", everyone: true },
    });
    await expectJson(bad, 400);
    const badGroup = await call("/api/v1/invitations/bulk", {
      method: "POST",
      cookie: cookies.reviewer,
      json: { group: "nobody" },
    });
    await expectJson(badGroup, 400);
    // Another province than the reviewer's: refused now, not accepted and left to fail in the background.
    const otherProvince = await call("/api/v1/invitations/bulk", {
      method: "POST",
      cookie: cookies.reviewer,
      json: { province: "01" },
    });
    await expectJson(otherProvince, 403);

    const res = await call("/api/v1/invitations/bulk", {
      method: "POST",
      cookie: cookies.reviewer,
      json: { group: "social_network" },
    });
    expect(await expectJson(res, 202)).toEqual({ accepted: true });
    await p.tasks.idle();
    expect(p.tasks.deadLetters).toEqual([]);
    const after = await invitationCount(group);
    expect(after).toBeGreaterThan(before);
  });
});

describe("pledges API", () => {
  let pledge: Pledge;

  it("lists a party's invitations without token hash, code or browser key, even once those exist", async () => {
    const invited = await call(`/api/v1/parties/${signer.id}/invitations`, {
      method: "POST",
      cookie: cookies.reviewer,
    });
    await expectJson(invited, 201);
    const { token, key } = await verifySigner(p, emailOf(signer), meta);
    // The stored invitation now holds all three secrets …
    const [stored] = await p.repositories.signing.invitationsOfParty(signer.id);
    expect(stored?.tokenHash).toBeTruthy();
    expect(stored?.otp).toBeTruthy();
    expect(stored?.verifiedKeyHash).toBeTruthy();

    // … and the API shows none of them.
    const res = await call(`/api/v1/parties/${signer.id}/pledges`, { cookie: cookies.viewer });
    const body = await expectJson<{ invitations: Invitation[]; pledges: unknown[] }>(res, 200);
    expect(body.invitations.map((i) => i.id)).toEqual([stored?.id]);
    expect(body.invitations[0]?.verifiedAt).toBeTruthy();
    expect(body.pledges).toEqual([]);
    expectNoSecrets(body);

    // Signed here (through the service, as the signer's browser would), for the tests below.
    pledge = await p.signing.sign(token, key, platformForm, meta);
    documentCode = pledge.documentCode;
    expect(documentCode).toMatch(/^CK-\d{4}Q[1-4]-[0-9A-Z]{8}$/);
  });

  it("shows the signed pledge with its effective status, and still no invitation secrets", async () => {
    const res = await call(`/api/v1/parties/${signer.id}/pledges`, { cookie: cookies.viewer });
    const body = await expectJson<{
      invitations: Invitation[];
      pledges: (Pledge & { effectiveStatus: string })[];
    }>(res, 200);
    expectNoSecrets(body);
    expect(body.invitations[0]).toMatchObject({ status: "signed", documentCode });
    expect(body.pledges).toHaveLength(1);
    expect(body.pledges[0]).toMatchObject({
      documentCode,
      partyId: signer.id,
      status: "valid",
      effectiveStatus: "valid",
      // Kept for staff: the audit record of who signed from where.
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
  });

  it("gives a pledge by its code, and its sealed PDF as an attachment", async () => {
    const res = await call(`/api/v1/pledges/${documentCode}`, { cookie: cookies.viewer });
    const body = await expectJson<Pledge>(res, 200);
    expect(body).toMatchObject({ documentCode, partyId: signer.id, fileSha256: pledge.fileSha256 });

    const doc = await call(`/api/v1/pledges/${documentCode}/document`, { cookie: cookies.viewer });
    expect(doc.status).toBe(200);
    expect(doc.headers.get("content-type")).toBe("application/pdf");
    expect(doc.headers.get("content-disposition")).toBe(`attachment; filename="${documentCode}.pdf"`);
    expect(doc.headers.get("cache-control")).toBe("no-store");
    const bytes = new Uint8Array(await doc.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(bytes.length).toBe(pledge.fileSize);

    // Out of another agency's scope: as if it did not exist.
    await expectJson(await call(`/api/v1/pledges/${documentCode}`, { cookie: cookies.otherAgency }), 404);
    await expectJson(
      await call(`/api/v1/pledges/${documentCode}/document`, { cookie: cookies.otherAgency }),
      404,
    );
    // Unknown and malformed codes.
    await expectJson(await call("/api/v1/pledges/CK-2026Q1-AAAAAAAA", { cookie: cookies.viewer }), 404);
    const malformed = await call("/api/v1/pledges/CK-2026Q5-AAAAAAAA/document", { cookie: cookies.viewer });
    const invalid = await expectJson<{ error: { issues: { field: string }[] } }>(malformed, 400);
    expect(invalid.error.issues.map((i) => i.field)).toEqual(["code"]);
  });

  it("shows the public exactly the public view of a pledge, by code and in the registry", async () => {
    const res = await call(`/api/v1/public/pledges/${documentCode}`);
    const view = await expectJson<Record<string, unknown>>(res, 200);
    expect(Object.keys(view).sort()).toEqual(
      [
        "documentCode",
        "family",
        "group",
        "name",
        "provinces",
        "quarter",
        "quarterLabel",
        "signedAt",
        "status",
      ].sort(),
    );
    expect(view).toMatchObject({ documentCode, name: signer.name, status: "valid", quarter: pledge.quarter });

    const list = await call(`/api/v1/public/pledges?quarter=${pledge.quarter}`);
    const page = await expectJson<{ quarter: string; items: { documentCode: string }[] }>(list, 200);
    expect(page.quarter).toBe(pledge.quarter);
    expect(Array.isArray(page.items)).toBe(true);
    expect(page.items.map((i) => i.documentCode)).toContain(documentCode);
    expect(keysOf(page).has("partyId")).toBe(false);
    expect(keysOf(page).has("signer")).toBe(false);
  });

  it("lets a lead revoke a pledge (reviewer 403, second revoke 409); the public sees it revoked", async () => {
    const asReviewer = await call(`/api/v1/pledges/${documentCode}/revoke`, {
      method: "POST",
      cookie: cookies.reviewer,
      json: { reason: "Vi phạm cam kết" },
    });
    await expectJson(asReviewer, 403);
    const res = await call(`/api/v1/pledges/${documentCode}/revoke`, {
      method: "POST",
      cookie: cookies.lead,
      json: { reason: "Vi phạm cam kết" },
    });
    const revoked = await expectJson<Pledge>(res, 200);
    expect(revoked).toMatchObject({ documentCode, status: "revoked", statusReason: "Vi phạm cam kết" });
    const again = await call(`/api/v1/pledges/${documentCode}/revoke`, {
      method: "POST",
      cookie: cookies.lead,
      json: { reason: "Vi phạm cam kết" },
    });
    await expectJson(again, 409);
    const unknown = await call("/api/v1/pledges/CK-2026Q1-AAAAAAAA/revoke", {
      method: "POST",
      cookie: cookies.lead,
      json: { reason: "Vi phạm cam kết" },
    });
    await expectJson(unknown, 404);

    const view = await expectJson<{ status: string }>(
      await call(`/api/v1/public/pledges/${documentCode}`),
      200,
    );
    expect(view.status).toBe("revoked");
  });
});

describe("public pledges API", () => {
  it("lists the registry without signing in: 200 with an items array", async () => {
    const res = await call("/api/v1/public/pledges");
    const page = await expectJson<{ quarter: string; items: unknown[] }>(res, 200);
    expect(page.quarter).toMatch(/^\d{4}-Q[1-4]$/);
    expect(Array.isArray(page.items)).toBe(true);
    const filtered = await call("/api/v1/public/pledges?province=37&family=platform");
    expect(Array.isArray((await expectJson<{ items: unknown[] }>(filtered, 200)).items)).toBe(true);
  });

  it("refuses a malformed registry query (400)", async () => {
    await expectJson(await call("/api/v1/public/pledges?quarter=2026Q1"), 400);
    await expectJson(await call("/api/v1/public/pledges?family=nobody"), 400);
    await expectJson(await call("/api/v1/public/pledges?province=99"), 400);
    await expectJson(await call("/api/v1/public/pledges?limit=5"), 400);
  });

  it("answers 404 JSON for an unknown code and 400 for a malformed one", async () => {
    const unknown = await call("/api/v1/public/pledges/CK-2026Q1-AAAAAAAA");
    const body = await expectJson<{ error: { code: string; requestId: string } }>(unknown, 404);
    expect(body.error.code).toBe("not_found");
    expect(body.error.requestId).toBeTruthy();

    for (const code of ["CK-2026Q1-AAAA", "ck-2026q1-aaaaaaaa", "XX-2026Q1-AAAAAAAA"]) {
      const res = await call(`/api/v1/public/pledges/${code}`);
      const invalid = await expectJson<{ error: { code: string; issues: { field: string }[] } }>(res, 400);
      expect(invalid.error.code).toBe("invalid");
      expect(invalid.error.issues.map((i) => i.field)).toEqual(["code"]);
    }
  });

  it("documents the routes in the OpenAPI document: tags, public security, the PDF as binary", async () => {
    const doc = (await (await call("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown[]; responses: never }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.paths["/api/v1/public/pledges"]?.get?.security).toEqual([]);
    expect(doc.paths["/api/v1/public/pledges/{code}"]?.get?.tags).toEqual(["Public"]);
    expect(doc.paths["/api/v1/parties/{id}/pledges"]?.get?.tags).toEqual(["Pledges"]);
    for (const path of [
      "/api/v1/parties/{id}/invitations",
      "/api/v1/invitations/bulk",
      "/api/v1/invitations/{id}/resend",
      "/api/v1/invitations/{id}/revoke",
      "/api/v1/pledges/{code}/revoke",
    ]) {
      expect(doc.paths[path]?.post?.tags, path).toEqual(["Pledges"]);
    }
    const pdf = doc.paths["/api/v1/pledges/{code}/document"]?.get?.responses as unknown as Record<
      string,
      { content?: Record<string, { schema: { format?: string } }> }
    >;
    expect(pdf["200"]?.content?.["application/pdf"]?.schema.format).toBe("binary");
    const invitation = Object.keys(doc.components.schemas.Invitation?.properties ?? {});
    expect(invitation).toContain("partyId");
    for (const secret of SECRET_KEYS) expect(invitation).not.toContain(secret);
    expect(Object.keys(doc.components.schemas.PublicPledge?.properties ?? {})).not.toContain("partyId");
  });
});
