import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../ports";
import type { AuthAnswer, AuthChallenge, AuthStep } from "./challenges";
import type { Principal } from "./roles";

export interface StoredSession {
  /** SHA-256 of the cookie token: the token itself is never stored. */
  tokenHash: string;
  principal: Principal;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  put(session: StoredSession): Promise<void>;
  get(tokenHash: string): Promise<StoredSession | null>;
  delete(tokenHash: string): Promise<void>;
  /** Deletes every session of a staff member (sign-out everywhere); how many there were. */
  deleteAllOf(staffId: string): Promise<number>;
}

export interface IdentityProvider {
  /**
   * Checks email and password: the user, or a challenge the user must answer first (Cognito: a new
   * password, an authenticator code, an enrolment); null when they do not match an active account.
   */
  authenticate(email: string, password: string): Promise<AuthStep | null>;
  /**
   * Answers a challenge: the next step, or null when the answer is wrong and the same challenge may be
   * asked again. Throws InvalidError (field `newPassword`) for a password the provider's policy refuses,
   * UnauthenticatedError when the provider's state of the sign-in expired. Absent: no challenges.
   */
  respond?(challenge: AuthChallenge, answer: AuthAnswer): Promise<AuthStep | null>;
  /** Re-reads the account behind a session; null when it was disabled or removed since. */
  refresh(principal: Principal): Promise<Principal | null>;
}

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export interface SessionsDeps {
  store: SessionStore;
  identities: IdentityProvider;
  clock: Clock;
  /** Absolute lifetime of a session. */
  ttlSeconds: number;
}

export function createSessions({ store, identities, clock, ttlSeconds }: SessionsDeps) {
  return {
    async start(principal: Principal): Promise<{ token: string } & ActiveSession> {
      const token = randomToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
      const csrfToken = randomToken(24);
      await store.put({
        tokenHash: hashToken(token),
        principal,
        csrfToken,
        createdAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      return { token, principal, csrfToken, expiresAt };
    },

    async resolve(token: string): Promise<ActiveSession | null> {
      const stored = await store.get(hashToken(token));
      if (!stored) return null;
      const expiresAt = new Date(stored.expiresAt);
      if (expiresAt.getTime() <= clock.now().getTime()) {
        await store.delete(stored.tokenHash);
        return null;
      }
      const principal = await identities.refresh(stored.principal);
      if (!principal) {
        await store.delete(stored.tokenHash);
        return null;
      }
      return { principal, csrfToken: stored.csrfToken, expiresAt };
    },

    async end(token: string): Promise<void> {
      await store.delete(hashToken(token));
    },

    /**
     * Ends every session of the staff member this token belongs to, on every device: the current one
     * included. How many ended (0 for a token that is no session).
     */
    async endEverywhere(token: string): Promise<number> {
      const stored = await store.get(hashToken(token));
      if (!stored) return 0;
      const ended = await store.deleteAllOf(stored.principal.staffId);
      // The index may not have caught up with a session started a moment ago; this one ends regardless.
      await store.delete(stored.tokenHash);
      return Math.max(ended, 1);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
