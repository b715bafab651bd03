import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CookieClient } from "./browser-less";
import type { Deployment } from "./deployment";
import { CREDENTIALS, REGION } from "./stand-ins";
import { totp } from "./totp";

export interface StaffUser {
  email: string;
  name: string;
  group: "viewer" | "reviewer" | "lead" | "admin";
  agency: "CT" | "VHTT" | "YT";
  province: string;
  /** What the operator hands over: the first sign-in replaces it. */
  temporaryPassword: string;
  /** What the user sets at the first sign-in. */
  password: string;
}

/** A Cognito client of the stand-in, as an operator's AWS CLI would be. */
export function cognitoClient(endpoints: Record<string, string>) {
  const endpoint = endpoints.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
  if (!endpoint) throw new Error("no Cognito stand-in");
  return new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials: CREDENTIALS });
}

/**
 * Creates a staff user as README "Deploying to AWS" tells the operator to (the same two calls): with a
 * temporary password, which the user replaces at the first sign-in (FORCE_CHANGE_PASSWORD).
 */
export async function createStaffUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  user: StaffUser,
) {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: user.email,
      TemporaryPassword: user.temporaryPassword,
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "email", Value: user.email },
        { Name: "email_verified", Value: "true" },
        { Name: "name", Value: user.name },
        { Name: "custom:agency", Value: user.agency },
        { Name: "custom:province", Value: user.province },
      ],
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.email, GroupName: user.group }),
  );
}

/**
 * Creates a staff user as the runbook says and answers their ID token for the API's bearer scheme, got as
 * an operator's script with IAM credentials gets one (the app client has no other password flow): the
 * admin flow, its new-password challenge answered with the user's own password. For a role that needs no
 * authenticator (leads and admins enrol one at their first console sign-in).
 */
export async function staffIdToken(deployment: Deployment, user: StaffUser): Promise<string> {
  const idp = cognitoClient(deployment.endpoints);
  const userPoolId = deployment.resource("PledgewatchStateful", "StaffUserPool");
  try {
    await createStaffUser(idp, userPoolId, user);
    const ClientId = deployment.resource("PledgewatchStateful", "StaffUserPoolConsoleClient");
    const first = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.email, PASSWORD: user.temporaryPassword },
      }),
    );
    if (first.ChallengeName !== "NEW_PASSWORD_REQUIRED")
      throw new Error(`${user.email}: ${first.ChallengeName}`);
    const out = await idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: userPoolId,
        ClientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: first.Session,
        ChallengeResponses: { USERNAME: user.email, NEW_PASSWORD: user.password },
      }),
    );
    const token = out.AuthenticationResult?.IdToken;
    if (!token) throw new Error(`no ID token for ${user.email}`);
    return token;
  } finally {
    idp.destroy();
  }
}

/**
 * A user's first sign-in on the console, as they would take it: the temporary password, their own
 * password, and for a lead or an admin the authenticator's enrolment (its secret read from the page, a
 * code computed from it). Answers the secret, for the codes of later sign-ins.
 */
export async function firstConsoleSignIn(
  browser: CookieClient,
  user: StaffUser,
): Promise<{ secret?: string }> {
  const first = await browser.signIn(user.email, user.temporaryPassword);
  const page = await first.text();
  if (first.status !== 200 || !page.includes('name="newPassword"')) {
    throw new Error(`${user.email}: no new-password step (${first.status})`);
  }
  const set = await browser.answerChallenge(page, {
    newPassword: user.password,
    confirmPassword: user.password,
  });
  if (set.status === 303) return {};
  const setupPage = await set.text();
  const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(setupPage)?.[1];
  if (!secret) throw new Error(`${user.email}: neither signed in nor asked to enrol (${set.status})`);
  const enrolled = await browser.answerChallenge(setupPage, { code: totp(secret) });
  if (enrolled.status !== 303) throw new Error(`${user.email}: enrolment refused (${enrolled.status})`);
  return { secret };
}
