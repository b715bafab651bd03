import { z } from "zod";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";

/** Staff roles, weakest first. Each role may do everything the roles before it may. */
export const STAFF_ROLES = ["viewer", "reviewer", "lead", "admin"] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export function roleRank(role: StaffRole): number {
  return STAFF_ROLES.indexOf(role);
}

/** Who is calling: a signed-in staff member. Built by an identity provider, never from the request body. */
export const PrincipalSchema = z.object({
  staffId: z.string().min(1),
  email: z.string().email(),
  name: z.string().min(1),
  agency: AgencyCodeSchema,
  province: ProvinceCodeSchema,
  role: StaffRoleSchema,
});
export type Principal = z.infer<typeof PrincipalSchema>;
