import {
  type ActorRef,
  AGENCY_CODES,
  type Capture,
  type CaseDetail,
  can,
  DISMISS_REASONS,
  type ReferencePrice,
  suggestedViolationType,
  VIOLATION_TYPES,
} from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import { highlightSegments } from "./highlight";
import { Layout, type PageContext } from "./layout";
import { Csrf, caseHref, eventLabel, type RuleTitles, ruleName, vnd, when } from "./review-common";

export interface CasePageProps {
  page: PageContext;
  detail: CaseDetail;
  capture: Capture | null;
  reference: ReferencePrice | null;
  colleagues: ActorRef[];
  now: Date;
  ruleTitles: RuleTitles;
  /** A Vietnamese sentence: someone else decided first, or the input was refused. */
  alert?: string | undefined;
}

function Highlighted({ text, field, detail }: { text: string; field: "title" | "text"; detail: CaseDetail }) {
  return (
    <>
      {highlightSegments(text, field, detail.case.evaluation.reasons).map((s) =>
        s.rules.length > 0 ? (
          <mark title={s.rules.join(", ")} data-rules={s.rules.join(" ")}>
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

function Action({ page, path, label, id }: { page: PageContext; path: string; label: string; id: string }) {
  return (
    <form method="post" action={`${caseHref(id)}/${path}`} class="inline-form">
      <Csrf page={page} />
      <button type="submit" id={`action-${path}`}>
        {label}
      </button>
    </form>
  );
}

function Evidence({ page, detail, capture, reference, ruleTitles }: CasePageProps) {
  const r = page.t.review;
  const c = detail.case;
  const shot = capture?.pages
    .find((p) => p.pageNo === (c.pageNo ?? 1))
    ?.artefacts.find((a) => a.contentType === "image/png");
  return (
    <section class="card" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">{r.evidence}</h2>
      {shot ? (
        <figure>
          <img
            src={`${caseHref(c.id)}/artefact?key=${encodeURIComponent(shot.key)}`}
            alt={r.screenshot}
            class="screenshot"
          />
          <figcaption>
            {r.screenshot} · SHA-256 {shot.sha256.slice(0, 16)}…
          </figcaption>
        </figure>
      ) : (
        <p>{r.noScreenshot}</p>
      )}
      <h3>{r.capturedText}</h3>
      <p class="captured-title" id="captured-title">
        <strong>
          <Highlighted text={c.item.title} field="title" detail={detail} />
        </strong>
      </p>
      <p class="captured-text" id="captured-text">
        <Highlighted text={c.item.text ?? ""} field="text" detail={detail} />
      </p>
      <dl class="facts">
        <dt>{r.price}</dt>
        <dd>{vnd(c.item.price)}</dd>
        <dt>{r.platform}</dt>
        <dd>{c.item.platform}</dd>
        {c.item.url ? (
          <>
            <dt>URL</dt>
            <dd>
              <code>{c.item.url}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <p id="reference-price">
        {reference && c.item.price
          ? format(r.referencePrice, {
              name: reference.name,
              price: vnd(reference.price),
              ratio: Math.round((c.item.price / reference.price) * 100),
            })
          : r.noReference}
      </p>
      <h3>{r.reasons}</h3>
      <ul>
        {c.evaluation.reasons.map((reason) => (
          <li>
            <strong title={reason.rule}>{ruleName(ruleTitles, reason.rule)}</strong> (v{reason.version},{" "}
            {reason.weight}): {reason.explanation}
            <br />
            <small>{reason.legalBasis}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Party({ page, detail }: { page: PageContext; detail: CaseDetail }) {
  const r = page.t.review;
  const party = detail.case.party;
  return (
    <section class="card" aria-labelledby="party-heading">
      <h2 id="party-heading">{r.party}</h2>
      {party ? (
        <dl class="facts">
          <dt>{r.party}</dt>
          <dd>
            <a href={`/console/parties/${encodeURIComponent(party.partyId)}`}>{party.name}</a>
          </dd>
          <dt>{r.pledge}</dt>
          <dd>
            {party.pledge ? (
              <a href={`/console/pledges/${encodeURIComponent(party.pledge.documentCode)}/document`}>
                {party.pledge.documentCode} ({party.pledge.quarter})
              </a>
            ) : (
              "—"
            )}
          </dd>
        </dl>
      ) : (
        <p>{r.noParty}</p>
      )}
      <h3>{r.earlier}</h3>
      {detail.earlier.length === 0 ? (
        <p>{r.noEarlier}</p>
      ) : (
        <ul>
          {detail.earlier.map((e) => (
            <li>
              <a href={caseHref(e.id)}>{e.item.title.slice(0, 120)}</a> — {r.states[e.state]} (
              {when(page, e.openedAt)})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Decide({ page, detail }: { page: PageContext; detail: CaseDetail }) {
  const r = page.t.review;
  const c = detail.case;
  const legal = [...new Set(c.evaluation.reasons.map((x) => x.legalBasis))].join("\n");
  const statement = c.evaluation.reasons.map((x) => x.explanation).join("\n");
  // The type the rules' reasons point to, else none: the reviewer must choose (the form refuses "").
  const suggested = suggestedViolationType(c.evaluation.reasons);
  const version = <input type="hidden" name="expectedVersion" value={String(c.version)} />;
  return (
    <section class="card" aria-labelledby="decide-heading">
      <h2 id="decide-heading">{r.decide}</h2>
      {c.party?.pledge ? <p class="alert">{r.pledgeApproval}</p> : null}
      <form method="post" action={`${caseHref(c.id)}/decision`} id="confirm-form">
        <Csrf page={page} />
        {version}
        <input type="hidden" name="kind" value="confirm" />
        <label for="f-type">{r.violationType}</label>
        <select id="f-type" name="type" required>
          <option value="" selected={suggested === undefined}>
            {r.chooseViolationType}
          </option>
          {VIOLATION_TYPES.map((v) => (
            <option value={v} selected={v === suggested}>
              {r.violationTypes[v]}
            </option>
          ))}
        </select>
        <label for="f-legal">{r.legalBasis}</label>
        <textarea id="f-legal" name="legalBasis" rows={3} required maxlength={1000}>
          {legal}
        </textarea>
        <label for="f-statement">{r.statement}</label>
        <textarea id="f-statement" name="statement" rows={4} required maxlength={4000}>
          {statement}
        </textarea>
        <label for="f-platform-note">{r.platformNote}</label>
        <textarea id="f-platform-note" name="platformNote" rows={2} maxlength={4000} />
        <label for="f-note">{r.note}</label>
        <textarea id="f-note" name="note" rows={2} maxlength={4000} />
        <button type="submit" id="confirm-submit">
          {r.confirm}
        </button>
      </form>
      <form method="post" action={`${caseHref(c.id)}/decision`} id="dismiss-form">
        <Csrf page={page} />
        {version}
        <input type="hidden" name="kind" value="dismiss" />
        <label for="f-dismiss">{r.dismissReason}</label>
        <select id="f-dismiss" name="reason">
          {DISMISS_REASONS.map((reason) => (
            <option value={reason}>{r.dismissReasons[reason]}</option>
          ))}
        </select>
        <label for="f-dismiss-note">{r.note}</label>
        <input id="f-dismiss-note" type="text" name="note" maxlength={4000} />
        <button type="submit" id="dismiss-submit">
          {r.dismiss}
        </button>
      </form>
      <form method="post" action={`${caseHref(c.id)}/decision`}>
        <Csrf page={page} />
        {version}
        <input type="hidden" name="kind" value="escalate" />
        <label for="f-escalate">{r.reason}</label>
        <input id="f-escalate" type="text" name="reason" required maxlength={2000} />
        <button type="submit">{r.escalate}</button>
      </form>
      <form method="post" action={`${caseHref(c.id)}/decision`}>
        <Csrf page={page} />
        {version}
        <input type="hidden" name="kind" value="refer" />
        <label for="f-refer">{r.referTo}</label>
        <select id="f-refer" name="toAgency">
          {AGENCY_CODES.filter((a) => a !== c.agency).map((a) => (
            <option value={a}>{page.t.agencies[a]}</option>
          ))}
        </select>
        <label for="f-refer-reason">{r.reason}</label>
        <input id="f-refer-reason" type="text" name="reason" required maxlength={2000} />
        <button type="submit">{r.refer}</button>
      </form>
    </section>
  );
}

function Approval({ page, detail }: { page: PageContext; detail: CaseDetail }) {
  const r = page.t.review;
  const c = detail.case;
  const proposal = c.proposal;
  if (!proposal) return null;
  const own = proposal.by.staffId === page.principal?.staffId;
  return (
    <section class="card" aria-labelledby="approval-heading">
      <h2 id="approval-heading">{r.approval}</h2>
      <p>{format(r.proposedBy, { name: proposal.by.name, at: when(page, proposal.at) })}</p>
      <p>
        {r.violationTypes[proposal.violation.type]} — {proposal.violation.legalBasis}
      </p>
      <p>{proposal.violation.statement}</p>
      {own ? (
        <p class="alert">{r.ownProposal}</p>
      ) : (
        <form method="post" action={`${caseHref(c.id)}/approval`} id="approval-form">
          <Csrf page={page} />
          <label for="f-approval-reason">{r.reason}</label>
          <input id="f-approval-reason" type="text" name="reason" maxlength={2000} />
          <button type="submit" name="approve" value="yes" id="approve-submit">
            {r.approve}
          </button>{" "}
          <button type="submit" name="approve" value="no" class="secondary">
            {r.reject}
          </button>
        </form>
      )}
    </section>
  );
}

function Takedown({ page, detail }: { page: PageContext; detail: CaseDetail }) {
  const r = page.t.review;
  const t = detail.takedown;
  if (!t) return null;
  return (
    <section class="card" aria-labelledby="takedown-heading">
      <h2 id="takedown-heading">{r.takedown}</h2>
      <dl class="facts">
        <dt>{r.state}</dt>
        <dd id="takedown-state">{r.takedownStates[t.state]}</dd>
        <dt>{r.contact}</dt>
        <dd>{t.contact.email ? `${t.contact.name} <${t.contact.email}>` : r.noContact}</dd>
        <dt>{r.legalBasis}</dt>
        <dd>{t.legalBasis}</dd>
        <dt>{r.dueAt}</dt>
        <dd>{when(page, t.dueAt)}</dd>
        {t.answer ? (
          <>
            <dt>{r.answer}</dt>
            <dd>
              {t.answer.kind === "removed" ? r.removed : r.takedownStates.answered_disputed}
              {t.answer.reason ? ` — ${t.answer.reason}` : ""} ({when(page, t.answer.at)})
            </dd>
          </>
        ) : null}
        {t.recapture ? (
          <>
            <dt>{r.recapture}</dt>
            <dd>
              {t.recapture.removed ? r.removed : r.notRemoved} ({when(page, t.recapture.at)})
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function Log({ page, detail }: { page: PageContext; detail: CaseDetail }) {
  const r = page.t.review;
  return (
    <section class="card" aria-labelledby="log-heading">
      <h2 id="log-heading">{r.log}</h2>
      <table id="case-log">
        <thead>
          <tr>
            <th scope="col">{r.logWhen}</th>
            <th scope="col">{r.logWho}</th>
            <th scope="col">{r.logWhat}</th>
            <th scope="col">{r.logStates}</th>
            <th scope="col">{r.logNote}</th>
          </tr>
        </thead>
        <tbody>
          {detail.log.map((e) => (
            <tr data-event={e.event.type}>
              <td>{when(page, e.at)}</td>
              <td>{e.by.name}</td>
              <td>{eventLabel(page, e.event.type)}</td>
              <td>
                {e.from ? r.states[e.from] : "—"} → {r.states[e.to]}
              </td>
              <td>{[e.note, e.platformNote].filter(Boolean).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The evidence view of one case, with what the caller may do to it. */
export function CasePage(props: CasePageProps) {
  const { page, detail, colleagues, now } = props;
  const r = page.t.review;
  const c = detail.case;
  const actor = page.principal;
  const scope = { agency: c.agency, provinces: [c.province] };
  const mayWork = actor ? can(actor, "cases.work", scope) : false;
  const isLead = actor ? can(actor, "cases.approve", scope) : false;
  const workable = c.state === "open" || c.state === "assigned" || c.state === "escalated";
  const held = c.state === "assigned" && c.assignee && c.leaseUntil && c.leaseUntil > now.toISOString();
  return (
    <Layout page={page} title={format(r.caseTitle, { id: c.id })} scripts={["/static/review.js"]}>
      <p>
        <a href="/console/cases">{r.title}</a>
      </p>
      <h1>{c.item.title.slice(0, 200)}</h1>
      {c.unflagged ? (
        <p class="notice" id="case-unflagged">
          {format(r.unflagged, {
            version: c.unflagged.ruleSetVersion,
            at: formatDateTime(page.lang, new Date(c.unflagged.at)),
          })}
        </p>
      ) : null}
      {props.alert ? (
        <p class="alert" role="alert" id="case-alert">
          {props.alert}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{r.state}</dt>
        <dd id="case-state">{r.states[c.state]}</dd>
        <dt>{r.routedBy}</dt>
        <dd>
          {page.t.agencies[c.agency]} — {r.routing[c.routedBy]}
        </dd>
        <dt>{r.flags}</dt>
        <dd>
          {c.flags} / {c.tips}
        </dd>
        <dt>{r.score}</dt>
        <dd>{c.evaluation.score.toFixed(2)}</dd>
        <dt>{r.opened}</dt>
        <dd>{when(page, c.openedAt)}</dd>
        {held && c.assignee ? (
          <>
            <dt>{r.assignee}</dt>
            <dd id="case-assignee">
              {format(r.claimedBy, { name: c.assignee.name, until: when(page, c.leaseUntil) })}
            </dd>
          </>
        ) : null}
        {c.decision ? (
          <>
            <dt>{r.decision}</dt>
            <dd id="case-decision">
              {format(r.decided[c.decision.kind], {
                name: c.decision.by.name,
                at: when(page, c.decision.at),
              })}
              {c.decision.kind === "confirmed" && c.decision.approvedBy
                ? ` · ${format(r.approvedBy, { name: c.decision.approvedBy.name })}`
                : ""}
            </dd>
          </>
        ) : null}
      </dl>
      {mayWork && (c.state === "open" || c.state === "assigned") ? (
        <p>
          <Action page={page} path="claim" label={r.claim} id={c.id} />{" "}
          {c.state === "assigned" ? <Action page={page} path="release" label={r.release} id={c.id} /> : null}
        </p>
      ) : null}
      {mayWork && workable && colleagues.length > 0 ? (
        <form method="post" action={`${caseHref(c.id)}/assign`} class="filters">
          <Csrf page={page} />
          <label>
            {r.assign}
            <select name="staffId">
              {colleagues.map((p) => (
                <option value={p.staffId}>{p.name}</option>
              ))}
            </select>
          </label>
          <button type="submit">{r.assignSubmit}</button>
        </form>
      ) : null}
      <Evidence {...props} />
      <Party page={page} detail={detail} />
      {mayWork && workable && !c.decision ? <Decide page={page} detail={detail} /> : null}
      {isLead && c.state === "awaiting_approval" ? <Approval page={page} detail={detail} /> : null}
      <Takedown page={page} detail={detail} />
      {isLead && (c.state === "closed" || c.state === "void") ? (
        <ReasonAction page={page} id={c.id} path="reopen" label={r.reopen} />
      ) : null}
      {isLead && (c.state === "takedown" || c.state === "escalated") && c.decision ? (
        <ReasonAction page={page} id={c.id} path="close" label={r.close} />
      ) : null}
      {actor && can(actor, "review.reports.create", scope) ? (
        <form method="post" action="/console/review/reports" class="card" id="quick-report-form">
          <Csrf page={page} />
          <input type="hidden" name="kind" value="case_quick" />
          <input type="hidden" name="caseId" value={c.id} />
          <p class="hint">{page.t.reviewReports.kinds.case_quick}</p>
          <button type="submit">{page.t.reviewReports.quickButton}</button>
        </form>
      ) : null}
      <Log page={page} detail={detail} />
    </Layout>
  );
}

function ReasonAction({
  page,
  id,
  path,
  label,
}: {
  page: PageContext;
  id: string;
  path: string;
  label: string;
}) {
  return (
    <form method="post" action={`${caseHref(id)}/${path}`} class="card">
      <Csrf page={page} />
      <label for={`f-${path}`}>{page.t.review.reason}</label>
      <input id={`f-${path}`} type="text" name="reason" required maxlength={2000} />
      <button type="submit">{label}</button>
    </form>
  );
}
