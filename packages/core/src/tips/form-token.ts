import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { TipRefusalReason } from "./model";

/**
 * The tip form's token, signed with a server secret (HMAC-SHA-256): `<issued ms>.<nonce>.<signature>`.
 * A bot that posts without loading the form has none; one that posts the instant it loads the form is
 * refused as too fast; an old token has expired; each token is taken once (the nonce is counted).
 */
export const FORM_MIN_FILL_MS = 3_000;
export const FORM_TTL_MS = 2 * 3_600_000;

const sign = (secret: Uint8Array, issued: string, nonce: string) =>
  createHmac("sha256", secret).update(`pledgewatch-tip-form|${issued}|${nonce}`).digest("base64url");

export function issueFormToken(secret: Uint8Array, now: Date): string {
  const issued = String(now.getTime());
  const nonce = randomBytes(16).toString("base64url");
  return `${issued}.${nonce}.${sign(secret, issued, nonce)}`;
}

export type FormTokenCheck =
  | { ok: true; nonce: string; issuedAt: Date }
  | { ok: false; reason: Extract<TipRefusalReason, `form_${string}`> };

/** Checks signature and age; that the nonce is unused is the caller's (it needs the counter store). */
export function checkFormToken(secret: Uint8Array, token: string | undefined, now: Date): FormTokenCheck {
  if (!token) return { ok: false, reason: "form_missing" };
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "form_invalid" };
  const [issued, nonce, signature] = parts as [string, string, string];
  if (!/^\d{1,15}$/.test(issued) || !/^[\w-]{10,64}$/.test(nonce))
    return { ok: false, reason: "form_invalid" };
  const expected = Buffer.from(sign(secret, issued, nonce));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "form_invalid" };
  }
  const age = now.getTime() - Number(issued);
  if (age < FORM_MIN_FILL_MS) return { ok: false, reason: "form_too_fast" };
  if (age > FORM_TTL_MS) return { ok: false, reason: "form_expired" };
  return { ok: true, nonce, issuedAt: new Date(Number(issued)) };
}
