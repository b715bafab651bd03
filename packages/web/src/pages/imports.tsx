import { can, type ImportJob, SIGNER_GROUPS, type SignerGroup, type UploadForm } from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { S3UploadForm } from "../uploads";
import { ErrorSummary, type FieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";

export function ImportsPage({
  page,
  jobs,
  errors,
  upload,
}: {
  page: PageContext;
  jobs: ImportJob[];
  errors: FieldErrors;
  /** On AWS: the group chosen and the form that sends its XLSX straight to S3 (up to 15 MB). */
  upload?: { group: SignerGroup; form: UploadForm } | undefined;
}) {
  const { t, lang } = page;
  return (
    <Layout page={page} title={t.imports.title}>
      <p>
        <a href="/console/parties">{t.party.back}</a>
      </p>
      <h1>{t.imports.title}</h1>
      <p>{t.imports.intro}</p>
      <ErrorSummary title={t.party.errorsTitle} errors={errors} />
      {upload ? (
        <section class="card" aria-labelledby="upload-heading">
          <h2 id="upload-heading">{t.imports.uploadTitle}</h2>
          <form method="get" action="/console/imports">
            <label for="f-group">{t.imports.group}</label>
            <select id="f-group" name="group">
              {SIGNER_GROUPS.map((g) => (
                <option value={g} selected={g === upload.group}>
                  {t.groups[g]}
                </option>
              ))}
            </select>
            <button type="submit">{t.imports.chooseGroup}</button>
          </form>
          <S3UploadForm
            form={upload.form}
            label={format(t.imports.fileFor, { group: t.groups[upload.group] })}
            hint={t.imports.s3Hint}
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            submit={t.imports.upload}
          />
        </section>
      ) : (
        <form method="post" action="/console/imports" enctype="multipart/form-data" class="card">
          <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
          <div class="field">
            <label for="f-group">{t.imports.group}</label>
            <select id="f-group" name="group">
              {SIGNER_GROUPS.map((g) => (
                <option value={g}>{t.groups[g]}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-file">{t.imports.file}</label>
            <input
              id="f-file"
              name="file"
              type="file"
              accept=".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              required
              aria-invalid={errors.file ? "true" : undefined}
              aria-describedby={errors.file ? "f-file-error" : undefined}
            />
            {errors.file ? (
              <p class="field-error" id="f-file-error">
                {errors.file}
              </p>
            ) : null}
          </div>
          <button type="submit">{t.imports.upload}</button>
        </form>
      )}
      <section class="card" aria-labelledby="templates-heading">
        <h2 id="templates-heading">{t.imports.templates}</h2>
        <ul class="columns">
          {SIGNER_GROUPS.map((g) => (
            <li>
              {t.groups[g]}: <a href={`/console/imports/template?group=${g}&format=xlsx`}>XLSX</a> ·{" "}
              <a href={`/console/imports/template?group=${g}&format=csv`}>CSV</a>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">{t.imports.recent}</h2>
        {jobs.length === 0 ? (
          <p>{t.imports.none}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.imports.when}</th>
                <th scope="col">{t.imports.who}</th>
                <th scope="col">{t.imports.file}</th>
                <th scope="col">{t.imports.rows}</th>
                <th scope="col">{t.parties.status}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr>
                  <td>{formatDateTime(lang, new Date(job.createdAt))}</td>
                  <td>{job.createdBy.name}</td>
                  <td>
                    <a href={`/console/imports/${encodeURIComponent(job.id)}`}>{job.fileName}</a>
                  </td>
                  <td>{job.counts.rows}</td>
                  <td>{t.imports.status[job.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

export function ImportJobPage({ page, job }: { page: PageContext; job: ImportJob }) {
  const { t } = page;
  const running = job.status === "queued" || job.status === "committing";
  return (
    <Layout
      page={page}
      title={format(t.imports.previewTitle, { file: job.fileName })}
      // While the import runs, the page reloads itself every 2 s: progress without any script.
      refreshSeconds={running ? 2 : undefined}
    >
      <p>
        <a href="/console/imports">{t.imports.back}</a>
      </p>
      <h1>{format(t.imports.previewTitle, { file: job.fileName })}</h1>
      <p data-testid="import-status">
        {t.parties.status}: <strong>{t.imports.status[job.status]}</strong> · {t.groups[job.group]}
      </p>
      <dl class="facts">
        <dt>{t.imports.rows}</dt>
        <dd>{job.counts.rows}</dd>
        <dt>{t.imports.toCreate}</dt>
        <dd data-testid="count-create">{job.counts.create}</dd>
        <dt>{t.imports.toUpdate}</dt>
        <dd data-testid="count-update">{job.counts.update}</dd>
        <dt>{t.imports.skipped}</dt>
        <dd data-testid="count-skipped">{job.counts.skipped}</dd>
      </dl>
      {job.fileErrors.length > 0 ? (
        <div class="alert" role="alert">
          <p>{t.imports.fileErrors}</p>
          <ul>
            {job.fileErrors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {job.ignoredColumns.length > 0 ? (
        <p class="hint">{format(t.imports.ignoredColumns, { columns: job.ignoredColumns.join(", ") })}</p>
      ) : null}
      {running ? (
        <div role="status">
          <p>{format(t.imports.committing, { done: job.progress.done, total: job.progress.total })}</p>
          <progress max={job.progress.total} value={job.progress.done}>
            {job.progress.done}/{job.progress.total}
          </progress>
        </div>
      ) : null}
      {job.status === "committed" ? (
        <p class="notice" role="status">
          {format(t.imports.committed, { total: job.progress.total })}{" "}
          <a href="/console/parties">{t.party.back}</a>
        </p>
      ) : null}
      {job.status === "rolled_back" || job.status === "failed" ? (
        <p class="alert" role="alert">
          {format(t.imports.rolledBack, { reason: job.failure ?? "" })}
        </p>
      ) : null}
      {job.errors.length > 0 ? (
        <section aria-labelledby="errors-heading">
          <h2 id="errors-heading">{t.imports.errorsTitle}</h2>
          <p>{t.imports.fixHint}</p>
          <table data-testid="import-errors">
            <thead>
              <tr>
                <th scope="col">{t.imports.row}</th>
                <th scope="col">{t.imports.column}</th>
                <th scope="col">{t.imports.message}</th>
              </tr>
            </thead>
            <tbody>
              {job.errors.map((e) => (
                <tr>
                  <td>{e.rowNumber}</td>
                  <td>{e.column}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {job.errorCount > job.errors.length ? (
            <p>{format(t.imports.moreErrors, { count: job.errorCount - job.errors.length })}</p>
          ) : null}
        </section>
      ) : null}
      {job.status === "previewed" &&
      job.progress.total > 0 &&
      job.fileErrors.length === 0 &&
      page.principal &&
      can(page.principal, "parties.write", { agency: job.agency, provinces: [job.province] }) ? (
        <form method="post" action={`/console/imports/${encodeURIComponent(job.id)}/commit`}>
          <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
          <button type="submit">{format(t.imports.commit, { count: job.progress.total })}</button>
        </form>
      ) : null}
    </Layout>
  );
}
