import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  InvalidError,
  STAFF_ROLES,
  type StaffAccount,
  StaffAccountSchema,
  type StaffRepository,
  type StaffRole,
  UnavailableError,
} from "@pledgewatch/core";
import { COGNITO_RECHECK_SECONDS, type CognitoOptions } from "./cognito-identity";

/** How often a directory may read the whole pool again to find an id or address it does not know. */
const MISS_RELOAD_MS = 10_000;

function accountOf(user: UserType, role: StaffRole | undefined): StaffAccount | null {
  const attributes = Object.fromEntries((user.Attributes ?? []).map((a) => [a.Name, a.Value]));
  const parsed = StaffAccountSchema.safeParse({
    id: attributes.sub ?? user.Username,
    email: attributes.email,
    name: attributes.name ?? attributes.email,
    agency: attributes["custom:agency"],
    province: attributes["custom:province"],
    role,
    status: user.Enabled === false ? "disabled" : "active",
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
    updatedAt: (user.UserLastModifiedDate ?? user.UserCreateDate ?? new Date(0)).toISOString(),
  });
  // A user without a role group, agency or province is not staff: left out, as the sign-in refuses them.
  return parsed.success ? parsed.data : null;
}

/**
 * The staff directory on AWS, read from the Cognito user pool: who is staff, in which role (the strongest
 * of their groups), agency and province (custom attributes), and whether enabled. The overdue digests,
 * "assign to a colleague" and the console's staff list read it, so they follow the pool as the operator
 * changes it. The whole pool is read (ListUsers, then ListUsersInGroup per role: Cognito cannot filter on
 * custom attributes) at most every COGNITO_RECHECK_SECONDS, and again, at most every 10 s, when an id or
 * address is not in the copy (a user created minutes ago). Accounts are created in Cognito, never here.
 */
export function createCognitoStaffDirectory(
  options: CognitoOptions,
  client = new CognitoIdentityProviderClient({ region: options.region }),
  clock: { now?: () => number; seconds?: number } = {},
): StaffRepository {
  const now = clock.now ?? Date.now;
  const maxAgeMs = (clock.seconds ?? COGNITO_RECHECK_SECONDS) * 1000;
  let copy: { at: number; accounts: StaffAccount[] } | undefined;
  let loading: Promise<StaffAccount[]> | undefined;

  async function pages<T>(read: (token?: string) => Promise<{ items: T[]; next?: string | undefined }>) {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const page = await read(token);
      all.push(...page.items);
      token = page.next;
    } while (token);
    return all;
  }

  async function load(): Promise<StaffAccount[]> {
    try {
      const users = await pages(async (token) => {
        const out = await client.send(
          new ListUsersCommand({ UserPoolId: options.userPoolId, Limit: 60, PaginationToken: token }),
        );
        return { items: out.Users ?? [], next: out.PaginationToken };
      });
      const roleOf = new Map<string, StaffRole>();
      // Weakest first: a member of several groups keeps the strongest.
      for (const role of STAFF_ROLES) {
        const members = await pages(async (token) => {
          const out = await client.send(
            new ListUsersInGroupCommand({
              UserPoolId: options.userPoolId,
              GroupName: role,
              Limit: 60,
              NextToken: token,
            }),
          );
          return { items: out.Users ?? [], next: out.NextToken };
        });
        for (const member of members) if (member.Username) roleOf.set(member.Username, role);
      }
      const accounts = users
        .map((user) => accountOf(user, user.Username ? roleOf.get(user.Username) : undefined))
        .filter((a): a is StaffAccount => a !== null);
      copy = { at: now(), accounts };
      return accounts;
    } catch (error) {
      throw new UnavailableError("the staff directory (Cognito) did not answer", { cause: error });
    }
  }

  async function accounts(reloadOnMiss?: (all: StaffAccount[]) => boolean): Promise<StaffAccount[]> {
    const fresh = copy && now() - copy.at < maxAgeMs;
    const stale =
      !fresh || (reloadOnMiss?.(copy?.accounts ?? []) && now() - (copy?.at ?? 0) >= MISS_RELOAD_MS);
    if (!stale && copy) return copy.accounts;
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  return {
    async create() {
      throw new InvalidError("Staff accounts are created in Cognito on AWS", [
        { field: "email", message: "Tài khoản cán bộ được tạo trong Cognito (xem hướng dẫn triển khai)." },
      ]);
    },
    async get(id) {
      const all = await accounts((known) => !known.some((a) => a.id === id));
      return all.find((a) => a.id === id) ?? null;
    },
    async findByEmail(email) {
      const wanted = email.trim().toLowerCase();
      const all = await accounts((known) => !known.some((a) => a.email.toLowerCase() === wanted));
      return all.find((a) => a.email.toLowerCase() === wanted) ?? null;
    },
    async listByScope(agency, province) {
      return (await accounts()).filter((a) => a.agency === agency && a.province === province);
    },
  };
}
