import {
  CASE_STATES,
  type Case,
  can,
  DISMISS_REASONS,
  priorityHours,
  type QueueFilter,
} from "@pledgewatch/core";
import { format } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { scopeNames } from "./page-context";
import { Csrf, caseHref, type RuleTitles, ruleName, when } from "./review-common";

/** The review queue: filters, cases by priority, bulk dismissal. Keyboard shortcuts in /static/review.js. */
export function QueuePage({
  page,
  cases,
  filter,
  next,
  now,
  notice,
  ruleTitles,
}: {
  page: PageContext;
  ruleTitles: RuleTitles;
  cases: Case[];
  filter: QueueFilter;
  next?: string | undefined;
  now: Date;
  notice?: string | undefined;
}) {
  const r = page.t.review;
  const mayWork = page.principal ? can(page.principal, "cases.work") : false;
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filter, ...extra })) {
      if (v !== undefined && v !== "" && k !== "limit") params.set(k, String(v));
    }
    return `/console/cases?${params.toString()}`;
  };
  const exportHref = (format: "xlsx" | "csv") => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filter, format })) {
      if (v !== undefined && v !== "" && k !== "limit" && k !== "cursor") params.set(k, String(v));
    }
    return `/api/v1/cases/export?${params.toString()}`;
  };
  return (
    <Layout page={page} title={r.title} scripts={["/static/review.js"]}>
      <h1>{r.title}</h1>
      <p>{format(r.intro, scopeNames(page))}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form method="get" action="/console/cases" class="filters">
        <label>
          {r.state}
          <select name="state">
            {CASE_STATES.map((s) => (
              <option value={s} selected={filter.state === s}>
                {r.states[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {r.platform}
          <input type="text" name="platform" value={filter.platform ?? ""} maxlength={100} />
        </label>
        <label>
          {r.rule}
          <select name="rule">
            <option value="">{r.anyRule}</option>
            {[...ruleTitles].map(([id, title]) => (
              <option value={id} selected={filter.rule === id}>
                {title}
              </option>
            ))}
            {filter.rule && !ruleTitles.has(filter.rule) ? (
              <option value={filter.rule} selected>
                {filter.rule}
              </option>
            ) : null}
          </select>
        </label>
        <label>
          {r.minAge}
          <input type="number" name="minAgeDays" min="0" value={filter.minAgeDays?.toString() ?? ""} />
        </label>
        <label>
          {r.maxAge}
          <input type="number" name="maxAgeDays" min="0" value={filter.maxAgeDays?.toString() ?? ""} />
        </label>
        <button type="submit">{r.filter}</button>
      </form>
      <p>
        <a class="button secondary" href={exportHref("xlsx")}>
          {r.exportXlsx}
        </a>{" "}
        <a class="button secondary" href={exportHref("csv")}>
          {r.exportCsv}
        </a>
      </p>
      {cases.length === 0 ? (
        <p>{r.empty}</p>
      ) : (
        <form method="post" action="/console/cases/bulk-dismiss" id="bulk-form">
          <Csrf page={page} />
          <table id="queue">
            <thead>
              <tr>
                {mayWork ? <th scope="col">{r.select}</th> : null}
                <th scope="col">{r.priority}</th>
                <th scope="col">{r.item}</th>
                <th scope="col">{r.platform}</th>
                <th scope="col">{r.rule}</th>
                <th scope="col">{r.score}</th>
                <th scope="col">{r.opened}</th>
                <th scope="col">{r.assignee}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr data-case={c.id}>
                  {mayWork ? (
                    <td>
                      <input
                        type="checkbox"
                        name="ids"
                        value={c.id}
                        aria-label={`${r.select}: ${c.item.title.slice(0, 80)}`}
                      />
                    </td>
                  ) : null}
                  <td>{priorityHours(c.priorityKey, now)}</td>
                  <td>
                    <a href={caseHref(c.id)} class="case-link">
                      {c.item.title.slice(0, 200)}
                    </a>
                    {c.party?.pledge ? <span class="badge"> · {r.pledged}</span> : null}
                    {c.unflagged ? <span class="badge unflagged"> · {r.unflaggedBadge}</span> : null}
                  </td>
                  <td>{c.item.platform}</td>
                  <td>{c.ruleIds.map((id) => ruleName(ruleTitles, id)).join(", ")}</td>
                  <td>{c.evaluation.score.toFixed(2)}</td>
                  <td>{when(page, c.openedAt)}</td>
                  <td>{c.assignee?.name ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mayWork ? (
            <fieldset class="card">
              <legend>{r.bulkTitle}</legend>
              <label for="bulk-reason">{r.dismissReason}</label>
              <select id="bulk-reason" name="reason">
                {DISMISS_REASONS.map((reason) => (
                  <option value={reason}>{r.dismissReasons[reason]}</option>
                ))}
              </select>
              <label for="bulk-note">{r.note}</label>
              <input id="bulk-note" type="text" name="note" maxlength={4000} />
              <button type="submit">{r.bulkSubmit}</button>
            </fieldset>
          ) : null}
        </form>
      )}
      {next ? (
        <p>
          <a href={query({ cursor: next })}>{r.next}</a>
        </p>
      ) : null}
    </Layout>
  );
}
