import { describe, expect, it } from "vitest";
import { TooManyRequestsError, UnauthenticatedError } from "../errors";
import type { Clock } from "../ports";
import { createMemoryAttemptCounter } from "../testing/memory";
import type { Principal } from "./roles";
import { createSessions, type IdentityProvider, type SessionStore, type StoredSession } from "./sessions";
import { type AttemptCounter, createSignIn } from "./sign-in";

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
  const signIn = createSignIn({ identities, sessions, attempts, clock });
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
