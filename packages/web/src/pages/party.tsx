import {
  AGENCIES,
  can,
  type Party,
  type PartyChange,
  PROVINCES,
  provinceByCode,
  SIGNER_GROUPS,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { ErrorSummary, Field, type FieldErrors } from "./form-errors";
import { Layout, type PageContext } from "./layout";
import { type PartyPledges, PledgeSection } from "./pledges";

/** What the party form holds: strings as typed (re-shown after an error), provinces as codes. */
export type PartyFormValues = Record<string, string | string[] | undefined>;

export function formValuesOf(party: Party): PartyFormValues {
  const contact = party.contacts[0];
  return {
    name: party.name,
    group: party.group,
    provinces: party.provinces,
    ward: party.ward,
    refCode: party.identifiers.refCode,
    taxCode: party.identifiers.taxCode,
    pressLicence: party.identifiers.pressLicence,
    practisingCertificate: party.identifiers.practisingCertificate,
    profiles: party.identifiers.profiles.map((p) => p.url).join("\n"),
    "contact.name": contact?.name,
    "contact.title": contact?.title,
    "contact.email": contact?.email,
    "contact.phone": contact?.phone,
    status: party.status,
    statusReason: party.statusReason,
    obligatedFrom: party.obligatedFrom,
    notes: party.notes,
    version: String(party.version),
  };
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("\n") : v);

function PartyFields({
  page,
  values,
  errors,
  isNew,
}: {
  page: PageContext;
  values: PartyFormValues;
  errors: FieldErrors;
  isNew: boolean;
}) {
  const { t } = page;
  const selected = new Set(
    Array.isArray(values.provinces) ? values.provinces : values.provinces ? [values.provinces] : [],
  );
  return (
    <>
      <Field name="name" label={t.parties.name} value={str(values.name)} errors={errors} required />
      {isNew ? (
        <div class="field">
          <label for="f-group">{t.parties.group}</label>
          <select id="f-group" name="group" aria-invalid={errors.group ? "true" : undefined}>
            {SIGNER_GROUPS.map((g) => (
              <option value={g} selected={g === values.group}>
                {t.groups[g]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div class="field">
        <label for="f-provinces">{t.parties.provinces}</label>
        <select
          id="f-provinces"
          name="provinces"
          multiple
          size={6}
          aria-invalid={errors.provinces ? "true" : undefined}
          aria-describedby={errors.provinces ? "f-provinces-error" : undefined}
        >
          {PROVINCES.map((p) => (
            <option value={p.code} selected={selected.has(p.code)}>
              {p.name}
            </option>
          ))}
        </select>
        {errors.provinces ? (
          <p class="field-error" id="f-provinces-error">
            {errors.provinces}
          </p>
        ) : null}
      </div>
      <Field name="ward" label={t.party.ward} value={str(values.ward)} errors={errors} />
      <fieldset>
        <legend>{t.party.identifiers}</legend>
        <Field name="refCode" label={t.party.refCode} value={str(values.refCode)} errors={errors} />
        <Field name="taxCode" label={t.party.taxCode} value={str(values.taxCode)} errors={errors} />
        <Field
          name="pressLicence"
          label={t.party.pressLicence}
          value={str(values.pressLicence)}
          errors={errors}
        />
        <Field
          name="practisingCertificate"
          label={t.party.practisingCertificate}
          value={str(values.practisingCertificate)}
          errors={errors}
        />
        <Field
          name="profiles"
          label={t.party.profiles}
          value={str(values.profiles)}
          errors={errors}
          type="textarea"
        />
      </fieldset>
      <fieldset>
        <legend>{t.party.contact}</legend>
        <Field
          name="contact.name"
          label={t.party.contactName}
          value={str(values["contact.name"])}
          errors={errors}
        />
        <Field
          name="contact.title"
          label={t.party.contactTitle}
          value={str(values["contact.title"])}
          errors={errors}
        />
        <Field
          name="contact.email"
          label={t.party.email}
          value={str(values["contact.email"])}
          errors={errors}
          type="email"
        />
        <Field
          name="contact.phone"
          label={t.party.phone}
          value={str(values["contact.phone"])}
          errors={errors}
          type="tel"
        />
      </fieldset>
      <div class="field">
        <label for="f-status">{t.parties.status}</label>
        <select id="f-status" name="status">
          {(["active", "ceased", "exempt"] as const).map((s) => (
            <option value={s} selected={s === (values.status ?? "active")}>
              {t.partyStatus[s]}
            </option>
          ))}
        </select>
      </div>
      <Field
        name="statusReason"
        label={t.party.statusReason}
        value={str(values.statusReason)}
        errors={errors}
      />
      <Field
        name="obligatedFrom"
        label={t.parties.obligatedFrom}
        value={str(values.obligatedFrom)}
        errors={errors}
        type="date"
      />
      <Field name="notes" label={t.party.notes} value={str(values.notes)} errors={errors} type="textarea" />
    </>
  );
}

export function NewPartyPage({
  page,
  values,
  errors,
}: {
  page: PageContext;
  values: PartyFormValues;
  errors: FieldErrors;
}) {
  const { t } = page;
  return (
    <Layout page={page} title={t.party.newTitle}>
      <p>
        <a href="/console/parties">{t.party.back}</a>
      </p>
      <h1>{t.party.newTitle}</h1>
      <ErrorSummary title={t.party.errorsTitle} errors={errors} />
      <form method="post" action="/console/parties/new" class="card">
        <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />
        <PartyFields page={page} values={values} errors={errors} isNew />
        <button type="submit">{t.party.create}</button>
      </form>
    </Layout>
  );
}

function changedFields(change: PartyChange): string[] {
  if (!change.before) return [];
  const before = change.before as Record<string, unknown>;
  const after = change.after as Record<string, unknown>;
  const ignore = new Set(["version", "updatedAt", "updatedBy"]);
  return Object.keys({ ...before, ...after }).filter(
    (key) => !ignore.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

export function PartyPage({
  page,
  party,
  history,
  values,
  errors,
  saved,
  pledges,
  pledgeNotice,
}: {
  page: PageContext;
  party: Party;
  history: PartyChange[];
  pledges?: PartyPledges | undefined;
  pledgeNotice?: string | undefined;
  values: PartyFormValues;
  errors: FieldErrors;
  saved: boolean;
}) {
  const { t, principal, lang } = page;
  if (!principal) return null;
  const scope = { agency: party.agency, provinces: party.provinces };
  const mayWrite = can(principal, "parties.write", scope);
  const csrf = <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />;
  return (
    <Layout page={page} title={party.name}>
      <p>
        <a href="/console/parties">{t.party.back}</a>
      </p>
      <h1>{party.name}</h1>
      {saved ? (
        <p class="notice" role="status">
          {t.party.saved}
        </p>
      ) : null}
      <section class="card" aria-labelledby="details-heading">
        <h2 id="details-heading">{t.party.details}</h2>
        <dl class="facts">
          <dt>{t.parties.group}</dt>
          <dd>{t.groups[party.group]}</dd>
          <dt>{t.parties.family}</dt>
          <dd>{t.families[party.family]}</dd>
          <dt>{t.party.owner}</dt>
          <dd>
            {t.agencies[party.agency]}
            {party.agencyOverride
              ? ` (${format(t.party.ownerOverride, { reason: party.agencyOverride.reason })})`
              : ""}
          </dd>
          <dt>{t.parties.provinces}</dt>
          <dd>{party.provinces.map((c) => provinceByCode(c)?.name ?? c).join(", ")}</dd>
          <dt>{t.parties.status}</dt>
          <dd data-testid="party-status">
            {t.partyStatus[party.status]}
            {party.statusReason ? ` — ${party.statusReason}` : ""}
          </dd>
          <dt>{t.parties.pledge}</dt>
          <dd data-testid="party-pledge">
            {party.pledge && party.pledge.quarter === pledges?.currentQuarter
              ? `${t.pledges.pledgeStatus[party.pledge.status as "valid"] ?? party.pledge.status} (${party.pledge.documentCode})`
              : t.parties.notSigned}
          </dd>
          <dt>{t.party.identifiers}</dt>
          <dd class="mono">
            {[
              party.identifiers.taxCode,
              party.identifiers.pressLicence,
              party.identifiers.practisingCertificate,
              party.identifiers.refCode,
              ...party.identifiers.profiles.map((p) => p.url),
            ]
              .filter(Boolean)
              .join(" · ")}
          </dd>
          <dt>{t.parties.obligatedFrom}</dt>
          <dd>{party.obligatedFrom.split("-").reverse().join("/")}</dd>
          <dt>{t.party.version.replace(" {version}", "")}</dt>
          <dd>{party.version}</dd>
        </dl>
      </section>

      {mayWrite ? (
        <section class="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">{t.party.editTitle}</h2>
          <ErrorSummary title={t.party.errorsTitle} errors={errors} />
          <form method="post" action={`/console/parties/${encodeURIComponent(party.id)}`}>
            {csrf}
            <input type="hidden" name="version" value={String(party.version)} />
            <PartyFields page={page} values={values} errors={errors} isNew={false} />
            <button type="submit">{t.party.save}</button>
          </form>
          {party.status !== "ceased" ? (
            <form
              method="post"
              action={`/console/parties/${encodeURIComponent(party.id)}/cease`}
              class="inline-block"
            >
              {csrf}
              <input type="hidden" name="version" value={String(party.version)} />
              <Field name="reason" label={t.party.ceaseReason} errors={{}} required />
              <button type="submit" class="danger">
                {t.party.cease}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      {can(principal, "parties.reassign") ? (
        <section class="card" aria-labelledby="owner-heading">
          <h2 id="owner-heading">{t.party.changeOwner}</h2>
          <form method="post" action={`/console/parties/${encodeURIComponent(party.id)}/owner`}>
            {csrf}
            <input type="hidden" name="version" value={String(party.version)} />
            <div class="field">
              <label for="f-agency">{t.party.owner}</label>
              <select id="f-agency" name="agency">
                {AGENCIES.map((a) => (
                  <option value={a.code} selected={a.code === party.agency}>
                    {t.agencies[a.code]}
                  </option>
                ))}
              </select>
            </div>
            <Field name="ownerReason" label={t.party.reason} errors={{}} required />
            <button type="submit">{t.party.changeOwner}</button>
          </form>
        </section>
      ) : null}

      {pledges ? (
        <PledgeSection
          page={page}
          partyId={party.id}
          scope={{ agency: party.agency, provinces: party.provinces }}
          data={pledges}
          notice={pledgeNotice}
        />
      ) : null}

      <section class="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t.party.history}</h2>
        {history.length === 0 ? (
          <p>{t.party.historyEmpty}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.party.when}</th>
                <th scope="col">{t.party.who}</th>
                <th scope="col">{t.party.what}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((change) => {
                const fields = changedFields(change);
                return (
                  <tr>
                    <td>{formatDateTime(lang, new Date(change.at))}</td>
                    <td>{change.by.name}</td>
                    <td>
                      {t.party.actions[change.action]}
                      {change.reason ? ` — ${change.reason}` : ""}
                      {fields.length > 0 ? (
                        <>
                          <br />
                          <span class="hint">
                            {format(t.party.changedFields, {
                              fields: fields
                                .map((f) =>
                                  Object.hasOwn(t.party.fields, f)
                                    ? t.party.fields[f as keyof typeof t.party.fields]
                                    : f,
                                )
                                .join(", "),
                            })}
                          </span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
