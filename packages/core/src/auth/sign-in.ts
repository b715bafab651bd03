import { type FieldIssue, InvalidError, TooManyRequestsError, UnauthenticatedError } from "../errors";
import type { Clock } from "../ports";
import {
  type AuthAnswer,
  type AuthStep,
  CHALLENGE_TTL_SECONDS,
  type ChallengeKind,
  isChallenge,
  MAX_WRONG_ANSWERS,
  type PendingSignInStore,
  sealChallenge,
  unsealChallenge,
} from "./challenges";
import { hashToken, type IdentityProvider, randomToken, type Sessions } from "./sessions";

/** Counts events per key in fixed windows. Implemented with an atomic counter in DynamoDB. */
export interface AttemptCounter {
  /**
   * Records `by` attempts (1 unless given; -1 gives one back) and returns how many the key has in the
   * current window, atomically: of simultaneous hits each sees its own count.
   */
  hit(key: string, windowSeconds: number, now: Date, by?: number): Promise<number>;
  count(key: string, windowSeconds: number, now: Date): Promise<number>;
  clear(key: string, windowSeconds: number, now: Date): Promise<void>;
}

export interface SignInLimits {
  windowSeconds: number;
  /** Failed attempts allowed per account in a window before it is locked for the rest of the window. */
  perAccount: number;
  /** Failed attempts allowed per client address in a window (password spraying across accounts). */
  perAddress: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { windowSeconds: 15 * 60, perAccount: 5, perAddress: 30 };

export interface SignInDeps {
  identities: IdentityProvider;
  sessions: Sessions;
  attempts: AttemptCounter;
  /** Sign-ins waiting for a challenge's answer (a provider that asks none never uses it). */
  pending: PendingSignInStore;
  clock: Clock;
  limits?: SignInLimits;
}

/** The session a sign-in opened, or the challenge it waits on (its token goes to the browser as a cookie). */
export type SignInOutcome =
  | ({ kind: "session" } & Awaited<ReturnType<Sessions["start"]>>)
  | {
      kind: "challenge";
      challenge: ChallengeKind;
      token: string;
      expiresAt: Date;
      email: string;
      /** totp_setup: the authenticator's secret, to show with its QR code. */
      secret?: string;
      /** The previous answer was wrong (the same challenge is asked again under a new token). */
      wrongAnswer?: boolean;
      /** The previous answer was refused as invalid (a new password the policy refuses), with why. */
      issues?: FieldIssue[];
    };

/** What the challenge form sends: a new password twice, or a 6-digit code. */
export interface ChallengeForm {
  newPassword?: string;
  confirmPassword?: string;
  code?: string;
}

export interface ContinueSignInInput {
  token: string;
  answer: ChallengeForm;
  address: string;
}

/** The provider's answer from the form, or the fields' issues (the provider is not asked then). */
function answerOf(kind: ChallengeKind, form: ChallengeForm): AuthAnswer | FieldIssue[] {
  if (kind === "new_password") {
    const password = form.newPassword ?? "";
    if (password.length === 0) return [{ field: "newPassword", message: "required" }];
    if (password.length > 256) return [{ field: "newPassword", message: "too_long" }];
    if (password !== form.confirmPassword) return [{ field: "confirmPassword", message: "mismatch" }];
    return { newPassword: password };
  }
  const code = (form.code ?? "").replace(/\s+/g, "");
  if (!/^\d{6}$/.test(code)) return [{ field: "code", message: "six_digits" }];
  return { totpCode: code };
}

export interface SignInInput {
  email: string;
  password: string;
  /** The caller's address, as seen by the edge. */
  address: string;
}

export function createSignIn({
  identities,
  sessions,
  attempts,
  pending,
  clock,
  limits = DEFAULT_SIGN_IN_LIMITS,
}: SignInDeps) {
  const keys = (email: string, address: string) => ({
    account: `account:${email.trim().toLowerCase()}`,
    address: `address:${address}`,
  });

  /** Counts the attempt before the provider sees it, atomically; refuses once a window is spent. */
  async function admit(email: string, address: string): Promise<void> {
    const now = clock.now();
    const key = keys(email, address);
    // Of a burst of parallel guesses only the first `perAccount` (and `perAddress`) reach the provider.
    const [byAccount, byAddress] = await Promise.all([
      attempts.hit(key.account, limits.windowSeconds, now),
      attempts.hit(key.address, limits.windowSeconds, now),
    ]);
    if (byAccount > limits.perAccount || byAddress > limits.perAddress) {
      throw new TooManyRequestsError("Too many failed sign-in attempts", secondsLeftInWindow(now, limits));
    }
  }

  /** A step that succeeded was not a failure: the account starts afresh, the address gets its attempt back. */
  async function forgive(email: string, address: string): Promise<void> {
    const now = clock.now();
    const key = keys(email, address);
    await Promise.all([
      attempts.clear(key.account, limits.windowSeconds, now),
      attempts.hit(key.address, limits.windowSeconds, now, -1),
    ]);
  }

  async function next(
    step: AuthStep,
    email: string,
    wrongAnswers = 0,
    about: { wrongAnswer?: boolean; issues?: FieldIssue[] } = {},
  ): Promise<SignInOutcome> {
    if (!isChallenge(step)) return { kind: "session", ...(await sessions.start(step)) };
    const token = randomToken();
    const expiresAt = new Date(clock.now().getTime() + CHALLENGE_TTL_SECONDS * 1000);
    await pending.put({
      tokenHash: hashToken(token),
      email,
      kind: step.kind,
      sealed: sealChallenge(token, step),
      wrongAnswers,
      expiresAt: expiresAt.toISOString(),
    });
    return {
      kind: "challenge",
      challenge: step.kind,
      token,
      expiresAt,
      email,
      ...(step.secret ? { secret: step.secret } : {}),
      ...about,
    };
  }

  return {
    async signIn({ email, password, address }: SignInInput): Promise<SignInOutcome> {
      await admit(email, address);
      const normalized = email.trim().toLowerCase();
      const step = await identities.authenticate(normalized, password);
      // One message for unknown account and wrong password: no account enumeration.
      if (!step) throw new UnauthenticatedError("Email or password is incorrect");
      // Forgiven only once a session opens: a right password followed by wrong codes stays counted, or
      // the password would buy unlimited guesses at the code.
      if (!isChallenge(step)) await forgive(email, address);
      return next(step, normalized);
    },

    /**
     * Answers the challenge a pending sign-in waits on. The token is single-use: every answer, right or
     * wrong, ends it, and a wrong one opens the same challenge under a new token until MAX_WRONG_ANSWERS.
     * Each answer counts against the account's and the address's limits as a password does, so codes
     * cannot be guessed faster than passwords. An unknown, used or expired token is refused as expired.
     */
    async continueSignIn({ token, answer, address }: ContinueSignInInput): Promise<SignInOutcome> {
      const stored = await pending.take(hashToken(token));
      const expired = () => new UnauthenticatedError("The sign-in expired; sign in again");
      if (!stored || new Date(stored.expiresAt).getTime() <= clock.now().getTime()) throw expired();
      const challenge = unsealChallenge(token, stored.kind, stored.sealed);
      if (!challenge || !identities.respond) throw expired();
      const given = answerOf(stored.kind, answer);
      // A malformed answer is asked again without reaching the provider or counting as an attempt.
      if (Array.isArray(given)) return next(challenge, stored.email, stored.wrongAnswers, { issues: given });
      await admit(stored.email, address);
      let step: AuthStep | null;
      try {
        step = await identities.respond(challenge, given);
      } catch (error) {
        // A new password the policy refuses: the same challenge again, with the reason.
        if (error instanceof InvalidError) {
          return next(challenge, stored.email, stored.wrongAnswers, { issues: error.issues });
        }
        throw error;
      }
      if (!step) {
        if (stored.wrongAnswers + 1 >= MAX_WRONG_ANSWERS) throw expired();
        return next(challenge, stored.email, stored.wrongAnswers + 1, { wrongAnswer: true });
      }
      if (!isChallenge(step)) await forgive(stored.email, address);
      return next(step, stored.email);
    },
  };
}

function secondsLeftInWindow(now: Date, limits: SignInLimits): number {
  const windowMs = limits.windowSeconds * 1000;
  return Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000);
}

export type SignIn = ReturnType<typeof createSignIn>["signIn"];
export type ContinueSignIn = ReturnType<typeof createSignIn>["continueSignIn"];
