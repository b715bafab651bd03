import { TooManyRequestsError, UnauthenticatedError } from "../errors";
import type { Clock } from "../ports";
import type { IdentityProvider, Sessions } from "./sessions";

/** Counts events per key in fixed windows. Implemented with an atomic counter in DynamoDB. */
export interface AttemptCounter {
  /** Records one attempt and returns how many the key has in the current window. */
  hit(key: string, windowSeconds: number, now: Date): Promise<number>;
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
    const [byAccount, byAddress] = await Promise.all([
      attempts.count(accountKey, limits.windowSeconds, now),
      attempts.count(addressKey, limits.windowSeconds, now),
    ]);
    if (byAccount >= limits.perAccount || byAddress >= limits.perAddress) {
      throw new TooManyRequestsError("Too many failed sign-in attempts", secondsLeftInWindow(now, limits));
    }
    const principal = await identities.authenticate(email.trim().toLowerCase(), password);
    if (!principal) {
      await Promise.all([
        attempts.hit(accountKey, limits.windowSeconds, now),
        attempts.hit(addressKey, limits.windowSeconds, now),
      ]);
      // One message for unknown account and wrong password: no account enumeration.
      throw new UnauthenticatedError("Email or password is incorrect");
    }
    await attempts.clear(accountKey, limits.windowSeconds, now);
    return sessions.start(principal);
  };
}

function secondsLeftInWindow(now: Date, limits: SignInLimits): number {
  const windowMs = limits.windowSeconds * 1000;
  return Math.ceil((windowMs - (now.getTime() % windowMs)) / 1000);
}

export type SignIn = ReturnType<typeof createSignIn>;
