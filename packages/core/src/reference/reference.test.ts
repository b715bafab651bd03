import { describe, expect, it } from "vitest";
import { AGENCIES } from "./agencies";
import { PROVINCES, ProvinceCodeSchema } from "./provinces";
import { SIGNER_GROUP_INFO, SIGNER_GROUPS } from "./signer-groups";

describe("reference data", () => {
  it("has the 34 provincial units in force since 1 July 2025, six of them cities, with unique codes", () => {
    expect(PROVINCES).toHaveLength(34);
    expect(PROVINCES.filter((p) => p.kind === "city")).toHaveLength(6);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(34);
    expect(new Set(PROVINCES.map((p) => p.name)).size).toBe(34);
  });

  it("validates province codes", () => {
    expect(ProvinceCodeSchema.safeParse("37").success).toBe(true);
    expect(ProvinceCodeSchema.safeParse("36").success).toBe(false);
  });

  it("maps every signer group to one family and one of the three agencies", () => {
    const agencies = new Set(AGENCIES.map((a) => a.code));
    for (const group of SIGNER_GROUPS) {
      expect(agencies.has(SIGNER_GROUP_INFO[group].agency)).toBe(true);
    }
    expect(SIGNER_GROUP_INFO.doctor.agency).toBe("YT");
    expect(SIGNER_GROUP_INFO.kol.agency).toBe("VHTT");
    expect(SIGNER_GROUP_INFO.ecommerce_platform.agency).toBe("CT");
  });
});
