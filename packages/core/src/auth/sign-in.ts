import { TooManyRequestsError, UnauthenticatedError } from "../errors";
import type { Clock } from "../ports";
import type { IdentityProvider, Sessions } from "./sessions";

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
  clock: Clock;
  limits?: SignInLimits;
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
  clock,
  limits = DEFAULT_SIGN_IN_LIMITS,
}: SignInDeps) {
  return async function signIn({ email, password, address }: SignInInput) {
    const now = clock.now();
    const accountKey = `account:${email.trim().toLowerCase()}`;
    const addressKey = `address:${address}`;
    // The attempt is counted before the password is checked, atomically: of a burst of parallel guesses
    // only the first `perAccount` (and `perAddress`) reach the identity provider.
    const [byAccount, byAddress] = await Promise.all([
      attempts.hit(accountKey, limits.windowSeconds, now),
      attempts.hit(addressKey, limits.windowSeconds, now),
    ]);
    if (byAccount > limits.perAccount || byAddress > limits.perAddress) {
      throw new TooManyRequestsError("Too many failed sign-in attempts", secondsLeftInWindow(now, limits));
    }
    const principal = await identities.authenticate(email.trim().toLowerCase(), password);
    if (!principal) {
      // One message for unknown account and wrong password: no account enumeration.
      throw new UnauthenticatedError("Email or password is incorrect");
    }
    // A success was not a failure: the account starts afresh, and the address gets its attempt back
    // (an office behind one address signs in many people).
    await Promise.all([
      attempts.clear(accountKey, limits.windowSeconds, now),
      attempts.hit(addressKey, limits.windowSeconds, now, -1),
    ]);
    return sessions.start(principal);
  };
}

function secondsLeftInWindow(now: Date, limits: SignInLimits): number {
  const windowMs = limits.windowSeconds * 1000;
  return Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000);
}

export type SignIn = ReturnType<typeof createSignIn>;
