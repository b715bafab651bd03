import type { CaseLogEntry } from "@pledgewatch/core";
import { formatDateTime } from "../i18n";
import type { PageContext } from "./layout";

/** Rules' titles by id (the flagging service's ruleTitles). */
export type RuleTitles = ReadonlyMap<string, string>;

/** A rule as people name it: its title; the id only for a rule since removed. */
export const ruleName = (titles: RuleTitles, id: string) => titles.get(id) ?? id;

export const caseHref = (id: string) => `/console/cases/${encodeURIComponent(id)}`;
export const when = (page: PageContext, iso: string | undefined) =>
  iso ? formatDateTime(page.lang, new Date(iso)) : "—";
export const vnd = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : `${n.toLocaleString("vi-VN")} ₫`;
export const eventLabel = (page: PageContext, type: CaseLogEntry["event"]["type"]) =>
  page.t.review.events[type];

export function Csrf({ page }: { page: PageContext }) {
  return <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />;
}
