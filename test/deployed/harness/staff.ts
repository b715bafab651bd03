import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
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
