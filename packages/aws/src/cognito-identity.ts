import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
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

/**
 * How stale a session's view of its Cognito user may be: a user disabled, removed, moved to another
 * role, agency or province in the console loses the old access within this time, whatever the session's
 * age. Each process re-reads a user at most this often.
 */
export const COGNITO_RECHECK_SECONDS = 300;

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

/**
 * Staff identities in a Cognito user pool: the console's sign-in form checks the password with Cognito,
 * and a session's user is re-read from the pool (AdminGetUser, AdminListGroupsForUser) at most every
 * `recheckSeconds`, so a change in the pool reaches open sessions within that time.
 */
export function createCognitoIdentityProvider(
  options: CognitoOptions,
  verifier: IdTokenVerifier = createIdTokenVerifier(options),
  client = new CognitoIdentityProviderClient({ region: options.region }),
  recheck: { seconds?: number; now?: () => number } = {},
): IdentityProvider {
  const recheckMs = (recheck.seconds ?? COGNITO_RECHECK_SECONDS) * 1000;
  const now = recheck.now ?? Date.now;
  const checked = new Map<string, { at: number; principal: Principal | null }>();

  /** The user as the pool has it now: null when disabled, removed or no longer a staff member. */
  async function readUser(staffId: string): Promise<Principal | null> {
    try {
      const [user, groups] = await Promise.all([
        client.send(new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: staffId })),
        client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: options.userPoolId, Username: staffId, Limit: 10 }),
        ),
      ]);
      if (user.Enabled === false) return null;
      const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      return principalFromClaims({
        ...attributes,
        sub: attributes.sub ?? staffId,
        "cognito:groups": (groups.Groups ?? []).map((g) => g.GroupName),
      });
    } catch (error) {
      if (error instanceof UserNotFoundException) return null;
      throw new UnavailableError("identity provider did not answer", { cause: error });
    }
  }

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
    async refresh(principal) {
      const last = checked.get(principal.staffId);
      if (last && now() - last.at < recheckMs) return last.principal;
      const current = await readUser(principal.staffId);
      checked.set(principal.staffId, { at: now(), principal: current });
      // Keep the map to the users seen recently.
      if (checked.size > 5_000) checked.delete(checked.keys().next().value as string);
      return current;
    },
  };
}
