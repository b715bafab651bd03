import { agencyByCode, provinceByCode } from "@pledgewatch/core";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { PageContext } from "./layout";

export function pageContext(c: Context<AppEnv>): PageContext {
  return {
    lang: c.get("lang"),
    t: c.get("t"),
    principal: c.get("principal"),
    csrfToken: c.get("csrfToken"),
    path: c.req.path,
    search: new URL(c.req.url).search,
    outbox: c.get("outbox") ?? false,
    timeTravel: c.get("timeTravel") ?? false,
  };
}

/** The caller's agency (in the page language) and province names, for "… of {agency}, {province}" lines. */
export function scopeNames(page: PageContext): { agency: string; province: string } {
  const { principal, lang } = page;
  if (!principal) return { agency: "", province: "" };
  const agency = agencyByCode(principal.agency);
  return {
    agency: lang === "vi" ? agency.nameVi : agency.nameEn,
    province: provinceByCode(principal.province)?.name ?? principal.province,
  };
}
