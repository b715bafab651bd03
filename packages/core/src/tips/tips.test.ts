import { describe, expect, it } from "vitest";
import { checkFormToken, FORM_MIN_FILL_MS, FORM_TTL_MS, issueFormToken } from "./form-token";
import { parseTipContact, TipInputSchema } from "./input";
import { routeTip } from "./routing";
import { newTrackingCode, normalizeTrackingCode } from "./service";
import { publicTipStatus } from "./status";

const secret = new Uint8Array(32).fill(7);
const t0 = new Date("2026-03-02T03:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

describe("the tip form token", () => {
  it("is accepted between the minimum fill time and its expiry, and names its nonce", () => {
    const token = issueFormToken(secret, t0);
    const check = checkFormToken(secret, token, later(FORM_MIN_FILL_MS));
    expect(check.ok).toBe(true);
    expect(check.ok && check.issuedAt.toISOString()).toBe(t0.toISOString());
  });

  it("refuses a token filled too fast, an expired one, a forged one and none at all", () => {
    const token = issueFormToken(secret, t0);
    expect(checkFormToken(secret, token, later(FORM_MIN_FILL_MS - 1))).toEqual({
      ok: false,
      reason: "form_too_fast",
    });
    expect(checkFormToken(secret, token, later(FORM_TTL_MS + 1))).toEqual({
      ok: false,
      reason: "form_expired",
    });
    expect(checkFormToken(new Uint8Array(32).fill(8), token, later(5_000))).toEqual({
      ok: false,
      reason: "form_invalid",
    });
    // Moving the issue time back (to pass the fill time) breaks the signature.
    const [issued, nonce, sig] = token.split(".");
    const forged = `${Number(issued) - 10_000}.${nonce}.${sig}`;
    expect(checkFormToken(secret, forged, later(1_000))).toEqual({ ok: false, reason: "form_invalid" });
    expect(checkFormToken(secret, undefined, t0)).toEqual({ ok: false, reason: "form_missing" });
    expect(checkFormToken(secret, "garbage", t0)).toEqual({ ok: false, reason: "form_invalid" });
  });
});

describe("the tipster's contact", () => {
  it("takes an e-mail or a Vietnamese phone number, normalised", () => {
    expect(parseTipContact(" An.Nguyen@Example.VN ")).toEqual({
      kind: "email",
      value: "an.nguyen@example.vn",
    });
    expect(parseTipContact("0912 345 678")).toEqual({ kind: "phone", value: "0912345678" });
    expect(parseTipContact("+84 912.345.678")).toEqual({ kind: "phone", value: "0912345678" });
  });

  it("refuses anything else, with a Vietnamese message on the field", () => {
    expect(parseTipContact("12345")).toBeNull();
    expect(parseTipContact("an@")).toBeNull();
    const parsed = TipInputSchema.safeParse({
      url: "https://shop.example.vn/a",
      category: "counterfeit",
      contact: "gọi tôi",
      province: "79",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["contact"]);
    expect(parsed.error?.issues[0]?.message).toMatch(/e-mail hoặc số điện thoại/);
  });

  it("refuses an unknown category and province", () => {
    const parsed = TipInputSchema.safeParse({ url: "https://a.vn", category: "nope", province: "999" });
    expect(parsed.error?.issues.map((i) => i.path[0]).sort()).toEqual(["category", "province"]);
  });
});

describe("tracking codes", () => {
  it("are 16 random characters of an unambiguous alphabet, typed back in any case", () => {
    const codes = new Set(Array.from({ length: 500 }, () => newTrackingCode()));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const one = [...codes][0] as string;
    expect(normalizeTrackingCode(one.toLowerCase().replace(/-/g, " "))).toBe(one);
    expect(normalizeTrackingCode("ILOU-0000-0000-0000")).toBeNull();
  });
});

describe("a tip the rules do not flag", () => {
  it("goes to the queue of what the tipster chose", () => {
    expect(routeTip("health_claim", { kind: "listing" })).toEqual({ agency: "YT", rule: "health_claim" });
    expect(routeTip("false_advertising", { kind: "listing" })).toEqual({
      agency: "VHTT",
      rule: "ad_or_post",
    });
    expect(routeTip("counterfeit", { kind: "post" })).toEqual({ agency: "CT", rule: "listing" });
    expect(routeTip("smuggled", { kind: "ad" })).toEqual({ agency: "CT", rule: "listing" });
    expect(routeTip("other", { kind: "post" })).toEqual({ agency: "VHTT", rule: "ad_or_post" });
  });
});

describe("the public status of a tip", () => {
  const captured = { captureOutcome: "succeeded" as const };
  it("follows its case without saying more than the stage", () => {
    expect(publicTipStatus(captured, null, null)).toBe("received");
    // A tip whose capture URL safety refused has no case, and says so.
    expect(publicTipStatus({ state: "not_checkable", captureOutcome: "failed" }, null, null)).toBe(
      "not_checkable",
    );
    expect(publicTipStatus({}, { state: "open" }, null)).toBe("received");
    expect(publicTipStatus(captured, { state: "open" }, null)).toBe("evidence_captured");
    for (const state of ["assigned", "escalated", "awaiting_approval"] as const) {
      expect(publicTipStatus(captured, { state }, null)).toBe("under_review");
    }
    expect(publicTipStatus(captured, { state: "takedown" }, null)).toBe("violation_confirmed");
    const confirmed = {
      kind: "confirmed" as const,
      violation: { type: "counterfeit" as const, legalBasis: "x", statement: "y" },
      by: { staffId: "s", name: "n" },
      at: t0.toISOString(),
    };
    expect(
      publicTipStatus(captured, { state: "closed", decision: confirmed }, { state: "confirmed_removed" }),
    ).toBe("taken_down");
    expect(publicTipStatus(captured, { state: "closed", decision: confirmed }, { state: "overdue" })).toBe(
      "violation_confirmed",
    );
    const dismissed = {
      kind: "dismissed" as const,
      reason: "false_positive" as const,
      by: { staffId: "s", name: "n" },
      at: t0.toISOString(),
    };
    expect(publicTipStatus(captured, { state: "closed", decision: dismissed }, null)).toBe("no_violation");
    expect(publicTipStatus(captured, { state: "void" }, null)).toBe("taken_down");
  });
});
