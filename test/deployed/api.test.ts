import { AdminDisableUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CookieClient } from "./harness/browser-less";
import { connect, type Deployment } from "./harness/deployment";
import { startHttpApi } from "./harness/http-api";
import type { LambdaEnvironment } from "./harness/lambda";
import { cognitoClient, createStaffUser } from "./harness/staff";

let deployment: Deployment;
let api: LambdaEnvironment;
let http: Awaited<ReturnType<typeof startHttpApi>>;

beforeAll(async () => {
  deployment = connect(inject("deployment"));
  api = await deployment.start("api");
  http = await startHttpApi(() => api);
});
afterAll(async () => {
  await http?.stop();
  await deployment?.stop();
});

const lead = {
  email: "lan.nguyen@soct.ninhbinh.gov.vn",
  name: "Nguyễn Thị Lan",
  group: "lead",
  agency: "CT",
  province: "37",
  password: "Mật-khẩu-dài-2026!",
} as const;

describe("the API bundle (functions/api.ts from cdk.out) behind the HTTP API", () => {
  it("answers its health check from the table the template gave it", async () => {
    const res = await fetch(`${http.url}/health`);
    expect(res.status, api.logs.join("\n")).toBe(200);
  });

  it("refuses an API call without credentials with a 401 JSON error", async () => {
    const res = await fetch(`${http.url}/api/v1/me`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it("signs in a staff user created in Cognito as the runbook says, and refuses them once disabled", async () => {
    const idp = cognitoClient(deployment.endpoints);
    const userPoolId = deployment.resource("PledgewatchStateful", "StaffUserPool");
    await createStaffUser(idp, userPoolId, lead);

    const browser = new CookieClient(http.url);
    const wrong = await browser.signIn(lead.email, "not the password");
    const wrongPage = await wrong.text();
    expect(
      wrong.status,
      wrongPage
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .slice(0, 2000),
    ).toBe(401);
    const signedIn = await browser.signIn(lead.email, lead.password);
    expect(signedIn.status, api.logs.slice(-20).join("\n")).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/console");
    const home = await browser.request("/console");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(lead.name);

    // Disabled in the pool: a new execution environment reads the user at once and ends the session; one
    // that read the user less than five minutes ago does so at its next recheck (unit-tested with a clock).
    await idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: lead.email }));
    const previous = api;
    api = await deployment.start("api");
    await previous.stop();
    const after = await browser.request("/console");
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/^\/sign-in/);
    expect((await browser.signIn(lead.email, lead.password)).status).toBe(401);
    idp.destroy();
  });
});
