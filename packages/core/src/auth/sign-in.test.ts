import { describe, expect, it } from "vitest";
import { InvalidError, TooManyRequestsError, UnauthenticatedError } from "../errors";
import type { Clock } from "../ports";
import { createMemoryAttemptCounter, createMemoryPendingSignInStore } from "../testing/memory";
import type { AuthChallenge } from "./challenges";
import type { Principal } from "./roles";
import { createSessions, type IdentityProvider, type SessionStore, type StoredSession } from "./sessions";
import { type AttemptCounter, createSignIn, type SignInInput } from "./sign-in";

const alice: Principal = {
  staffId: "s-1",
  email: "alice@example.vn",
  name: "Alice",
  agency: "CT",
  province: "37",
  role: "reviewer",
};

function fakes(start = new Date("2026-03-01T02:00:00Z")) {
  let now = start;
  const clock: Clock = { now: () => now };
  const sessionsById = new Map<string, StoredSession>();
  const store: SessionStore = {
    put: async (s) => void sessionsById.set(s.tokenHash, s),
    get: async (h) => sessionsById.get(h) ?? null,
    delete: async (h) => void sessionsById.delete(h),
    deleteAllOf: async () => 0,
  };
  const active = new Set([alice.staffId]);
  let checks = 0;
  const identities: IdentityProvider = {
    // As slow as a real password check: parallel attempts overlap.
    authenticate: async (email, password) => {
      checks++;
      await new Promise((r) => setTimeout(r, 5));
      return email === alice.email && password === "correct horse" ? alice : null;
    },
    refresh: async (p) => (active.has(p.staffId) ? p : null),
  };
  const attempts: AttemptCounter = createMemoryAttemptCounter();
  const sessions = createSessions({ store, identities, clock, ttlSeconds: 3600 });
  const flow = createSignIn({
    identities,
    sessions,
    attempts,
    pending: createMemoryPendingSignInStore(),
    clock,
  });
  // This provider asks no challenge: every sign-in opens a session.
  const signIn = async (input: SignInInput) => {
    const outcome = await flow.signIn(input);
    if (outcome.kind !== "session") throw new Error(`unexpected challenge ${outcome.challenge}`);
    return outcome;
  };
  return {
    checks: () => checks,
    attempts,
    signIn,
    sessions,
    sessionsById,
    active,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe("sign-in", () => {
  it("opens a session whose token is stored only as a hash", async () => {
    const f = fakes();
    const session = await f.signIn({
      email: " Alice@Example.vn ",
      password: "correct horse",
      address: "1.1.1.1",
    });
    expect(session.principal).toEqual(alice);
    expect([...f.sessionsById.keys()]).not.toContain(session.token);
    expect((await f.sessions.resolve(session.token))?.principal).toEqual(alice);
  });

  it("gives the same error for an unknown account and a wrong password", async () => {
    const f = fakes();
    const unknown = f.signIn({ email: "bob@example.vn", password: "x", address: "1.1.1.1" });
    const wrong = f.signIn({ email: alice.email, password: "x", address: "1.1.1.1" });
    await expect(unknown).rejects.toThrow(new UnauthenticatedError("Email or password is incorrect"));
    await expect(wrong).rejects.toThrow(new UnauthenticatedError("Email or password is incorrect"));
  });

  it("locks an account after five failures, even for the right password, until the window passes", async () => {
    const f = fakes();
    for (let i = 0; i < 5; i++) {
      await expect(
        f.signIn({ email: alice.email, password: "nope", address: `10.0.0.${i}` }),
      ).rejects.toThrow(UnauthenticatedError);
    }
    await expect(
      f.signIn({ email: alice.email, password: "correct horse", address: "10.0.1.1" }),
    ).rejects.toThrow(TooManyRequestsError);
    f.advance(15 * 60 * 1000);
    await expect(
      f.signIn({ email: alice.email, password: "correct horse", address: "10.0.1.1" }),
    ).resolves.toHaveProperty("principal", alice);
  });

  it("throttles one address spraying many accounts", async () => {
    const f = fakes();
    for (let i = 0; i < 30; i++) {
      await expect(
        f.signIn({ email: `u${i}@example.vn`, password: "x", address: "6.6.6.6" }),
      ).rejects.toThrow(UnauthenticatedError);
    }
    await expect(
      f.signIn({ email: alice.email, password: "correct horse", address: "6.6.6.6" }),
    ).rejects.toThrow(TooManyRequestsError);
  });
});

describe("sessions", () => {
  it("expire after their lifetime and are removed", async () => {
    const f = fakes();
    const { token } = await f.signIn({ email: alice.email, password: "correct horse", address: "1.1.1.1" });
    f.advance(3600 * 1000);
    expect(await f.sessions.resolve(token)).toBeNull();
    expect(f.sessionsById.size).toBe(0);
  });

  it("end when the account is disabled", async () => {
    const f = fakes();
    const { token } = await f.signIn({ email: alice.email, password: "correct horse", address: "1.1.1.1" });
    f.active.delete(alice.staffId);
    expect(await f.sessions.resolve(token)).toBeNull();
  });

  it("end on sign-out", async () => {
    const f = fakes();
    const { token } = await f.signIn({ email: alice.email, password: "correct horse", address: "1.1.1.1" });
    await f.sessions.end(token);
    expect(await f.sessions.resolve(token)).toBeNull();
  });

  it("lets only the allowed number of a burst of parallel guesses reach the password check", async () => {
    const f = fakes();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        f.signIn({ email: alice.email, password: "guess", address: "203.0.113.7" }),
      ),
    );
    expect(f.checks()).toBe(5);
    expect(
      results.filter((r) => r.status === "rejected" && r.reason instanceof UnauthenticatedError),
    ).toHaveLength(5);
    expect(
      results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequestsError),
    ).toHaveLength(15);
    await expect(
      f.signIn({ email: alice.email, password: "correct horse", address: "203.0.113.8" }),
    ).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it("does not count a success against the address: an office behind one address signs everyone in", async () => {
    const f = fakes();
    for (let i = 0; i < 40; i++) {
      await f.signIn({ email: alice.email, password: "correct horse", address: "203.0.113.9" });
    }
    expect(await f.attempts.count("address:203.0.113.9", 15 * 60, new Date("2026-03-01T02:00:00Z"))).toBe(0);
  });
});

/**
 * A provider that asks what Cognito asks: a new password on the first sign-in, then an authenticator
 * enrolment for a lead, then a code on every later sign-in.
 */
function challenging(start = new Date("2026-03-01T02:00:00Z")) {
  let now = start;
  const clock: Clock = { now: () => now };
  const lead: Principal = { ...alice, staffId: "s-2", email: "lan@example.vn", role: "lead" };
  let password = "temporary-1";
  let mustChange = true;
  let enrolled = false;
  const answers: AuthChallenge[] = [];
  const identities: IdentityProvider = {
    authenticate: async (email, given) => {
      if (email !== lead.email || given !== password) return null;
      if (mustChange) return { kind: "new_password", state: "cognito-session-1" };
      return enrolled ? { kind: "totp", state: "cognito-session-2" } : lead;
    },
    respond: async (challenge, answer) => {
      answers.push(challenge);
      if (challenge.kind === "new_password" && "newPassword" in answer) {
        if (answer.newPassword.length < 12) {
          throw new InvalidError("password policy", [{ field: "newPassword", message: "too short" }]);
        }
        password = answer.newPassword;
        mustChange = false;
        return { kind: "totp_setup", state: "access-token", secret: "JBSWY3DPEHPK3PXP" };
      }
      if ("totpCode" in answer && answer.totpCode === "123456") {
        if (challenge.kind === "totp_setup") enrolled = true;
        return lead;
      }
      return null;
    },
    refresh: async (p) => p,
  };
  const attempts = createMemoryAttemptCounter();
  const pending = createMemoryPendingSignInStore();
  const store: SessionStore = {
    put: async () => {},
    get: async () => null,
    delete: async () => {},
    deleteAllOf: async () => 0,
  };
  const sessions = createSessions({ store, identities, clock, ttlSeconds: 3600 });
  const flow = createSignIn({ identities, sessions, attempts, pending, clock });
  return {
    flow,
    lead,
    pending,
    answers,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const at = { address: "203.0.113.7" };
const challengeOf = (outcome: Awaited<ReturnType<ReturnType<typeof createSignIn>["signIn"]>>) => {
  if (outcome.kind !== "challenge") throw new Error("expected a challenge");
  return outcome;
};

describe("sign-in challenges", () => {
  it("walks the first sign-in: new password, enrolment with the secret shown once, then a session", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    expect(first).toMatchObject({ challenge: "new_password", email: c.lead.email });
    expect(first.secret).toBeUndefined();

    const setup = challengeOf(
      await c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" },
        ...at,
      }),
    );
    expect(setup).toMatchObject({ challenge: "totp_setup", secret: "JBSWY3DPEHPK3PXP" });
    const done = await c.flow.continueSignIn({ token: setup.token, answer: { code: "123456" }, ...at });
    expect(done.kind === "session" && done.principal).toEqual(c.lead);
    // The provider got its own state back, unsealed.
    expect(c.answers.map((a) => a.state)).toEqual(["cognito-session-1", "access-token"]);
    expect(c.pending.size()).toBe(0);
  });

  it("asks the code of an enrolled user on every sign-in: no session without it", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    const setup = challengeOf(
      await c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" },
        ...at,
      }),
    );
    await c.flow.continueSignIn({ token: setup.token, answer: { code: "123456" }, ...at });

    const again = challengeOf(
      await c.flow.signIn({ email: c.lead.email, password: "a-long-new-password", ...at }),
    );
    expect(again.challenge).toBe("totp");
    expect(again.secret).toBeUndefined();
    const wrong = challengeOf(
      await c.flow.continueSignIn({ token: again.token, answer: { code: "000000" }, ...at }),
    );
    expect(wrong).toMatchObject({ challenge: "totp", wrongAnswer: true });
    expect(wrong.token).not.toBe(again.token);
    const done = await c.flow.continueSignIn({ token: wrong.token, answer: { code: "123456" }, ...at });
    expect(done.kind).toBe("session");
  });

  it("uses each token once: a replayed or unknown one is refused as expired", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    await c.flow.continueSignIn({
      token: first.token,
      answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" },
      ...at,
    });
    await expect(
      c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "another-long-one", confirmPassword: "another-long-one" },
        ...at,
      }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(
      c.flow.continueSignIn({ token: "made-up", answer: { code: "123456" }, ...at }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("expires a pending sign-in after five minutes", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    c.advance(5 * 60_000);
    await expect(
      c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" },
        ...at,
      }),
    ).rejects.toThrow("The sign-in expired");
  });

  it("asks a refused new password again with the reason, under a new token", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    const refused = challengeOf(
      await c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "short", confirmPassword: "short" },
        ...at,
      }),
    );
    expect(refused).toMatchObject({
      challenge: "new_password",
      issues: [{ field: "newPassword", message: "too short" }],
    });
    expect(refused.token).not.toBe(first.token);
  });

  it("asks a malformed answer again without the provider: unconfirmed password, a code not of six digits", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    const mismatch = challengeOf(
      await c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-passwrod" },
        ...at,
      }),
    );
    expect(mismatch.issues).toEqual([{ field: "confirmPassword", message: "mismatch" }]);
    const setup = challengeOf(
      await c.flow.continueSignIn({
        token: mismatch.token,
        answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" },
        ...at,
      }),
    );
    const letters = challengeOf(
      await c.flow.continueSignIn({ token: setup.token, answer: { code: "12ab56" }, ...at }),
    );
    expect(letters).toMatchObject({ challenge: "totp_setup", secret: "JBSWY3DPEHPK3PXP" });
    expect(letters.issues).toEqual([{ field: "code", message: "six_digits" }]);
    expect(c.answers).toHaveLength(1);
    const done = await c.flow.continueSignIn({ token: letters.token, answer: { code: "123 456" }, ...at });
    expect(done.kind).toBe("session");
  });

  it("ends the sign-in after three wrong codes, and counts codes against the account as passwords", async () => {
    const c = challenging();
    const first = challengeOf(await c.flow.signIn({ email: c.lead.email, password: "temporary-1", ...at }));
    let step = challengeOf(
      await c.flow.continueSignIn({
        token: first.token,
        answer: { newPassword: "a-long-new-password", confirmPassword: "a-long-new-password" },
        ...at,
      }),
    );
    step = challengeOf(await c.flow.continueSignIn({ token: step.token, answer: { code: "000001" }, ...at }));
    step = challengeOf(await c.flow.continueSignIn({ token: step.token, answer: { code: "000002" }, ...at }));
    await expect(
      c.flow.continueSignIn({ token: step.token, answer: { code: "000003" }, ...at }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    // The right password did not wipe the count: the sign-in, the new password and three wrong codes
    // are the five attempts an account has in a window, and the right password is now refused too.
    await expect(
      c.flow.signIn({ email: c.lead.email, password: "a-long-new-password", ...at }),
    ).rejects.toBeInstanceOf(TooManyRequestsError);
  });
});
