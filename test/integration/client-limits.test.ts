import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

let p: Awaited<ReturnType<typeof createTestPlatform>>;
// A day's window: the counts of a test never straddle two fixed windows (a minute's could).
beforeAll(async () => {
  p = await createTestPlatform({ clientLimits: { perAddress: 8, perAccount: 5, windowSeconds: 86_400 } });
});

const from = (address: string, cookie?: string, headers: Record<string, string> = {}) =>
  p.app.request(
    "/api/v1/me",
    { headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } },
    {
      remoteAddress: address,
    },
  );

describe("per-client limits on the staff API (issue 19, item 4)", () => {
  it("refuses one account over its limit with 429 and Retry-After, and serves a colleague meanwhile", async () => {
    const greedy = await p.cookieFor("reviewer", "CT");
    const colleague = await p.cookieFor("reviewer", "VHTT");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await from("10.20.0.1", greedy)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await from("10.20.0.1", greedy);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("too_many_requests");
    // From another address the same account is still over its limit: it is counted by account.
    expect((await from("10.20.0.9", greedy)).status).toBe(429);
    // A colleague of another office is served.
    expect((await from("10.20.0.2", colleague)).status).toBe(200);
  });

  it("counts an address before any token is checked: a flood of forged tokens is refused by the counter", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      statuses.push((await from("10.30.0.1", undefined, { Authorization: `Bearer forged-${i}` })).status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
    // Another address is not affected.
    expect((await from("10.30.0.2")).status).toBe(401);
  });
});
