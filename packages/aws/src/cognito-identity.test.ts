import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
} from "@aws-sdk/client-cognito-identity-provider";
import { UnavailableError } from "@pledgewatch/core";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createCognitoIdentityProvider, principalFromClaims } from "./cognito-identity";

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
  const verifier = {
    verify: async (token: string) => (token === "good-id-token" ? claims : Promise.reject(new Error("bad"))),
  };

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

  it("checks the password with InitiateAuth and verifies the returned ID token", async () => {
    cognitoMock.on(InitiateAuthCommand).resolves({ AuthenticationResult: { IdToken: "good-id-token" } });
    const provider = createCognitoIdentityProvider(options, verifier, cognito);
    expect((await provider.authenticate("lead.yt@example.vn", "pw"))?.role).toBe("lead");
    expect(cognitoMock.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: "client",
      AuthParameters: { USERNAME: "lead.yt@example.vn", PASSWORD: "pw" },
    });
  });

  it("answers null for a wrong password or a pending challenge, and 'unavailable' when Cognito fails", async () => {
    const provider = createCognitoIdentityProvider(options, verifier, cognito);
    cognitoMock
      .on(InitiateAuthCommand)
      .rejectsOnce(new NotAuthorizedException({ message: "no", $metadata: {} }))
      .resolvesOnce({ ChallengeName: "NEW_PASSWORD_REQUIRED" })
      .rejectsOnce(new Error("socket hang up"));
    expect(await provider.authenticate("x@example.vn", "bad")).toBeNull();
    expect(await provider.authenticate("x@example.vn", "pw")).toBeNull();
    await expect(provider.authenticate("x@example.vn", "pw")).rejects.toBeInstanceOf(UnavailableError);
  });
});
