import { z } from "zod";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../auth/password";
import { authorize } from "../auth/policy";
import { type Principal, StaffRoleSchema } from "../auth/roles";
import type { IdentityProvider } from "../auth/sessions";
import { InvalidError, NotFoundError } from "../errors";
import type { Clock } from "../ports";
import { type AgencyCode, AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";

export const StaffStatusSchema = z.enum(["active", "disabled"]);

export const StaffAccountSchema = z.object({
  id: z.string(),
  email: z.string().email(),
  name: z.string(),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  role: StaffRoleSchema,
  status: StaffStatusSchema,
  /** Absent on AWS, where Cognito holds the credentials. */
  passwordHash: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StaffAccount = z.infer<typeof StaffAccountSchema>;

/** What an admin sends to create an account. Unknown fields are refused so typos do not pass silently. */
export const NewStaffSchema = z.strictObject({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "Email không hợp lệ (invalid email)" })),
  name: z.string().trim().min(2, "Họ tên quá ngắn (name too short)").max(120),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  role: StaffRoleSchema,
  password: z
    .string()
    .min(12, "Mật khẩu tối thiểu 12 ký tự (password must have at least 12 characters)")
    .max(256),
});
export type NewStaff = z.infer<typeof NewStaffSchema>;

export type PublicStaff = Omit<StaffAccount, "passwordHash">;

export interface StaffRepository {
  /** Creates the account; ConflictError when the email is taken. */
  create(account: StaffAccount): Promise<void>;
  get(id: string): Promise<StaffAccount | null>;
  findByEmail(email: string): Promise<StaffAccount | null>;
  listByScope(agency: AgencyCode, province: string): Promise<StaffAccount[]>;
}

export function toPublicStaff({ passwordHash: _omit, ...rest }: StaffAccount): PublicStaff {
  return rest;
}

export function toPrincipal(account: StaffAccount): Principal {
  return {
    staffId: account.id,
    email: account.email,
    name: account.name,
    agency: account.agency,
    province: account.province,
    role: account.role,
  };
}

export interface StaffDeps {
  staff: StaffRepository;
  clock: Clock;
  newId: () => string;
  /** Where passwords live: our table (local runtime) or an external user pool (Cognito on AWS). */
  credentials?: "local" | "external";
}

export function createStaffService({ staff, clock, newId, credentials = "local" }: StaffDeps) {
  return {
    async create(actor: Principal, input: NewStaff): Promise<PublicStaff> {
      authorize(actor, "staff.manage", { agency: input.agency, provinces: [input.province] });
      if (credentials === "external") {
        // An account created here could never sign in: on AWS the user pool holds the credentials.
        throw new InvalidError("Staff accounts are created in the Cognito user pool on this deployment", [
          {
            field: "",
            message: "Tạo tài khoản cán bộ trong Cognito user pool (create staff accounts in Cognito)",
          },
        ]);
      }
      const now = clock.now().toISOString();
      const account: StaffAccount = {
        id: newId(),
        email: input.email,
        name: input.name,
        agency: input.agency,
        province: input.province,
        role: input.role,
        status: "active",
        passwordHash: await hashPassword(input.password),
        createdAt: now,
        updatedAt: now,
      };
      await staff.create(account);
      return toPublicStaff(account);
    },

    async list(
      actor: Principal,
      filter: { agency?: AgencyCode; province?: string } = {},
    ): Promise<PublicStaff[]> {
      const agency = filter.agency ?? actor.agency;
      const province = filter.province ?? actor.province;
      authorize(actor, "staff.read", { agency, provinces: [province] });
      return (await staff.listByScope(agency, province)).map(toPublicStaff);
    },

    async get(actor: Principal, id: string): Promise<PublicStaff> {
      const account = await staff.get(id);
      if (!account) throw new NotFoundError("Staff account not found");
      // Own account is always readable; others need staff.read in their scope.
      if (account.id !== actor.staffId) {
        authorize(actor, "staff.read", { agency: account.agency, provinces: [account.province] });
      }
      return toPublicStaff(account);
    },
  };
}

/** Staff identities kept in our own table (local runtime). On AWS, Cognito takes this role. */
export function createPasswordIdentityProvider(staff: StaffRepository): IdentityProvider {
  return {
    async authenticate(email, password) {
      const account = await staff.findByEmail(email);
      if (account?.status !== "active" || !account.passwordHash) {
        // Spend the same time as a real check so response times do not reveal which emails exist.
        await verifyPassword(password, await dummyPasswordHash());
        return null;
      }
      return (await verifyPassword(password, account.passwordHash)) ? toPrincipal(account) : null;
    },
    async refresh(principal) {
      const account = await staff.get(principal.staffId);
      return account && account.status === "active" ? toPrincipal(account) : null;
    },
  };
}
