import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Principal, StaffRole } from "./roles";

/**
 * A step the identity provider asks for before it vouches for a user (Cognito on AWS): a new password on
 * the first sign-in of a user the operator created, a code from the authenticator app of a user who
 * enrolled one, or the enrolment itself for a role that must have one.
 */
export type ChallengeKind = "new_password" | "totp" | "totp_setup";

export interface AuthChallenge {
  kind: ChallengeKind;
  /** The provider's state of this sign-in (Cognito's session, or a token for the enrolment): secret. */
  state: string;
  /** totp_setup: the authenticator's shared secret, base32, to be shown to the user once. */
  secret?: string;
}

export type AuthAnswer = { newPassword: string } | { totpCode: string };

export type AuthStep = Principal | AuthChallenge;

export function isChallenge(step: AuthStep): step is AuthChallenge {
  return "state" in step && "kind" in step;
}

/** Roles that must sign in with an authenticator app on AWS (issue 18): leads approve, admins manage. */
export const TOTP_REQUIRED_ROLES: readonly StaffRole[] = ["lead", "admin"];

/** How long a pending sign-in lasts: the user pool client's auth session validity (infra). */
export const CHALLENGE_TTL_SECONDS = 5 * 60;
/** Wrong answers to one pending sign-in before it ends and the password must be typed again. */
export const MAX_WRONG_ANSWERS = 3;

/**
 * A sign-in waiting for its next answer, as stored: keyed by the SHA-256 of a random token the browser
 * holds (a cookie), with the provider's state sealed under a key derived from that token (AES-256-GCM).
 * Whoever reads the table alone can neither continue the sign-in nor read the provider's state.
 */
export interface PendingSignIn {
  tokenHash: string;
  email: string;
  kind: ChallengeKind;
  sealed: string;
  wrongAnswers: number;
  expiresAt: string;
}

export interface PendingSignInStore {
  put(pending: PendingSignIn): Promise<void>;
  /** Reads and removes, atomically: of two requests with one token only one gets it. */
  take(tokenHash: string): Promise<PendingSignIn | null>;
}

const SealedStateSchema = z.object({ state: z.string(), secret: z.string().optional() });

function keyOf(token: string): Buffer {
  return Buffer.from(hkdfSync("sha256", token, "pledgewatch", "sign-in challenge", 32));
}

export function sealChallenge(token: string, challenge: AuthChallenge): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(token), iv);
  const plain = JSON.stringify({ state: challenge.state, secret: challenge.secret });
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The challenge back from its sealed form; null when the token is not the one it was sealed with. */
export function unsealChallenge(token: string, kind: ChallengeKind, sealed: string): AuthChallenge | null {
  try {
    const raw = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", keyOf(token), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    const parsed = SealedStateSchema.parse(JSON.parse(plain));
    return { kind, state: parsed.state, ...(parsed.secret ? { secret: parsed.secret } : {}) };
  } catch {
    return null;
  }
}

/** The otpauth URI an authenticator app reads from the QR code (Key Uri Format). */
export function otpauthUri(secret: string, email: string, issuer = "Pledgewatch"): string {
  const label = encodeURIComponent(`${issuer}:${email}`);
  const query = new URLSearchParams({ secret, issuer, algorithm: "SHA1", digits: "6", period: "30" });
  return `otpauth://totp/${label}?${query.toString()}`;
}
