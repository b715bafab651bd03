import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  type IdentityProvider,
  type Principal,
  PrincipalSchema,
  STAFF_ROLES,
  type StaffRole,
  UnavailableError,
} from "@pledgewatch/core";
import { CognitoJwtVerifier } from "aws-jwt-verify";

export interface CognitoOptions {
  region: string;
  userPoolId: string;
  clientId: string;
}

export type IdTokenVerifier = { verify(token: string): Promise<Record<string, unknown>> };

export function createIdTokenVerifier({ userPoolId, clientId }: CognitoOptions): IdTokenVerifier {
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: "id" });
  return { verify: async (token) => (await verifier.verify(token)) as Record<string, unknown> };
}

/**
 * Maps a verified Cognito ID token to a principal. The role is the strongest of the user's groups
 * (groups are named after roles); agency and province are custom attributes set by an admin.
 * Returns null when the token lacks any of them: such a user has no business in the console.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  const groups = Array.isArray(claims["cognito:groups"]) ? (claims["cognito:groups"] as unknown[]) : [];
  const roles = STAFF_ROLES.filter((role) => groups.includes(role));
  const role: StaffRole | undefined = roles[roles.length - 1];
  const parsed = PrincipalSchema.safeParse({
    staffId: claims.sub,
    email: claims.email,
    name: claims.name ?? claims.email,
    agency: claims["custom:agency"],
    province: claims["custom:province"],
    role,
  });
  return parsed.success ? parsed.data : null;
}

/** Staff identities in a Cognito user pool: the console's sign-in form checks the password with Cognito. */
export function createCognitoIdentityProvider(
  options: CognitoOptions,
  verifier: IdTokenVerifier = createIdTokenVerifier(options),
  client = new CognitoIdentityProviderClient({ region: options.region }),
): IdentityProvider {
  return {
    async authenticate(email, password) {
      try {
        const out = await client.send(
          new InitiateAuthCommand({
            AuthFlow: "USER_PASSWORD_AUTH",
            ClientId: options.clientId,
            AuthParameters: { USERNAME: email, PASSWORD: password },
          }),
        );
        const idToken = out.AuthenticationResult?.IdToken;
        // A challenge (new password required, MFA) is not completed by this form: refuse rather than guess.
        if (!idToken) return null;
        return principalFromClaims(await verifier.verify(idToken));
      } catch (error) {
        if (error instanceof NotAuthorizedException || error instanceof UserNotFoundException) return null;
        throw new UnavailableError("identity provider did not answer", { cause: error });
      }
    },
    // The session was created from a verified token and lives no longer than it; nothing to re-read.
    async refresh(principal) {
      return principal;
    },
  };
}
