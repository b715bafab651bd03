import type { UploadForm } from "@pledgewatch/core";
import {
  PLEDGE_FAMILIES,
  PROVINCES,
  type PublicPledgeView,
  provinceByCode,
  quarterLabel,
  type UploadedPdfVerdict,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { S3UploadForm } from "../uploads";
import { Layout, type PageContext } from "./layout";

export type VerifyOutcome =
  | { kind: "code"; code: string; pledge: PublicPledgeView | null; badCode?: boolean }
  | {
      kind: "upload";
      verdict: UploadedPdfVerdict | { kind: "too_large" } | { kind: "missing" };
      pledge: PublicPledgeView | null;
    };

function PledgeFacts({ page, pledge }: { page: PageContext; pledge: PublicPledgeView }) {
  const { t, lang } = page;
  return (
    <dl class="facts" data-testid="verify-facts">
      <dt>{t.verify.party}</dt>
      <dd>{pledge.name}</dd>
      {pledge.title ? (
        <>
          <dt>{t.verify.title2}</dt>
          <dd>{pledge.title}</dd>
        </>
      ) : null}
      {pledge.workplace ? (
        <>
          <dt>{t.verify.workplace}</dt>
          <dd>{pledge.workplace}</dd>
        </>
      ) : null}
      <dt>{t.verify.family}</dt>
      <dd>{t.families[pledge.family]}</dd>
      <dt>{t.verify.quarter}</dt>
      <dd>{pledge.quarterLabel}</dd>
      <dt>{t.verify.provinces}</dt>
      <dd>{pledge.provinces.map((c) => provinceByCode(c)?.name ?? c).join(", ")}</dd>
      <dt>{t.verify.signedAt}</dt>
      <dd>{formatDateTime(lang, new Date(pledge.signedAt))}</dd>
      <dt>{t.registry.code}</dt>
      <dd class="code">{pledge.documentCode}</dd>
      <dt>{t.verify.status}</dt>
      <dd data-testid="verify-status">
        <strong>{t.pledges.pledgeStatus[pledge.status]}</strong>
      </dd>
    </dl>
  );
}

/** /verify: look up by code, or upload a PDF; the answer, when there is one, above the forms. */
export function VerifyPage({
  page,
  csrf,
  outcome,
  code,
  upload,
}: {
  page: PageContext;
  csrf: string;
  outcome?: VerifyOutcome | undefined;
  code?: string | undefined;
  /** On AWS the file goes straight to S3 with this form (a PDF of up to 20 MB). */
  upload?: UploadForm | undefined;
}) {
  const { t } = page;
  let message: string | undefined;
  let good = false;
  if (outcome?.kind === "code") {
    if (outcome.badCode) message = t.verify.badCode;
    else if (!outcome.pledge) message = format(t.verify.notFound, { code: outcome.code });
  } else if (outcome?.kind === "upload") {
    const v = outcome.verdict;
    message =
      v.kind === "signed_by_other"
        ? format(t.verify.verdicts.signed_by_other, { signer: v.signerName ?? t.verify.unknownSigner })
        : v.kind === "too_large" && upload
          ? t.verify.tooLargeDirect
          : t.verify.verdicts[v.kind];
    good = v.kind === "ours_intact";
  }
  return (
    <Layout page={page} title={t.verify.title}>
      <h1>{t.verify.title}</h1>
      <p>{t.verify.intro}</p>
      {outcome ? (
        <section class="card" aria-labelledby="result-heading" data-testid="verify-result">
          <h2 id="result-heading">{t.verify.result}</h2>
          {message ? (
            <p class={good ? "notice" : "alert"} role="status" data-testid="verify-message">
              {message}
            </p>
          ) : null}
          {outcome.pledge ? <PledgeFacts page={page} pledge={outcome.pledge} /> : null}
        </section>
      ) : null}
      <section class="card">
        <form method="get" action="/verify">
          <label for="verify-code">{t.verify.code}</label>
          <p class="hint" id="verify-code-hint">
            {t.verify.codeHint}
          </p>
          <input
            type="text"
            id="verify-code"
            name="code"
            value={code ?? ""}
            aria-describedby="verify-code-hint"
            autocomplete="off"
          />
          <button type="submit">{t.verify.lookup}</button>
        </form>
      </section>
      <section class="card">
        {upload ? (
          <S3UploadForm
            form={upload}
            label={t.verify.file}
            accept="application/pdf,.pdf"
            submit={t.verify.upload}
          />
        ) : (
          <form method="post" action="/verify" enctype="multipart/form-data">
            <input type="hidden" name="_csrf" value={csrf} />
            <label for="verify-file">{t.verify.file}</label>
            <input type="file" id="verify-file" name="file" accept="application/pdf,.pdf" required />
            <button type="submit">{t.verify.upload}</button>
          </form>
        )}
      </section>
    </Layout>
  );
}

/** /registry: the public list of current pledges, by family and province. */
export function RegistryPage({
  page,
  quarter,
  family,
  province,
  items,
  next,
}: {
  page: PageContext;
  quarter: string;
  family?: string | undefined;
  province?: string | undefined;
  items: PublicPledgeView[];
  next?: string | undefined;
}) {
  const { t, lang } = page;
  const nextHref = next
    ? `/registry?${new URLSearchParams({
        ...(family ? { family } : {}),
        ...(province ? { province } : {}),
        cursor: next,
      }).toString()}`
    : undefined;
  return (
    <Layout page={page} title={t.registry.title}>
      <h1>{t.registry.title}</h1>
      <p>{format(t.registry.intro, { quarter: quarterLabel(quarter) })}</p>
      <form method="get" action="/registry" class="filters">
        <div>
          <label for="registry-family">{t.registry.family}</label>
          <select id="registry-family" name="family">
            <option value="">{t.registry.allFamilies}</option>
            {PLEDGE_FAMILIES.map((f) => (
              <option value={f} selected={f === family}>
                {t.families[f]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="registry-province">{t.registry.province}</label>
          <select id="registry-province" name="province">
            <option value="">{t.registry.allProvinces}</option>
            {PROVINCES.map((p) => (
              <option value={p.code} selected={p.code === province}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t.registry.show}</button>
      </form>
      {items.length === 0 ? (
        <p>{t.registry.empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t.registry.name}</th>
                <th scope="col">{t.registry.family}</th>
                <th scope="col">{t.registry.province}</th>
                <th scope="col">{t.registry.signedAt}</th>
                <th scope="col">{t.verify.status}</th>
                <th scope="col">{t.registry.code}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr>
                  <td data-label={t.registry.name}>
                    {p.name}
                    {p.title || p.workplace ? (
                      <>
                        <br />
                        <span class="hint">{[p.title, p.workplace].filter(Boolean).join(", ")}</span>
                      </>
                    ) : null}
                  </td>
                  <td data-label={t.registry.family}>{t.families[p.family]}</td>
                  <td data-label={t.registry.province}>
                    {p.provinces.map((c) => provinceByCode(c)?.name ?? c).join(", ")}
                  </td>
                  <td data-label={t.registry.signedAt}>{formatDateTime(lang, new Date(p.signedAt))}</td>
                  <td data-label={t.verify.status}>{t.pledges.pledgeStatus[p.status]}</td>
                  <td data-label={t.registry.code}>
                    {p.family === "medical" ? (
                      "—"
                    ) : (
                      <a class="code" href={`/verify/${encodeURIComponent(p.documentCode)}`}>
                        {p.documentCode}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextHref ? (
        <p>
          <a href={nextHref}>{t.registry.next}</a>
        </p>
      ) : null}
    </Layout>
  );
}
