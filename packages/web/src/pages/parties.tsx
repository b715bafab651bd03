import {
  AGENCIES,
  can,
  type Party,
  type PartyPage,
  PROVINCES,
  provinceByCode,
  quarterLabel,
  SIGNER_GROUPS,
} from "@pledgewatch/core";
import type { PartyFilterInput } from "../env";
import { format } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { scopeNames } from "./page-context";

export function primaryIdentifier(party: Party): string {
  const { taxCode, pressLicence, practisingCertificate, profiles, refCode } = party.identifiers;
  return taxCode ?? pressLicence ?? practisingCertificate ?? profiles[0]?.url ?? refCode ?? "";
}

export function filterQuery(filter: PartyFilterInput, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...extra })) {
    if (value) params.set(key, String(value));
  }
  return params.toString();
}

export function PartiesPage({
  page,
  result,
  filter,
  cursor,
  currentQuarter,
  invitedNotice,
}: {
  page: PageContext;
  result: PartyPage;
  filter: PartyFilterInput;
  cursor: string | undefined;
  currentQuarter: string;
  invitedNotice?: boolean | undefined;
}) {
  const { t, principal } = page;
  if (!principal) return null;
  const isAdmin = principal.role === "admin";
  const mayWrite = can(principal, "parties.write");
  const scope = isAdmin
    ? {
        agency: t.agencies[filter.agency ?? principal.agency],
        province: provinceByCode(filter.province ?? principal.province)?.name ?? "",
      }
    : scopeNames(page);
  return (
    <Layout page={page} title={t.parties.title}>
      <h1>{t.parties.title}</h1>
      <p>{format(t.parties.intro, scope)}</p>
      {invitedNotice ? (
        <p class="notice" role="status">
          {t.pledges.inviteAllDone}
        </p>
      ) : null}
      {can(principal, "pledges.invite") ? (
        <form method="post" action="/console/invitations/bulk" class="inline-block">
          <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
          {filter.group ? <input type="hidden" name="group" value={filter.group} /> : null}
          {filter.province ? <input type="hidden" name="province" value={filter.province} /> : null}
          <p class="hint">{format(t.pledges.inviteAllHint, { quarter: quarterLabel(currentQuarter) })}</p>
          <button type="submit" class="secondary">
            {t.pledges.inviteAll}
          </button>
        </form>
      ) : null}
      <p class="actions">
        {mayWrite ? (
          <>
            <a class="button" href="/console/parties/new">
              {t.parties.add}
            </a>{" "}
            <a class="button secondary" href="/console/imports">
              {t.parties.import}
            </a>{" "}
          </>
        ) : null}
        <a
          class="button secondary"
          href={`/console/parties/export?${filterQuery(filter, { format: "xlsx" })}`}
        >
          {t.parties.exportXlsx}
        </a>{" "}
        <a
          class="button secondary"
          href={`/console/parties/export?${filterQuery(filter, { format: "csv" })}`}
        >
          {t.parties.exportCsv}
        </a>
      </p>
      <search>
        <form method="get" action="/console/parties" class="filters">
          <div class="field wide">
            <label for="q">{t.parties.search}</label>
            <input id="q" name="q" type="search" value={filter.q ?? ""} aria-describedby="q-hint" />
            <p class="hint" id="q-hint">
              {t.parties.searchHint}
            </p>
          </div>
          <div class="field">
            <label for="group">{t.parties.group}</label>
            <select id="group" name="group">
              <option value="">{t.parties.allGroups}</option>
              {SIGNER_GROUPS.map((g) => (
                <option value={g} selected={g === filter.group}>
                  {t.groups[g]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="status">{t.parties.status}</label>
            <select id="status" name="status">
              <option value="">{t.parties.allStatuses}</option>
              {(["active", "ceased", "exempt"] as const).map((s) => (
                <option value={s} selected={s === filter.status}>
                  {t.partyStatus[s]}
                </option>
              ))}
            </select>
          </div>
          {isAdmin ? (
            <>
              <div class="field">
                <label for="agency">{t.parties.agency}</label>
                <select id="agency" name="agency">
                  {AGENCIES.map((a) => (
                    <option value={a.code} selected={a.code === (filter.agency ?? principal.agency)}>
                      {t.agencies[a.code]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="province">{t.parties.province}</label>
                <select id="province" name="province">
                  {PROVINCES.map((p) => (
                    <option value={p.code} selected={p.code === (filter.province ?? principal.province)}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            </>
          ) : null}
          <button type="submit">{t.parties.filter}</button>
        </form>
      </search>
      {result.items.length === 0 ? (
        <p>{t.parties.empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <caption class="visually-hidden">{t.parties.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.parties.name}</th>
                <th scope="col">{t.parties.group}</th>
                <th scope="col">{t.parties.identifier}</th>
                <th scope="col">{t.parties.provinces}</th>
                <th scope="col">{t.parties.status}</th>
                <th scope="col">{t.parties.pledge}</th>
                <th scope="col">{t.parties.obligatedFrom}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((party) => (
                <tr>
                  <td data-label={t.parties.name}>
                    <a href={`/console/parties/${encodeURIComponent(party.id)}`}>{party.name}</a>
                  </td>
                  <td data-label={t.parties.group}>{t.groups[party.group]}</td>
                  <td data-label={t.parties.identifier}>
                    <span class="code">{primaryIdentifier(party)}</span>
                  </td>
                  <td data-label={t.parties.provinces}>
                    {party.provinces.map((code) => provinceByCode(code)?.name ?? code).join(", ")}
                  </td>
                  <td data-label={t.parties.status}>{t.partyStatus[party.status]}</td>
                  <td data-label={t.parties.pledge}>
                    {party.pledge && party.pledge.quarter === currentQuarter
                      ? (t.pledges.pledgeStatus[party.pledge.status as "valid"] ?? party.pledge.status)
                      : t.parties.notSigned}
                  </td>
                  <td data-label={t.parties.obligatedFrom}>
                    {party.obligatedFrom.split("-").reverse().join("/")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="pager">
        {cursor ? <a href={`/console/parties?${filterQuery(filter)}`}>{t.parties.first}</a> : null}{" "}
        {result.next ? (
          <a rel="next" href={`/console/parties?${filterQuery(filter, { cursor: result.next })}`}>
            {t.parties.next}
          </a>
        ) : null}
      </p>
    </Layout>
  );
}
