import {
  type Capture,
  type CapturedItem,
  type CaptureJob,
  type CrawlTarget,
  can,
  captureFailureOf,
  type DeadLetter,
  SCHEDULES,
  TARGET_KINDS,
  type TargetCsvError,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { Layout, type PageContext } from "./layout";
import { scopeNames } from "./page-context";

const when = (page: PageContext, iso: string | undefined) =>
  iso ? formatDateTime(page.lang, new Date(iso)) : "—";
const vnd = (n: number | undefined) => (n === undefined ? "—" : `${n.toLocaleString("vi-VN")} ₫`);
const captureHref = (id: string) => `/console/monitoring/captures/${encodeURIComponent(id)}`;
const artefactHref = (captureId: string, key: string) =>
  `${captureHref(captureId)}/artefact?key=${encodeURIComponent(key)}`;

function Csrf({ page }: { page: PageContext }) {
  return <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />;
}

export function CaptureForm({ page, error }: { page: PageContext; error?: string | undefined }) {
  const m = page.t.monitoring;
  return (
    <form method="post" action="/console/monitoring/captures" class="card" aria-labelledby="capture-heading">
      <h2 id="capture-heading">{m.captureTitle}</h2>
      <p>{m.captureHint}</p>
      <Csrf page={page} />
      <div class="field">
        <label for="f-capture-url">{m.captureUrl}</label>
        <input
          id="f-capture-url"
          name="url"
          type="url"
          required
          maxlength={2000}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "f-capture-url-error" : undefined}
        />
        {error ? (
          <p class="field-error" id="f-capture-url-error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit">{m.captureSubmit}</button>
    </form>
  );
}

function TargetForm({ page, errors }: { page: PageContext; errors: Record<string, string> }) {
  const m = page.t.monitoring;
  const err = (name: string) =>
    errors[name] ? (
      <p class="field-error" id={`f-t-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <form
      method="post"
      action="/console/monitoring/targets"
      class="card"
      aria-labelledby="new-target-heading"
    >
      <h2 id="new-target-heading">{m.newTarget}</h2>
      <Csrf page={page} />
      <div class="field">
        <label for="f-t-url">{m.url}</label>
        <input
          id="f-t-url"
          name="url"
          type="url"
          required
          maxlength={2000}
          aria-invalid={errors.url ? "true" : undefined}
        />
        {err("url")}
      </div>
      <div class="field">
        <label for="f-t-label">{m.label}</label>
        <input id="f-t-label" name="label" maxlength={200} />
      </div>
      <div class="field">
        <label for="f-t-kind">{m.kind}</label>
        <select id="f-t-kind" name="kind">
          {TARGET_KINDS.map((k) => (
            <option value={k}>{m.kinds[k]}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-t-schedule">{m.schedule}</label>
        <select id="f-t-schedule" name="schedule">
          {SCHEDULES.map((s) => (
            <option value={s} selected={s === "daily"}>
              {m.schedules[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-t-pageLimit">{m.pageLimit}</label>
        <input id="f-t-pageLimit" name="pageLimit" type="number" min={1} max={20} value="3" />
        {err("pageLimit")}
      </div>
      <div class="field">
        <label for="f-t-partyId">{m.party}</label>
        <input id="f-t-partyId" name="partyId" maxlength={64} />
      </div>
      <button type="submit">{m.create}</button>
    </form>
  );
}

function ImportForm({ page, errors }: { page: PageContext; errors?: TargetCsvError[] | undefined }) {
  const m = page.t.monitoring;
  return (
    <form
      method="post"
      action="/console/monitoring/targets/import"
      enctype="multipart/form-data"
      class="card"
      aria-labelledby="import-heading"
    >
      <h2 id="import-heading">{m.importTitle}</h2>
      <p>{m.importHint}</p>
      {errors && errors.length > 0 ? (
        <div class="alert" role="alert">
          <p>{m.importErrors}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{m.row}</th>
                <th scope="col">{m.column}</th>
                <th scope="col">{m.message}</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e) => (
                <tr>
                  <td>{e.row || "—"}</td>
                  <td>{e.column || "—"}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Csrf page={page} />
      <div class="field">
        <label for="f-import-file">{m.importFile}</label>
        <input id="f-import-file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
      </div>
      <button type="submit">{m.importSubmit}</button>
    </form>
  );
}

function CapturesTable({ page, captures }: { page: PageContext; captures: Capture[] }) {
  const m = page.t.monitoring;
  if (captures.length === 0) return <p>{m.noCaptures}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{m.at}</th>
            <th scope="col">{m.url}</th>
            <th scope="col">{m.outcome}</th>
            <th scope="col">{m.pages}</th>
            <th scope="col">{m.items}</th>
          </tr>
        </thead>
        <tbody>
          {captures.map((c) => (
            <tr>
              <td>
                <a href={captureHref(c.id)}>{when(page, c.finishedAt)}</a>
              </td>
              <td class="break">{c.url}</td>
              <td>
                {c.outcome === "succeeded" ? m.succeeded : `${m.failed}: ${failureReason(page, c.error)}`}
              </td>
              <td>{c.pages.length}</td>
              <td>{c.itemIds.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MonitoringPage({
  page,
  targets,
  captures,
  notice,
  targetErrors = {},
  importErrors,
  captureError,
}: {
  page: PageContext;
  targets: CrawlTarget[];
  captures: Capture[];
  notice?: string | undefined;
  targetErrors?: Record<string, string>;
  importErrors?: TargetCsvError[] | undefined;
  captureError?: string | undefined;
}) {
  const { t } = page;
  const m = t.monitoring;
  const principal = page.principal;
  const mayWrite = principal ? can(principal, "monitoring.targets.write") : false;
  const mayCapture = principal ? can(principal, "monitoring.capture") : false;
  return (
    <Layout page={page} title={m.title}>
      <h1>{m.title}</h1>
      <p>{format(m.intro, scopeNames(page))}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>
        <a href="/console/monitoring/items">{m.itemsLink}</a>
        {principal && can(principal, "monitoring.deadletters") ? (
          <>
            {" · "}
            <a href="/console/monitoring/dead-letters">{m.deadLettersLink}</a>
          </>
        ) : null}
      </p>
      {mayCapture ? <CaptureForm page={page} error={captureError} /> : null}
      <section aria-labelledby="targets-heading">
        <h2 id="targets-heading">{m.targets}</h2>
        {targets.length === 0 ? (
          <p>{m.noTargets}</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="targets">
              <thead>
                <tr>
                  <th scope="col">{m.label}</th>
                  <th scope="col">{m.kind}</th>
                  <th scope="col">{m.schedule}</th>
                  <th scope="col">{m.lastCapture}</th>
                  <th scope="col">{m.nextDue}</th>
                </tr>
              </thead>
              <tbody>
                {targets.map((target) => (
                  <tr>
                    <td>
                      <a href={`/console/monitoring/targets/${encodeURIComponent(target.id)}`}>
                        {target.label}
                      </a>
                      <div class="muted break">{target.url}</div>
                    </td>
                    <td>{m.kinds[target.kind]}</td>
                    <td>{target.active ? m.schedules[target.schedule] : m.paused}</td>
                    <td>
                      {target.lastCaptureId ? (
                        <a href={captureHref(target.lastCaptureId)}>
                          {when(page, target.lastCaptureAt)} ·{" "}
                          {target.lastOutcome === "succeeded" ? m.succeeded : m.failed}
                        </a>
                      ) : (
                        m.never
                      )}
                    </td>
                    <td>{target.active ? when(page, target.nextDueAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">{m.recent}</h2>
        <CapturesTable page={page} captures={captures} />
      </section>
      {mayWrite ? (
        <>
          <TargetForm page={page} errors={targetErrors} />
          <ImportForm page={page} errors={importErrors} />
        </>
      ) : null}
    </Layout>
  );
}

export function TargetPage({
  page,
  target,
  captures,
}: {
  page: PageContext;
  target: CrawlTarget;
  captures: Capture[];
}) {
  const m = page.t.monitoring;
  const principal = page.principal;
  return (
    <Layout page={page} title={target.label}>
      <p>
        <a href="/console/monitoring">{m.back}</a>
      </p>
      <h1>{target.label}</h1>
      <dl class="facts">
        <dt>{m.url}</dt>
        <dd class="break">{target.url}</dd>
        <dt>{m.kind}</dt>
        <dd>{m.kinds[target.kind]}</dd>
        <dt>{m.platform}</dt>
        <dd>{target.platform}</dd>
        <dt>{m.schedule}</dt>
        <dd>{target.active ? m.schedules[target.schedule] : m.paused}</dd>
        <dt>{m.pageLimit}</dt>
        <dd>{target.pageLimit}</dd>
        <dt>{m.party}</dt>
        <dd>
          {target.partyId ? (
            <a href={`/console/parties/${encodeURIComponent(target.partyId)}`}>{target.partyId}</a>
          ) : (
            "—"
          )}
        </dd>
        <dt>{m.nextDue}</dt>
        <dd>{target.active ? when(page, target.nextDueAt) : "—"}</dd>
      </dl>
      {principal && can(principal, "monitoring.capture") ? (
        <form
          method="post"
          action={`/console/monitoring/targets/${encodeURIComponent(target.id)}/capture`}
          class="inline-form"
        >
          <Csrf page={page} />
          <button type="submit">{m.captureNow}</button>
        </form>
      ) : null}
      {principal && can(principal, "monitoring.targets.write") ? (
        <form
          method="post"
          action={`/console/monitoring/targets/${encodeURIComponent(target.id)}`}
          class="card"
        >
          <Csrf page={page} />
          <div class="field">
            <label for="f-e-label">{m.label}</label>
            <input id="f-e-label" name="label" value={target.label} maxlength={200} />
          </div>
          <div class="field">
            <label for="f-e-schedule">{m.schedule}</label>
            <select id="f-e-schedule" name="schedule">
              {SCHEDULES.map((s) => (
                <option value={s} selected={s === target.schedule}>
                  {m.schedules[s]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-e-pageLimit">{m.pageLimit}</label>
            <input
              id="f-e-pageLimit"
              name="pageLimit"
              type="number"
              min={1}
              max={20}
              value={String(target.pageLimit)}
            />
          </div>
          <div class="field">
            <label class="choice" for="f-e-active">
              <input id="f-e-active" name="active" type="checkbox" value="1" checked={target.active} />
              <span>{m.active}</span>
            </label>
          </div>
          <button type="submit">{m.save}</button>
        </form>
      ) : null}
      <h2>{m.captures}</h2>
      <CapturesTable page={page} captures={captures} />
    </Layout>
  );
}

/**
 * The worker records a failure as codes and an English detail (describeCaptureFailure), for the logs and
 * the API. A person reads the codes in words from the catalogue, never the detail.
 */
export function failureReason(page: PageContext, recorded: string | undefined): string {
  const { reasons, refusals } = page.t.monitoring.job;
  const { failure, refusal = "" } = captureFailureOf(recorded);
  if (failure === "refused" && Object.hasOwn(refusals, refusal)) {
    return refusals[refusal as keyof typeof refusals];
  }
  return Object.hasOwn(reasons, failure) ? reasons[failure as keyof typeof reasons] : reasons.other;
}

export function JobPage({ page, job }: { page: PageContext; job: CaptureJob }) {
  const m = page.t.monitoring;
  const open = job.state === "open";
  return (
    <Layout page={page} title={m.job.title} refreshSeconds={open ? 2 : undefined}>
      <p>
        <a href="/console/monitoring">{m.back}</a>
      </p>
      <h1>{m.job.title}</h1>
      <p class="break">{job.url}</p>
      {open ? (
        <p role="status">{m.job.waiting}</p>
      ) : (
        <div class="alert" role="alert">
          <p>{format(m.job.failed, { error: failureReason(page, job.lastError) })}</p>
        </div>
      )}
      <p>
        {m.job.attempts}: {job.attempts}
      </p>
      {job.captureId ? <a href={captureHref(job.captureId)}>{m.capture.title}</a> : null}
    </Layout>
  );
}

export function CapturePage({
  page,
  capture,
  items,
}: {
  page: PageContext;
  capture: Capture;
  items: CapturedItem[];
}) {
  const m = page.t.monitoring;
  const c = m.capture;
  return (
    <Layout page={page} title={c.title}>
      <p>
        <a href="/console/monitoring">{m.back}</a>
      </p>
      <h1>{c.title}</h1>
      <dl class="facts">
        <dt>{c.requested}</dt>
        <dd class="break">{capture.url}</dd>
        <dt>{c.origin}</dt>
        <dd>
          {capture.origin === "on_demand" ? c.onDemand : capture.origin === "tip" ? c.fromTip : c.scheduled}
        </dd>
        <dt>{m.outcome}</dt>
        <dd data-testid="capture-outcome">{capture.outcome === "succeeded" ? m.succeeded : m.failed}</dd>
        {capture.error ? (
          <>
            <dt>{c.error}</dt>
            <dd>{failureReason(page, capture.error)}</dd>
          </>
        ) : null}
        <dt>{m.at}</dt>
        <dd>{when(page, capture.finishedAt)}</dd>
      </dl>
      {capture.certificate ? (
        <p>
          <a href={`${captureHref(capture.id)}/certificate.pdf`} data-testid="certificate-link">
            {c.certificate}
          </a>{" "}
          (SHA-256 <code class="hash">{capture.certificate.sha256}</code>)
        </p>
      ) : null}
      <p class="notice">{c.writeOnce}</p>
      {capture.pages.map((p) => {
        const shot = p.artefacts.find((a) => a.name === "screenshot.png");
        return (
          <section class="card" aria-labelledby={`page-${p.pageNo}`}>
            <h2 id={`page-${p.pageNo}`}>{format(c.page, { page: p.pageNo })}</h2>
            <dl class="facts">
              <dt>{c.final}</dt>
              <dd class="break">{p.finalUrl}</dd>
              {p.redirects.length > 0 ? (
                <>
                  <dt>{c.redirects}</dt>
                  <dd class="break">{p.redirects.join(" → ")}</dd>
                </>
              ) : null}
              <dt>{c.status}</dt>
              <dd>{p.httpStatus}</dd>
              <dt>{c.fetchedAt}</dt>
              <dd>
                {when(page, p.fetchedAt)} ({p.fetchedAt})
              </dd>
              <dt>{c.userAgent}</dt>
              <dd class="break">{p.userAgent}</dd>
            </dl>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{c.artefact}</th>
                    <th scope="col">{c.size}</th>
                    <th scope="col">{c.sha256}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.artefacts.map((a) => (
                    <tr>
                      <td>
                        <a href={artefactHref(capture.id, a.key)}>{a.name}</a>
                      </td>
                      <td>{Math.ceil(a.bytes / 1024)} KB</td>
                      <td>
                        <code class="hash">{a.sha256}</code>
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <td>
                      <a href={artefactHref(capture.id, p.manifestKey)}>{c.manifest}</a>
                    </td>
                    <td>—</td>
                    <td>
                      <code class="hash">{p.manifestSha256}</code>
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
            {shot ? (
              <a href={artefactHref(capture.id, shot.key)}>
                <img
                  class="screenshot"
                  src={artefactHref(capture.id, shot.key)}
                  alt={format(c.screenshot, { page: p.pageNo })}
                  loading="lazy"
                />
              </a>
            ) : null}
          </section>
        );
      })}
      {items.length > 0 ? (
        <section aria-labelledby="items-heading">
          <h2 id="items-heading">{m.items}</h2>
          <ItemsTable page={page} items={items} />
        </section>
      ) : null}
    </Layout>
  );
}

function ItemsTable({ page, items }: { page: PageContext; items: CapturedItem[] }) {
  const i = page.t.monitoring.item;
  return (
    <div class="table-wrap">
      <table data-testid="items">
        <thead>
          <tr>
            <th scope="col">{i.kind}</th>
            <th scope="col">{i.name}</th>
            <th scope="col">{i.price}</th>
            <th scope="col">{i.seller}</th>
            <th scope="col">{i.seen}</th>
            <th scope="col">{i.times}</th>
            <th scope="col">{i.evaluation}</th>
            <th scope="col">{i.evidence}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr>
              <td>{i.kinds[item.kind]}</td>
              <td>
                {item.title}
                {item.text && item.text !== item.title ? (
                  <div class="muted">{item.text.slice(0, 300)}</div>
                ) : null}
              </td>
              <td>{vnd(item.price)}</td>
              <td>{item.seller ?? "—"}</td>
              <td>{when(page, item.lastSeen)}</td>
              <td>{item.timesSeen}</td>
              <td>{i.states[item.evaluation.state]}</td>
              <td>
                <a href={captureHref(item.captureId)}>{item.platform}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ItemsPage({
  page,
  items,
  next,
}: {
  page: PageContext;
  items: CapturedItem[];
  next?: string | undefined;
}) {
  const m = page.t.monitoring;
  return (
    <Layout page={page} title={m.item.title}>
      <p>
        <a href="/console/monitoring">{m.back}</a>
      </p>
      <h1>{m.item.title}</h1>
      <p>{m.item.intro}</p>
      {items.length === 0 ? <p>{m.item.none}</p> : <ItemsTable page={page} items={items} />}
      {next ? (
        <p>
          <a href={`/console/monitoring/items?cursor=${encodeURIComponent(next)}`}>{m.item.more}</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function DeadLettersPage({
  page,
  letters,
  available,
  notice,
}: {
  page: PageContext;
  letters: DeadLetter[];
  available: boolean;
  notice?: string | undefined;
}) {
  const d = page.t.monitoring.deadLetters;
  return (
    <Layout page={page} title={d.title}>
      <p>
        <a href="/console/monitoring">{page.t.monitoring.back}</a>
      </p>
      <h1>{d.title}</h1>
      <p>{d.intro}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {!available ? (
        <p>{d.unavailable}</p>
      ) : letters.length === 0 ? (
        <p>{d.none}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="dead-letters">
            <thead>
              <tr>
                <th scope="col">{d.type}</th>
                <th scope="col">{d.payload}</th>
                <th scope="col">{d.error}</th>
                <th scope="col">{d.failedAt}</th>
                <th scope="col">{d.redrive}</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((l) => (
                <tr>
                  <td>{l.type}</td>
                  <td>
                    <code class="break">{JSON.stringify(l.payload)}</code>
                  </td>
                  <td>{l.error ?? "—"}</td>
                  <td>{when(page, l.failedAt)}</td>
                  <td>
                    <form
                      method="post"
                      action={`/console/monitoring/dead-letters/${encodeURIComponent(l.id)}/redrive`}
                      class="inline-form"
                    >
                      <Csrf page={page} />
                      <button type="submit">{d.redrive}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
