import {
  AGENCY_CODES,
  type EvaluationRecord,
  FLAG_TYPES,
  ITEM_KINDS,
  type Principal,
  type ReevaluationRun,
  type RuleChange,
  type RuleKind,
  type RulePreview,
  type RuleSet,
  type RuleShare,
  type WatchlistSource,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { ErrorSummary, Field, type FieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";
import { Csrf, type RuleTitles, ruleName } from "./review-common";
import { ruleShareLabel } from "./review-metrics";
import { KIND_FIELDS, type RuleFormValues } from "./rule-form";

const vnd = (n: number) => `${n.toLocaleString("vi-VN")} đ`;

export function RulesPage({
  page,
  ruleSet,
  canCreate,
  shares = new Map(),
  reevaluation,
}: {
  page: PageContext;
  ruleSet: RuleSet;
  canCreate: boolean;
  /** Per rule: confirmed of decided flags (review metrics, the caller's queue). */
  shares?: Map<string, RuleShare>;
  /** The latest re-evaluation after a rule change, with its progress. */
  reevaluation?: ReevaluationRun | undefined;
}) {
  const { t } = page;
  const r = t.rules;
  return (
    <Layout page={page} title={r.title}>
      <h1>{r.title}</h1>
      <p>{format(r.intro, { version: ruleSet.version, threshold: ruleSet.threshold })}</p>
      {reevaluation ? (
        <p class="notice" id="reevaluation" data-state={reevaluation.state}>
          {format(r.reevaluation[reevaluation.state], {
            version: reevaluation.ruleSetVersion,
            since: formatDateTime(page.lang, new Date(reevaluation.since)),
            seen: reevaluation.seen,
            changed: reevaluation.changed,
            newlyFlagged: reevaluation.newlyFlagged,
            noLongerFlagged: reevaluation.noLongerFlagged,
          })}
        </p>
      ) : null}
      <p>
        <a href="/console/evaluations">{r.evaluations}</a>
      </p>
      <table>
        <caption class="visually-hidden">{r.title}</caption>
        <thead>
          <tr>
            <th scope="col">{r.ruleTitle}</th>
            <th scope="col">{r.kind}</th>
            <th scope="col">{r.agency}</th>
            <th scope="col">{r.weight}</th>
            <th scope="col">{r.version}</th>
            <th scope="col">{r.status}</th>
            <th scope="col">{t.reviewMetrics.rulesColumn}</th>
          </tr>
        </thead>
        <tbody>
          {ruleSet.rules.map((rule) => (
            <tr>
              <td>
                <a href={`/console/rules/${encodeURIComponent(rule.id)}`}>{rule.title}</a>
                <br />
                <code>{rule.id}</code>
              </td>
              <td>{r.ruleKinds[rule.kind]}</td>
              <td>{rule.agency}</td>
              <td>{rule.weight}</td>
              <td>{rule.version}</td>
              <td>{rule.enabled ? r.enabled : r.disabled}</td>
              <td data-testid={`rule-share-${rule.id}`}>{ruleShareLabel(shares.get(rule.id))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canCreate ? (
        <>
          <h2>{r.newRule}</h2>
          <ul>
            {(Object.keys(KIND_FIELDS) as RuleKind[]).map((kind) => (
              <li>
                <a href={`/console/rules/new?kind=${kind}`}>{r.ruleKinds[kind]}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{format(r.catalogue, { count: ruleSet.catalogue.length })}</h2>
      <p>
        <a href="/console/reference-prices">{r.catalogueEdit}</a>
      </p>
      <table>
        <caption class="visually-hidden">{format(r.catalogue, { count: ruleSet.catalogue.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{r.product}</th>
            <th scope="col">{r.matchWords}</th>
            <th scope="col">{r.referencePrice}</th>
          </tr>
        </thead>
        <tbody>
          {ruleSet.catalogue.map((entry) => (
            <tr>
              <td>{entry.name}</td>
              <td>{entry.match.join(" + ")}</td>
              <td>{vnd(entry.price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

function Lines({
  name,
  label,
  values,
  errors,
  hint,
}: {
  name: string;
  label: string;
  values: RuleFormValues;
  errors: FieldErrors;
  hint?: string;
}) {
  return <Field name={name} label={label} type="textarea" value={values[name]} errors={errors} hint={hint} />;
}

export interface RulePageProps {
  page: PageContext;
  principal: Principal;
  /** Null for a new rule. */
  ruleId: string | null;
  kind: RuleKind;
  values: RuleFormValues;
  errors: FieldErrors;
  editable: boolean;
  history: RuleChange[];
  preview?: RulePreview | undefined;
  saved?: number | undefined;
  /** A watchlist's loaded file, when its entries came from one. */
  source?: WatchlistSource | undefined;
}

export function RulePage(props: RulePageProps) {
  const { page, principal, ruleId, kind, values, errors, editable, history, preview, saved, source } = props;
  const { t } = page;
  const r = t.rules;
  const isNew = ruleId === null;
  const title = isNew ? format(r.newRuleTitle, { kind: r.ruleKinds[kind] }) : (values.title ?? ruleId);
  const action = isNew ? "/console/rules/new" : `/console/rules/${encodeURIComponent(ruleId)}`;
  const kinds = new Set((values.kinds ?? "").split(","));
  const label = r as unknown as Record<string, string>;
  return (
    <Layout page={page} title={title}>
      <p>
        <a href="/console/rules">{r.back}</a>
      </p>
      <h1>{title}</h1>
      {saved ? (
        <p class="notice" role="status">
          {format(r.saved, { version: saved })}
        </p>
      ) : null}
      {!editable ? <p>{r.readOnly}</p> : null}
      <ErrorSummary title={t.errors.invalidTitle} errors={errors} />
      <form method="post" action={action} class="stack">
        <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="expectedVersion" value={values.expectedVersion ?? "0"} />
        {isNew ? (
          <Field name="id" label={r.id} value={values.id} errors={errors} required />
        ) : (
          <input type="hidden" name="id" value={values.id ?? ""} />
        )}
        <p>
          {r.kind}: {r.ruleKinds[kind]}
          {isNew ? null : (
            <>
              {" · "}
              {r.version} {values.expectedVersion}
            </>
          )}
        </p>
        <div class="field">
          <label for="f-agency">{r.agency}</label>
          {isNew || principal.role === "admin" ? (
            <select id="f-agency" name="agency">
              {AGENCY_CODES.filter((a) => principal.role === "admin" || a === principal.agency).map((a) => (
                <option value={a} selected={values.agency === a}>
                  {t.agencies[a]}
                </option>
              ))}
            </select>
          ) : (
            <>
              <input type="hidden" name="agency" value={values.agency ?? ""} />
              <span id="f-agency">{t.agencies[values.agency as "CT"] ?? values.agency}</span>
            </>
          )}
        </div>
        <Field name="title" label={r.ruleTitle} value={values.title} errors={errors} required />
        <div class="field">
          <label for="f-flagType">{r.flagType}</label>
          <select id="f-flagType" name="flagType">
            <option value="" selected={!values.flagType}>
              {r.flagTypeNone}
            </option>
            {FLAG_TYPES.map((type) => (
              <option value={type} selected={values.flagType === type}>
                {t.flagTypes[type]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="choice">
            <input type="checkbox" name="enabled" checked={values.enabled === "on"} />
            <span>{r.enabled}</span>
          </label>
        </div>
        <Field name="weight" label={r.weight} value={values.weight} errors={errors} inputmode="text" />
        <Field
          name="legalBasis"
          label={r.legalBasis}
          type="textarea"
          value={values.legalBasis}
          errors={errors}
        />
        <Field
          name="explanation"
          label={r.explanation}
          type="textarea"
          value={values.explanation}
          errors={errors}
          hint={r.explanationHint}
        />
        <fieldset>
          <legend>{r.kinds}</legend>
          <p class="hint">{r.kindsHint}</p>
          {ITEM_KINDS.map((k) => (
            <label class="choice">
              <input type="checkbox" name="kinds" value={k} checked={kinds.has(k)} />
              <span>{r.itemKinds[k]}</span>
            </label>
          ))}
        </fieldset>
        {KIND_FIELDS[kind].map((field) =>
          field.type === "number" ? (
            <Field
              name={field.name}
              label={label[field.name] ?? field.name}
              value={values[field.name]}
              errors={errors}
            />
          ) : (
            <Lines
              name={field.name}
              label={label[field.label ?? field.name] ?? field.name}
              values={values}
              errors={errors}
              hint={field.type === "lines" ? r.linesHint : undefined}
            />
          ),
        )}
        <fieldset>
          <legend>{r.exceptions}</legend>
          <Lines name="except.before" label={r.exceptBefore} values={values} errors={errors} />
          <Lines name="except.after" label={r.exceptAfter} values={values} errors={errors} />
          <Field
            name="except.window"
            label={r.exceptWindow}
            value={values["except.window"]}
            errors={errors}
          />
          <Lines name="except.anywhere" label={r.exceptAnywhere} values={values} errors={errors} />
          <Lines name="except.categories" label={r.exceptCategories} values={values} errors={errors} />
        </fieldset>
        <h2>{r.preview}</h2>
        <Field
          name="limit"
          label={r.previewLimit}
          value={values.limit ?? "200"}
          errors={errors}
          inputmode="numeric"
        />
        <div class="actions">
          <button type="submit" formaction={isNew ? "/console/rules/new/preview" : `${action}/preview`}>
            {r.previewButton}
          </button>
          {editable ? <button type="submit">{r.save}</button> : null}
        </div>
      </form>
      {preview ? <PreviewResult page={page} preview={preview} /> : null}
      {kind === "product-watch" && !isNew ? (
        <WatchlistUpload
          page={page}
          action={`${action}/watchlist`}
          expectedVersion={values.expectedVersion ?? "0"}
          editable={editable}
          source={source}
          error={errors.file}
        />
      ) : null}
      {isNew ? null : (
        <>
          <h2>{r.history}</h2>
          {history.length === 0 ? (
            <p>{r.historyEmpty}</p>
          ) : (
            <table>
              <caption class="visually-hidden">{r.history}</caption>
              <thead>
                <tr>
                  <th scope="col">{r.version}</th>
                  <th scope="col">{r.at}</th>
                  <th scope="col">{r.by}</th>
                  <th scope="col">{r.action}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr>
                    <td>{h.ruleVersion}</td>
                    <td>{formatDateTime(page.lang, new Date(h.at))}</td>
                    <td>{h.by.name}</td>
                    <td>{r.historyActions[h.action]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Layout>
  );
}

/** A watchlist's entries refreshed from the regulator's list as a CSV or XLSX file. */
function WatchlistUpload(props: {
  page: PageContext;
  action: string;
  expectedVersion: string;
  editable: boolean;
  source: WatchlistSource | undefined;
  error: string | undefined;
}) {
  const { page, action, expectedVersion, editable, source, error } = props;
  const r = page.t.rules;
  return (
    <section aria-labelledby="watchlist-file" id="watchlist">
      <h2 id="watchlist-file">{r.watchlistTitle}</h2>
      <p data-testid="watchlist-source">
        {source
          ? format(r.watchlistSource, {
              file: source.file,
              rows: source.rows,
              at: formatDateTime(page.lang, new Date(source.loadedAt)),
              by: source.loadedBy,
            })
          : r.watchlistNoSource}
      </p>
      {editable ? (
        <form method="post" action={action} enctype="multipart/form-data" class="stack">
          <Csrf page={page} />
          <input type="hidden" name="expectedVersion" value={expectedVersion} />
          <Field
            name="file"
            label={r.watchlistFile}
            type="file"
            accept=".csv,.xlsx,text/csv"
            required
            hint={r.watchlistHint}
            errors={error ? { file: error } : {}}
          />
          <div class="actions">
            <button type="submit">{r.watchlistLoad}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function PreviewResult({ page, preview }: { page: PageContext; preview: RulePreview }) {
  const r = page.t.rules;
  const yesNo = (b: boolean) => (b ? r.yes : r.no);
  return (
    <section aria-labelledby="preview-title" id="preview">
      <h2 id="preview-title">{r.preview}</h2>
      <p role="status">
        {format(r.previewSummary, {
          tried: preview.tried,
          now: preview.firesNow,
          after: preview.firesAfter,
          newly: preview.newlyFlagged,
          gone: preview.noLongerFlagged,
        })}
      </p>
      {preview.rows.length === 0 ? (
        <p>{r.previewEmpty}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{r.preview}</caption>
          <thead>
            <tr>
              <th scope="col">{r.item}</th>
              <th scope="col">{r.evidenceNow}</th>
              <th scope="col">{r.evidenceAfter}</th>
              <th scope="col">{r.flagged}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr>
                <td>
                  {row.item.title}
                  <br />
                  <small>
                    {row.item.platform} · {row.item.id}
                  </small>
                </td>
                <td>{row.now ? <mark>{row.now.evidence}</mark> : "–"}</td>
                <td>{row.after ? <mark>{row.after.evidence}</mark> : "–"}</td>
                <td>
                  {format(r.flaggedChange, { before: yesNo(row.flaggedNow), after: yesNo(row.flaggedAfter) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function EvaluationsPage({
  page,
  records,
  scope,
  ruleTitles,
}: {
  page: PageContext;
  ruleTitles: RuleTitles;
  records: EvaluationRecord[];
  scope: string;
}) {
  const { t } = page;
  const e = t.evaluations;
  return (
    <Layout page={page} title={e.title}>
      <h1>{e.title}</h1>
      <p>{e.intro}</p>
      <form method="get" action="/console/evaluations" class="inline-form">
        <label for="f-agency">{e.agency}</label>{" "}
        <select id="f-agency" name="agency">
          <option value="" selected={scope === ""}>
            {e.all}
          </option>
          {AGENCY_CODES.map((a) => (
            <option value={a} selected={scope === a}>
              {t.agencies[a]}
            </option>
          ))}
          <option value="none" selected={scope === "none"}>
            {e.none}
          </option>
        </select>{" "}
        <button type="submit">{e.filter}</button>
      </form>
      {records.length === 0 ? (
        <p>{e.empty}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{e.title}</caption>
          <thead>
            <tr>
              <th scope="col">{e.at}</th>
              <th scope="col">{e.item}</th>
              <th scope="col">{e.score}</th>
              <th scope="col">{e.agency}</th>
              <th scope="col">{e.reasons}</th>
            </tr>
          </thead>
          <tbody>
            {records.map(({ item, decision, at }) => (
              <tr>
                <td>{formatDateTime(page.lang, new Date(at))}</td>
                <td>
                  {item.title}
                  <br />
                  <small>
                    {item.platform} · {item.kind}
                    {item.seller ? ` · ${item.seller}` : ""}
                  </small>
                </td>
                <td>{decision.score}</td>
                <td>{decision.agency ?? "–"}</td>
                <td>
                  <ul>
                    {decision.reasons.map((reason) => (
                      <li>
                        <a href={`/console/rules/${encodeURIComponent(reason.rule)}`}>
                          {ruleName(ruleTitles, reason.rule)}
                        </a>
                        : <mark>{reason.evidence}</mark>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function ReferencePricesPage({
  page,
  version,
  text,
  editable,
  errors,
  saved,
}: {
  page: PageContext;
  version: number;
  text: string;
  editable: boolean;
  errors: FieldErrors;
  saved?: number | undefined;
}) {
  const r = page.t.rules;
  return (
    <Layout page={page} title={r.catalogueTitle}>
      <p>
        <a href="/console/rules">{r.back}</a>
      </p>
      <h1>{r.catalogueTitle}</h1>
      <p>{format(r.catalogueIntro, { version })}</p>
      {saved ? (
        <p class="notice" role="status">
          {format(r.catalogueSaved, { version: saved })}
        </p>
      ) : null}
      {editable ? null : <p>{r.catalogueReadOnly}</p>}
      <ErrorSummary title={page.t.errors.invalidTitle} errors={errors} />
      <form method="post" action="/console/reference-prices" class="stack">
        <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
        <input type="hidden" name="expectedRuleSetVersion" value={String(version)} />
        <div class="field">
          <label for="f-items">{r.catalogueLines}</label>
          <textarea id="f-items" name="items" rows={20} aria-invalid={errors.items ? "true" : undefined}>
            {text}
          </textarea>
        </div>
        {editable ? <button type="submit">{r.catalogueSave}</button> : null}
      </form>
    </Layout>
  );
}
