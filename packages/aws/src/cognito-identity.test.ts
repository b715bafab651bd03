import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  InvalidPasswordException,
  NotAuthorizedException,
  SetUserMFAPreferenceCommand,
  UserNotFoundException,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { InvalidError, isChallenge, UnauthenticatedError, UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { cognitoIssuer, createCognitoIdentityProvider, principalFromClaims } from "./cognito-identity";

const claims = {
  sub: "0b6e-uuid",
  email: "lead.yt@example.vn",
  name: "Đặng Minh Châu",
  "cognito:groups": ["viewer", "lead"],
  "custom:agency": "YT",
  "custom:province": "37",
};

describe("Cognito identities", () => {
  const cognito = new CognitoIdentityProviderClient({ region: "ap-southeast-1" });
  const cognitoMock = mockClient(cognito);
  const options = { region: "ap-southeast-1", userPoolId: "ap-southeast-1_abc", clientId: "client" };
  const poolAttributes = Object.entries({
    sub: claims.sub,
    email: claims.email,
    name: claims.name,
    "custom:agency": "YT",
    "custom:province": "37",
  }).map(([Name, Value]) => ({ Name, Value }));

  beforeEach(() => cognitoMock.reset());

  it("maps the strongest group to the role and custom attributes to agency and province", () => {
    expect(principalFromClaims(claims)).toEqual({
      staffId: "0b6e-uuid",
      email: "lead.yt@example.vn",
      name: "Đặng Minh Châu",
      agency: "YT",
      province: "37",
      role: "lead",
    });
  });

  it("refuses a token without a role group or with an unknown agency", () => {
    expect(principalFromClaims({ ...claims, "cognito:groups": [] })).toBeNull();
    expect(principalFromClaims({ ...claims, "custom:agency": "XX" })).toBeNull();
  });

  it("checks the password with the admin flow (no public password flow) and reads the user from the pool", async () => {
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .resolves({ AuthenticationResult: { IdToken: "id-token", AccessToken: "access-token" } });
    cognitoMock.on(AdminGetUserCommand).resolves({
      Enabled: true,
      UserAttributes: poolAttributes,
      UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
    });
    cognitoMock
      .on(AdminListGroupsForUserCommand)
      .resolves({ Groups: [{ GroupName: "viewer" }, { GroupName: "lead" }] });
    const provider = createCognitoIdentityProvider(options, cognito);
    expect(await provider.authenticate("lead.yt@example.vn", "pw")).toEqual(principalFromClaims(claims));
    expect(cognitoMock.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      UserPoolId: options.userPoolId,
      ClientId: "client",
      AuthParameters: { USERNAME: "lead.yt@example.vn", PASSWORD: "pw" },
    });
    expect(cognitoMock.commandCalls(AdminGetUserCommand)[0]?.args[0].input.Username).toBe(
      "lead.yt@example.vn",
    );
  });

  it("takes tokens only from the endpoint it signs in against", () => {
    expect(cognitoIssuer(options, {})).toBe(
      "https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_abc",
    );
    expect(
      cognitoIssuer(options, { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: "http://127.0.0.1:9229/" }),
    ).toBe("http://127.0.0.1:9229/ap-southeast-1_abc");
  });

  it("answers null for a wrong password or a challenge it does not run (SMS), and 'unavailable' when Cognito fails", async () => {
    const provider = createCognitoIdentityProvider(options, cognito);
    cognitoMock
      .on(AdminInitiateAuthCommand)
      .rejectsOnce(new NotAuthorizedException({ message: "no", $metadata: {} }))
      .resolvesOnce({ ChallengeName: "SMS_MFA", Session: "s" })
      .rejectsOnce(new Error("socket hang up"));
    expect(await provider.authenticate("x@example.vn", "bad")).toBeNull();
    expect(await provider.authenticate("x@example.vn", "pw")).toBeNull();
    await expect(provider.authenticate("x@example.vn", "pw")).rejects.toBeInstanceOf(UnavailableError);
  });

  describe("Cognito's challenges", () => {
    const withGroups = () =>
      cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: "lead" }] });

    it("asks a new password, sends it with Cognito's session, and refuses one the policy refuses", async () => {
      const provider = createCognitoIdentityProvider(options, cognito);
      cognitoMock.on(AdminInitiateAuthCommand).resolves({
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: "cognito-session",
        ChallengeParameters: { USER_ID_FOR_SRP: "0b6e-uuid" },
      });
      const step = await provider.authenticate("lead.yt@example.vn", "temporary");
      if (!step || !isChallenge(step)) throw new Error("expected a challenge");
      expect(step.kind).toBe("new_password");
      cognitoMock
        .on(AdminRespondToAuthChallengeCommand)
        .rejectsOnce(new InvalidPasswordException({ message: "Password does not conform", $metadata: {} }))
        .rejectsOnce(new NotAuthorizedException({ message: "Invalid session for the user", $metadata: {} }));
      await expect(provider.respond?.(step, { newPassword: "weak" })).rejects.toBeInstanceOf(InvalidError);
      expect(cognitoMock.commandCalls(AdminRespondToAuthChallengeCommand)[0]?.args[0].input).toEqual({
        UserPoolId: options.userPoolId,
        ClientId: "client",
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: "cognito-session",
        ChallengeResponses: { USERNAME: "0b6e-uuid", NEW_PASSWORD: "weak" },
      });
      await expect(provider.respond?.(step, { newPassword: "a-strong-one-2026" })).rejects.toBeInstanceOf(
        UnauthenticatedError,
      );
    });

    it("makes a lead without an authenticator enrol one: secret, code verified, TOTP preferred", async () => {
      const provider = createCognitoIdentityProvider(options, cognito);
      cognitoMock
        .on(AdminInitiateAuthCommand)
        .resolves({ AuthenticationResult: { IdToken: "id", AccessToken: "access-token" } });
      cognitoMock
        .on(AdminGetUserCommand)
        .resolvesOnce({ Enabled: true, UserAttributes: poolAttributes, UserMFASettingList: [] })
        .resolves({
          Enabled: true,
          UserAttributes: poolAttributes,
          UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
        });
      withGroups();
      cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: "JBSWY3DPEHPK3PXP" });
      const step = await provider.authenticate("lead.yt@example.vn", "pw");
      if (!step || !isChallenge(step)) throw new Error("expected a challenge");
      expect(step).toMatchObject({ kind: "totp_setup", secret: "JBSWY3DPEHPK3PXP" });
      expect(cognitoMock.commandCalls(AssociateSoftwareTokenCommand)[0]?.args[0].input).toEqual({
        AccessToken: "access-token",
      });

      cognitoMock
        .on(VerifySoftwareTokenCommand)
        .rejectsOnce(new CodeMismatchException({ message: "Code mismatch", $metadata: {} }))
        .resolves({ Status: "SUCCESS" });
      expect(await provider.respond?.(step, { totpCode: "000000" })).toBeNull();
      expect(cognitoMock.commandCalls(SetUserMFAPreferenceCommand)).toHaveLength(0);
      const principal = await provider.respond?.(step, { totpCode: "123456" });
      expect(principal).toMatchObject({ staffId: "0b6e-uuid", role: "lead" });
      expect(cognitoMock.commandCalls(SetUserMFAPreferenceCommand)[0]?.args[0].input).toEqual({
        AccessToken: "access-token",
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      });
    });

    it("asks an enrolled user's code and answers null for a wrong one", async () => {
      const provider = createCognitoIdentityProvider(options, cognito);
      cognitoMock
        .on(AdminInitiateAuthCommand)
        .resolves({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "s1" });
      const step = await provider.authenticate("lead.yt@example.vn", "pw");
      if (!step || !isChallenge(step)) throw new Error("expected a challenge");
      expect(step.kind).toBe("totp");
      cognitoMock
        .on(AdminRespondToAuthChallengeCommand)
        .rejectsOnce(new CodeMismatchException({ message: "Invalid code", $metadata: {} }))
        .resolves({ AuthenticationResult: { AccessToken: "access-token" } });
      cognitoMock.on(AdminGetUserCommand).resolves({
        Enabled: true,
        UserAttributes: poolAttributes,
        UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
      });
      withGroups();
      expect(await provider.respond?.(step, { totpCode: "000000" })).toBeNull();
      expect(await provider.respond?.(step, { totpCode: "123456" })).toMatchObject({ role: "lead" });
      expect(
        cognitoMock.commandCalls(AdminRespondToAuthChallengeCommand)[1]?.args[0].input.ChallengeResponses,
      ).toEqual({ USERNAME: "lead.yt@example.vn", SOFTWARE_TOKEN_MFA_CODE: "123456" });
    });

    it("lets a lead's or admin's bearer token count only once their authenticator is enrolled", async () => {
      let now = 0;
      const provider = createCognitoIdentityProvider(options, cognito, { now: () => now });
      withGroups();
      cognitoMock
        .on(AdminGetUserCommand)
        .resolvesOnce({ Enabled: true, UserAttributes: poolAttributes, UserMFASettingList: [] })
        .resolves({
          Enabled: true,
          UserAttributes: poolAttributes,
          UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
        });
      const lead = principalFromClaims(claims);
      if (!lead) throw new Error("no principal");
      expect(await provider.mayUseApi(lead)).toBe(false);
      expect(await provider.mayUseApi({ ...lead, role: "reviewer" })).toBe(true);
      expect(await provider.mayUseApi(lead)).toBe(false);
      now = 300_000;
      expect(await provider.mayUseApi(lead)).toBe(true);
    });

    it("refuses a state it did not make", async () => {
      const provider = createCognitoIdentityProvider(options, cognito);
      await expect(
        provider.respond?.({ kind: "totp", state: "not json" }, { totpCode: "1" }),
      ).rejects.toBeInstanceOf(UnauthenticatedError);
    });
  });

  describe("re-reading a session's user from the pool", () => {
    const principal = principalFromClaims(claims);
    const attributes = (overrides: Record<string, string> = {}) =>
      Object.entries({
        sub: claims.sub,
        email: claims.email,
        name: claims.name,
        "custom:agency": "YT",
        "custom:province": "37",
        ...overrides,
      }).map(([Name, Value]) => ({ Name, Value }));
    let clock = 0;
    const provider = () =>
      createCognitoIdentityProvider(options, cognito, { seconds: 300, now: () => clock });

    it("follows the pool: a role or province changed in Cognito reaches the session, a disabled user ends it", async () => {
      if (!principal) throw new Error("fixture");
      clock = 0;
      const identities = provider();
      cognitoMock.on(AdminGetUserCommand).resolves({ Enabled: true, UserAttributes: attributes() });
      cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: "lead" }] });
      expect(await identities.refresh(principal)).toEqual(principal);
      expect(cognitoMock.commandCalls(AdminGetUserCommand)[0]?.args[0].input).toEqual({
        UserPoolId: options.userPoolId,
        Username: claims.sub,
      });

      // Demoted and moved: not seen before the recheck interval, seen after it.
      cognitoMock
        .on(AdminGetUserCommand)
        .resolves({ Enabled: true, UserAttributes: attributes({ "custom:province": "01" }) });
      cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: "viewer" }] });
      clock = 299_000;
      expect((await identities.refresh(principal))?.role).toBe("lead");
      clock = 301_000;
      expect(await identities.refresh(principal)).toMatchObject({ role: "viewer", province: "01" });
      expect(cognitoMock.commandCalls(AdminGetUserCommand)).toHaveLength(2);

      // Disabled: refused at the next recheck.
      cognitoMock.on(AdminGetUserCommand).resolves({ Enabled: false, UserAttributes: attributes() });
      clock = 602_000;
      expect(await identities.refresh(principal)).toBeNull();
    });

    it("ends a removed user's session, and answers 'unavailable' (never a stale yes) when Cognito fails", async () => {
      if (!principal) throw new Error("fixture");
      clock = 0;
      cognitoMock
        .on(AdminGetUserCommand)
        .rejects(new UserNotFoundException({ message: "gone", $metadata: {} }));
      cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });
      expect(await provider().refresh(principal)).toBeNull();
      cognitoMock.on(AdminGetUserCommand).rejects(new Error("throttled"));
      await expect(provider().refresh(principal)).rejects.toBeInstanceOf(UnavailableError);
    });
  });
});
