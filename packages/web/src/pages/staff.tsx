import type { PublicStaff } from "@pledgewatch/core";
import { format } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { scopeNames } from "./page-context";

export function StaffPage({ page, staff }: { page: PageContext; staff: PublicStaff[] }) {
  const { t, principal } = page;
  if (!principal) return null;
  return (
    <Layout page={page} title={t.staff.title}>
      <h1>{t.staff.title}</h1>
      <p>{format(t.staff.intro, scopeNames(page))}</p>
      {staff.length === 0 ? (
        <p>{t.staff.empty}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t.staff.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.staff.name}</th>
              <th scope="col">{t.staff.email}</th>
              <th scope="col">{t.staff.role}</th>
              <th scope="col">{t.staff.status}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr>
                <td>{s.name}</td>
                <td>{s.email}</td>
                <td>{t.roles[s.role]}</td>
                <td>{t.staffStatus[s.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
