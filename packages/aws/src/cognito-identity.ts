import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminListGroupsForUserCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  EnableSoftwareTokenMFAException,
  ExpiredCodeException,
  InvalidPasswordException,
  NotAuthorizedException,
  SetUserMFAPreferenceCommand,
  UserNotFoundException,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  type AuthAnswer,
  type AuthChallenge,
  type AuthStep,
  type IdentityProvider,
  InvalidError,
  type Principal,
  PrincipalSchema,
  STAFF_ROLES,
  type StaffRole,
  TOTP_REQUIRED_ROLES,
  UnauthenticatedError,
  UnavailableError,
} from "@pledgewatch/core";
import { JwtVerifier } from "aws-jwt-verify";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { z } from "zod";

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

/** What the provider keeps of a Cognito sign-in between two answers (sealed by the sign-in use case). */
const ChallengeStateSchema = z.union([
  z.object({ session: z.string().min(1), username: z.string().min(1) }),
  z.object({ accessToken: z.string().min(1), username: z.string().min(1) }),
]);

const expired = (cause?: unknown) =>
  new UnauthenticatedError("The sign-in expired; sign in again", cause ? { cause } : undefined);

/**
 * Staff identities in a Cognito user pool. The console's sign-in form checks the password with Cognito
 * (AdminInitiateAuth: a call signed with the API function's role, so the app client has no password flow
 * that anyone could call around the app's sign-in limits) and walks Cognito's challenges: a new password
 * for a user the operator created (FORCE_CHANGE_PASSWORD), the authenticator code of a user with TOTP,
 * and, for the roles that must have one (TOTP_REQUIRED_ROLES), the authenticator's enrolment on their
 * first sign-in (AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference with the access
 * token of that sign-in, which the use case keeps sealed for five minutes and never in a session). A
 * session's user is re-read from the pool (AdminGetUser, AdminListGroupsForUser) at most every
 * `recheckSeconds`, so a change in the pool reaches open sessions within that time.
 */
export function createCognitoIdentityProvider(
  options: CognitoOptions,
  client = new CognitoIdentityProviderClient({ region: options.region }),
  recheck: { seconds?: number; now?: () => number } = {},
): IdentityProvider & {
  /**
   * Whether a bearer token's user may use the API as the console lets them: a lead or an admin only once
   * their authenticator is enrolled (a token got before the enrolment passed no second factor). Read from
   * the pool at most every `recheckSeconds` per user.
   */
  mayUseApi(principal: Principal): Promise<boolean>;
} {
  const recheckMs = (recheck.seconds ?? COGNITO_RECHECK_SECONDS) * 1000;
  const now = recheck.now ?? Date.now;
  const checked = new Map<string, { at: number; principal: Principal | null }>();
  const enrolment = new Map<string, { at: number; enrolled: boolean }>();

  /** The user as the pool has it now: null when disabled, removed or no longer a staff member. */
  async function readAccount(staffId: string): Promise<{ principal: Principal; totp: boolean } | null> {
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
      const principal = principalFromClaims({
        ...attributes,
        sub: attributes.sub ?? staffId,
        "cognito:groups": (groups.Groups ?? []).map((g) => g.GroupName),
      });
      if (!principal) return null;
      return { principal, totp: (user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA") };
    } catch (error) {
      if (error instanceof UserNotFoundException) return null;
      throw new UnavailableError("identity provider did not answer", { cause: error });
    }
  }

  async function readUser(staffId: string): Promise<Principal | null> {
    return (await readAccount(staffId))?.principal ?? null;
  }

  function remember(principal: Principal): Principal {
    checked.set(principal.staffId, { at: now(), principal });
    return principal;
  }

  /**
   * Cognito's answer to a password or a challenge: the next challenge, or the user as the pool has it
   * now (the answer came over a signed call; its tokens are not parsed), or an enrolment to begin.
   */
  async function stepOf(out: AdminInitiateAuthCommandOutput, username: string): Promise<AuthStep | null> {
    const session = out.Session ?? "";
    const name = out.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
    if (out.ChallengeName === "NEW_PASSWORD_REQUIRED") {
      return { kind: "new_password", state: JSON.stringify({ session, username: name }) };
    }
    if (out.ChallengeName === "SOFTWARE_TOKEN_MFA") {
      return { kind: "totp", state: JSON.stringify({ session, username: name }) };
    }
    // Any other challenge (SMS, MFA_SETUP with MFA required pool-wide) is not configured: refuse it.
    const accessToken = out.AuthenticationResult?.AccessToken;
    if (out.ChallengeName || !accessToken) return null;
    const account = await readAccount(username);
    if (!account) return null;
    if (account.totp || !TOTP_REQUIRED_ROLES.includes(account.principal.role))
      return remember(account.principal);
    const associated = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    if (!associated.SecretCode) throw new UnavailableError("Cognito gave no authenticator secret");
    return {
      kind: "totp_setup",
      state: JSON.stringify({ accessToken, username }),
      secret: associated.SecretCode,
    };
  }

  async function answer(challenge: AuthChallenge, given: AuthAnswer): Promise<AuthStep | null> {
    let raw: unknown;
    try {
      raw = JSON.parse(challenge.state);
    } catch {
      throw expired();
    }
    const state = ChallengeStateSchema.safeParse(raw);
    if (!state.success) throw expired();
    if ("accessToken" in state.data) {
      if (!("totpCode" in given)) throw expired();
      const { accessToken, username } = state.data;
      const verified = await client.send(
        new VerifySoftwareTokenCommand({
          AccessToken: accessToken,
          UserCode: given.totpCode,
          FriendlyDeviceName: "Pledgewatch",
        }),
      );
      if (verified.Status !== "SUCCESS") return null;
      await client.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      const principal = await readUser(username);
      return principal ? remember(principal) : null;
    }
    const { session, username } = state.data;
    const responses: Record<string, string> =
      "newPassword" in given
        ? { USERNAME: username, NEW_PASSWORD: given.newPassword }
        : { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: given.totpCode };
    const out = await client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: options.userPoolId,
        ClientId: options.clientId,
        ChallengeName: challenge.kind === "new_password" ? "NEW_PASSWORD_REQUIRED" : "SOFTWARE_TOKEN_MFA",
        Session: session,
        ChallengeResponses: responses,
      }),
    );
    return stepOf(out, username);
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
        return await stepOf(out, email);
      } catch (error) {
        if (error instanceof NotAuthorizedException || error instanceof UserNotFoundException) return null;
        if (error instanceof UnavailableError) throw error;
        throw new UnavailableError("identity provider did not answer", { cause: error });
      }
    },
    async respond(challenge, given) {
      try {
        return await answer(challenge, given);
      } catch (error) {
        // A wrong or stale code: the same challenge may be answered again.
        if (
          error instanceof CodeMismatchException ||
          error instanceof ExpiredCodeException ||
          error instanceof EnableSoftwareTokenMFAException
        ) {
          return null;
        }
        if (error instanceof InvalidPasswordException) {
          throw new InvalidError("The new password does not meet the policy", [
            { field: "newPassword", message: "policy" },
          ]);
        }
        // Cognito's session of this sign-in ran out (3 to 15 minutes), or the access token did.
        if (error instanceof NotAuthorizedException) throw expired(error);
        if (error instanceof UnauthenticatedError || error instanceof UnavailableError) throw error;
        throw new UnavailableError("identity provider did not answer", { cause: error });
      }
    },
    async mayUseApi(principal) {
      if (!TOTP_REQUIRED_ROLES.includes(principal.role)) return true;
      const last = enrolment.get(principal.staffId);
      if (last && now() - last.at < recheckMs) return last.enrolled;
      const account = await readAccount(principal.staffId);
      const enrolled = Boolean(account?.totp);
      enrolment.set(principal.staffId, { at: now(), enrolled });
      if (enrolment.size > 5_000) enrolment.delete(enrolment.keys().next().value as string);
      return enrolled;
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
