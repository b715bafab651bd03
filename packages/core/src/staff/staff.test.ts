import { describe, expect, it } from "vitest";
import { ForbiddenError, InvalidError } from "../errors";
import { createStaffService, type StaffAccount, type StaffRepository } from "./staff";

const admin = {
  staffId: "a",
  email: "admin@example.vn",
  name: "Admin",
  agency: "CT" as const,
  province: "37",
  role: "admin" as const,
};
const lead = { ...admin, staffId: "l", role: "lead" as const };
const input = {
  email: "new@example.vn",
  name: "Cán bộ mới",
  agency: "YT" as const,
  province: "01",
  role: "viewer" as const,
  password: "a long enough password",
};

function memoryRepository(): StaffRepository & { all: StaffAccount[] } {
  const all: StaffAccount[] = [];
  return {
    all,
    create: async (a) => void all.push(a),
    get: async (id) => all.find((a) => a.id === id) ?? null,
    findByEmail: async (email) => all.find((a) => a.email === email) ?? null,
    listByScope: async (agency, province) =>
      all.filter((a) => a.agency === agency && a.province === province),
  };
}

describe("staff service", () => {
  const clock = { now: () => new Date("2026-05-01T00:00:00Z") };

  it("lets an admin create an account in any agency, storing only a password hash", async () => {
    const staff = memoryRepository();
    const created = await createStaffService({ staff, clock, newId: () => "n1" }).create(admin, input);
    expect(created).not.toHaveProperty("passwordHash");
    expect(staff.all[0]?.passwordHash).toMatch(/^scrypt\$/);
    expect(staff.all[0]?.passwordHash).not.toContain(input.password);
  });

  it("refuses a lead", async () => {
    const service = createStaffService({ staff: memoryRepository(), clock, newId: () => "n1" });
    await expect(service.create(lead, input)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses to create accounts that could never sign in when credentials live in Cognito", async () => {
    const staff = memoryRepository();
    const service = createStaffService({ staff, clock, newId: () => "n1", credentials: "external" });
    await expect(service.create(admin, input)).rejects.toBeInstanceOf(InvalidError);
    expect(staff.all).toHaveLength(0);
  });
});
