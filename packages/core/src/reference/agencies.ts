import { z } from "zod";

/** The three provincial departments that own pledges and review queues. */
export const AGENCY_CODES = ["CT", "VHTT", "YT"] as const;
export const AgencyCodeSchema = z.enum(AGENCY_CODES);
export type AgencyCode = z.infer<typeof AgencyCodeSchema>;

export interface Agency {
  code: AgencyCode;
  nameVi: string;
  nameEn: string;
}

export const AGENCIES: readonly Agency[] = [
  { code: "CT", nameVi: "Sở Công Thương", nameEn: "Department of Industry and Trade" },
  {
    code: "VHTT",
    nameVi: "Sở Văn hóa, Thể thao và Du lịch",
    nameEn: "Department of Culture, Sports and Tourism",
  },
  { code: "YT", nameVi: "Sở Y tế", nameEn: "Department of Health" },
];

export function agencyByCode(code: AgencyCode): Agency {
  const agency = AGENCIES.find((a) => a.code === code);
  if (!agency) throw new Error(`unknown agency ${code}`);
  return agency;
}
