import { type PartyPage, provinceByCode, SIGNER_GROUPS, type SignerGroup } from "@pledgewatch/core";
import { format } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { scopeNames } from "./page-context";

export function PartiesPage({
  page,
  result,
  group,
  cursor,
}: {
  page: PageContext;
  result: PartyPage;
  group: SignerGroup | undefined;
  cursor: string | undefined;
}) {
  const { t, principal } = page;
  if (!principal) return null;
  const groupParam = group ? `group=${group}&` : "";
  return (
    <Layout page={page} title={t.parties.title}>
      <h1>{t.parties.title}</h1>
      <p>{format(t.parties.intro, scopeNames(page))}</p>
      <form method="get" action="/console/parties" class="filters">
        <label for="group">{t.parties.group}</label>
        <select id="group" name="group">
          <option value="">{t.parties.allGroups}</option>
          {SIGNER_GROUPS.map((g) => (
            <option value={g} selected={g === group}>
              {t.groups[g]}
            </option>
          ))}
        </select>
        <button type="submit">{t.parties.filter}</button>
      </form>
      {result.items.length === 0 ? (
        <p>{t.parties.empty}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t.parties.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.parties.name}</th>
              <th scope="col">{t.parties.group}</th>
              <th scope="col">{t.parties.family}</th>
              <th scope="col">{t.parties.provinces}</th>
              <th scope="col">{t.parties.status}</th>
              <th scope="col">{t.parties.obligatedFrom}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((party) => (
              <tr>
                <td>{party.name}</td>
                <td>{t.groups[party.group]}</td>
                <td>{t.families[party.family]}</td>
                <td>{party.provinces.map((code) => provinceByCode(code)?.name ?? code).join(", ")}</td>
                <td>{t.partyStatus[party.status]}</td>
                <td>{party.obligatedFrom.split("-").reverse().join("/")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="pager">
        {cursor ? <a href={`/console/parties?${groupParam}`}>{t.parties.first}</a> : null}{" "}
        {result.next ? (
          <a rel="next" href={`/console/parties?${groupParam}cursor=${encodeURIComponent(result.next)}`}>
            {t.parties.next}
          </a>
        ) : null}
      </p>
    </Layout>
  );
}
