import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
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
import { JwtVerifier } from "aws-jwt-verify";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

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

/**
 * The issuer of the pool's tokens: Cognito's regional endpoint, or the endpoint the SDK itself is pointed
 * at by AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER (a Cognito stand-in: test/deployed). Tokens are only
 * ever accepted from the endpoint the platform signs in against.
 */
export function cognitoIssuer(
  { region, userPoolId }: Pick<CognitoOptions, "region" | "userPoolId">,
  env: Record<string, string | undefined> = process.env,
): string {
  const endpoint = env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ?? env.AWS_ENDPOINT_URL;
  const base = endpoint ? endpoint.replace(/\/+$/, "") : `https://cognito-idp.${region}.amazonaws.com`;
  return `${base}/${userPoolId}`;
}

/**
 * Fetches the pool's JWKS with the runtime's fetch (the library's own fetcher speaks https only, and a
 * Cognito stand-in answers on http): 3 s at most, 64 KB at most.
 */
const jwksFetcher: Fetcher = {
  async fetch(uri) {
    const res = await fetch(uri, { signal: AbortSignal.timeout(3_000), redirect: "error" });
    if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
    const body = await res.arrayBuffer();
    if (body.byteLength > 65_536) throw new Error("JWKS is too large");
    return body;
  },
};

/** Verifies ID tokens of the pool's console client (bearer tokens of the API): signature, issuer, audience, use. */
export function createIdTokenVerifier(options: CognitoOptions): IdTokenVerifier {
  const issuer = cognitoIssuer(options);
  const verifier = JwtVerifier.create(
    {
      issuer,
      audience: options.clientId,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "id") throw new Error("not an ID token");
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
  );
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
 * Staff identities in a Cognito user pool: the console's sign-in form checks the password with Cognito
 * (AdminInitiateAuth: a call signed with the API function's role, so the app client has no password flow
 * that anyone could call around the app's sign-in limits), and a session's user is re-read from the pool (AdminGetUser, AdminListGroupsForUser) at most every
 * `recheckSeconds`, so a change in the pool reaches open sessions within that time.
 */
export function createCognitoIdentityProvider(
  options: CognitoOptions,
  client = new CognitoIdentityProviderClient({ region: options.region }),
  recheck: { seconds?: number; now?: () => number } = {},
): IdentityProvider {
  const recheckMs = (recheck.seconds ?? COGNITO_RECHECK_SECONDS) * 1000;
  const now = recheck.now ?? Date.now;
  const checked = new Map<string, { at: number; principal: Principal | null }>();

  /** The user as the pool has it now: null when disabled, removed or no longer a staff member. */
  async function readUser(staffId: string): Promise<Principal | null> {
    try {
      const user = await client.send(
        new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: staffId }),
      );
      if (user.Enabled === false) return null;
      // Groups by the user's own name (its sub where e-mail is an alias): the one name every call accepts.
      const groups = await client.send(
        new AdminListGroupsForUserCommand({
          UserPoolId: options.userPoolId,
          Username: user.Username ?? staffId,
          Limit: 10,
        }),
      );
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
          new AdminInitiateAuthCommand({
            AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
            UserPoolId: options.userPoolId,
            ClientId: options.clientId,
            AuthParameters: { USERNAME: email, PASSWORD: password },
          }),
        );
        // A challenge (new password required, MFA) is not completed by this form: refuse rather than guess.
        if (!out.AuthenticationResult?.IdToken) return null;
        // The answer came from Cognito over a signed call: the user is read from the pool as it is now.
        const principal = await readUser(email);
        if (principal) checked.set(principal.staffId, { at: now(), principal });
        return principal;
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
