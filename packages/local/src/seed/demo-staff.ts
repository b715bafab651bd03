import type { AgencyCode, StaffRole } from "@pledgewatch/core";

/** The demo province: Ninh Bình, whose plan (items 7.5 and 7.6) is the clearest source of the pledge duties. */
export const DEMO_PROVINCE = "37";

/** Printed by `npm start` and used by the browser test. Local demo only: never deployed. */
export const DEMO_PASSWORD = "Demo-Pledgewatch-2026";

export interface DemoStaff {
  email: string;
  name: string;
  agency: AgencyCode;
  province: string;
  role: StaffRole;
}

const PEOPLE: Record<AgencyCode, Record<Exclude<StaffRole, "admin">, string>> = {
  CT: { viewer: "Trần Thị Hoa", reviewer: "Lê Văn Minh", lead: "Phạm Quốc Hưng" },
  VHTT: { viewer: "Đỗ Thu Trang", reviewer: "Vũ Đức Anh", lead: "Hoàng Thị Lan" },
  YT: { viewer: "Bùi Ngọc Ánh", reviewer: "Ngô Thanh Tùng", lead: "Đặng Minh Châu" },
};

export const DEMO_STAFF: readonly DemoStaff[] = [
  ...(Object.keys(PEOPLE) as AgencyCode[]).flatMap((agency) =>
    (["viewer", "reviewer", "lead"] as const).map((role) => ({
      email: `${role}.${agency.toLowerCase()}@demo.pledgewatch.vn`,
      name: PEOPLE[agency][role],
      agency,
      province: DEMO_PROVINCE,
      role,
    })),
  ),
  {
    email: "admin@demo.pledgewatch.vn",
    name: "Nguyễn Văn Quản",
    agency: "CT",
    province: DEMO_PROVINCE,
    role: "admin",
  },
];
