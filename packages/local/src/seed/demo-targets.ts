import type { MonitoringService } from "@pledgewatch/core";
import { demoTargets } from "@pledgewatch/demo-market";
import { DEMO_STAFF } from "./demo-staff";
import { stableId } from "./seed";

/** Which agency watches which demo page: goods for Công Thương, health ads for Y tế, a KOL for VHTT. */
const OWNER: Record<string, "CT" | "VHTT" | "YT"> = {
  "/shop/thoi-trang-sai-gon": "CT",
  "/tim-kiem": "CT",
  "/shop/nha-thuoc-xanh": "YT",
  "/bang-tin": "YT",
  "/kol/linh-review": "VHTT",
};

/** The demo marketplace's shops belong to a pledged demo platform (it signs in seedDemoPledges). */
const MARKET_PARTY: Record<string, string> = {
  "/shop/thoi-trang-sai-gon": stableId("party", "platform-2"),
  "/tim-kiem": stableId("party", "platform-2"),
};

/**
 * Crawl targets on the demo marketplace, created once (when the reviewer of each agency has none), so
 * that after `npm start` the pipeline runs and its results are in the console.
 */
export async function seedDemoTargets(monitoring: MonitoringService, marketUrl: string): Promise<number> {
  let created = 0;
  const byAgency = new Map<string, boolean>();
  for (const target of demoTargets(marketUrl)) {
    const agency = OWNER[new URL(target.url).pathname] ?? "CT";
    const actor = DEMO_STAFF.find((s) => s.role === "reviewer" && s.agency === agency);
    if (!actor) continue;
    const principal = {
      staffId: "demo-seed",
      email: actor.email,
      name: actor.name,
      agency: actor.agency,
      province: actor.province,
      role: actor.role,
    };
    if (!byAgency.has(agency))
      byAgency.set(agency, (await monitoring.listTargets(principal)).items.length > 0);
    if (byAgency.get(agency)) continue;
    const partyId = MARKET_PARTY[new URL(target.url).pathname];
    await monitoring.createTarget(principal, { ...target, ...(partyId ? { partyId } : {}) });
    created++;
  }
  return created;
}
