import { describe, expect, it } from "vitest";
import { ForbiddenError } from "../errors";
import { ACTIONS, authorize, can } from "./policy";
import { type Principal, STAFF_ROLES, type StaffRole } from "./roles";

const person = (role: StaffRole, agency: Principal["agency"] = "CT", province = "37"): Principal => ({
  staffId: `s-${role}`,
  email: `${role}@example.vn`,
  name: role,
  agency,
  province,
  role,
});

describe("authorization policy", () => {
  it("grants an action to its minimum role and every stronger role, and to no weaker role", () => {
    for (const [action, { minRole }] of Object.entries(ACTIONS)) {
      for (const role of STAFF_ROLES) {
        const expected = STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(minRole);
        expect(can(person(role), action as keyof typeof ACTIONS), `${role} → ${action}`).toBe(expected);
      }
    }
  });

  it("refuses a viewer what a reviewer may do", () => {
    expect(can(person("reviewer"), "parties.write")).toBe(true);
    expect(can(person("viewer"), "parties.write")).toBe(false);
    expect(() => authorize(person("viewer"), "parties.write")).toThrow(ForbiddenError);
  });

  it("keeps non-admins inside their own agency and province", () => {
    const lead = person("lead", "VHTT", "37");
    expect(can(lead, "parties.read", { agency: "VHTT", provinces: ["37"] })).toBe(true);
    expect(can(lead, "parties.read", { agency: "CT", provinces: ["37"] })).toBe(false);
    expect(can(lead, "parties.read", { agency: "VHTT", provinces: ["01"] })).toBe(false);
    // A national party counts in each province it serves.
    expect(can(lead, "parties.read", { agency: "VHTT", provinces: ["01", "37"] })).toBe(true);
  });

  it("lets admins act in every agency and province", () => {
    expect(can(person("admin", "CT", "37"), "parties.write", { agency: "YT", provinces: ["79"] })).toBe(true);
  });
});
