import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Deployment } from "./deployment";
import { CREDENTIALS, REGION } from "./stand-ins";

export interface StaffUser {
  email: string;
  name: string;
  group: "viewer" | "reviewer" | "lead" | "admin";
  agency: "CT" | "VHTT" | "YT";
  province: string;
  password: string;
}

/** A Cognito client of the stand-in, as an operator's AWS CLI would be. */
export function cognitoClient(endpoints: Record<string, string>) {
  const endpoint = endpoints.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
  if (!endpoint) throw new Error("no Cognito stand-in");
  return new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials: CREDENTIALS });
}

/** Creates a staff user as README "Deploying to AWS" tells the operator to (the same three calls). */
export async function createStaffUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  user: StaffUser,
) {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: user.email,
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
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: user.email,
      Password: user.password,
      Permanent: true,
    }),
  );
}

/**
 * Creates a staff user as the runbook says and answers their ID token for the API's bearer scheme, got as
 * an operator's script with IAM credentials gets one (the app client has no other password flow).
 */
export async function staffIdToken(deployment: Deployment, user: StaffUser): Promise<string> {
  const idp = cognitoClient(deployment.endpoints);
  const userPoolId = deployment.resource("PledgewatchStateful", "StaffUserPool");
  try {
    await createStaffUser(idp, userPoolId, user);
    const out = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: deployment.resource("PledgewatchStateful", "StaffUserPoolConsoleClient"),
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
    const token = out.AuthenticationResult?.IdToken;
    if (!token) throw new Error(`no ID token for ${user.email}`);
    return token;
  } finally {
    idp.destroy();
  }
}
