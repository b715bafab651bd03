import { can, type Invitation, type Pledge, type PledgeStatus, quarterLabel } from "@pledgewatch/core";
import { format, formatDateTime } from "../i18n";
import type { PageContext } from "./layout";

export interface PartyPledges {
  currentQuarter: string;
  invitations: Invitation[];
  pledges: (Pledge & { effectiveStatus: PledgeStatus })[];
}

/** The party page's pledge section: invitations (never their links) and signed documents. */
export function PledgeSection({
  page,
  partyId,
  scope,
  data,
  notice,
}: {
  page: PageContext;
  partyId: string;
  scope: { agency: Pledge["agency"]; provinces: string[] };
  data: PartyPledges;
  notice?: string | undefined;
}) {
  const { t, principal, lang } = page;
  if (!principal) return null;
  const mayInvite = can(principal, "pledges.invite", scope);
  const mayRevoke = can(principal, "pledges.revoke", scope);
  const csrf = <input type="hidden" name="_csrf" value={page.csrfToken ?? ""} />;
  const date = (iso: string | undefined) => (iso ? formatDateTime(lang, new Date(iso)) : "—");
  const signedThisQuarter = data.pledges.some((p) => p.quarter === data.currentQuarter);
  const openInvitation = data.invitations.some(
    (i) => i.quarter === data.currentQuarter && (i.status === "active" || i.status === "signing"),
  );
  return (
    <section class="card" aria-labelledby="pledges-heading">
      <h2 id="pledges-heading">{t.pledges.title}</h2>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {mayInvite && !signedThisQuarter && !openInvitation ? (
        <form method="post" action={`/console/parties/${encodeURIComponent(partyId)}/invite`}>
          {csrf}
          <p class="hint">{t.pledges.inviteHint}</p>
          <button type="submit">
            {format(t.pledges.invite, { quarter: quarterLabel(data.currentQuarter) })}
          </button>
        </form>
      ) : null}

      <h3>{t.pledges.documents}</h3>
      {data.pledges.length === 0 ? (
        <p>{t.pledges.noDocuments}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.pledges.quarter}</th>
                <th scope="col">{t.pledges.code}</th>
                <th scope="col">{t.pledges.signer}</th>
                <th scope="col">{t.pledges.signedAt}</th>
                <th scope="col">{t.pledges.status}</th>
                <th scope="col">{t.parties.actions}</th>
              </tr>
            </thead>
            <tbody>
              {data.pledges.map((p) => (
                <tr>
                  <td>{quarterLabel(p.quarter)}</td>
                  <td class="code">{p.documentCode}</td>
                  <td>
                    {p.signer.name}
                    <br />
                    <span class="hint">{p.signer.title}</span>
                  </td>
                  <td>{date(p.signedAt)}</td>
                  <td data-testid="pledge-status">{t.pledges.pledgeStatus[p.effectiveStatus]}</td>
                  <td>
                    <a href={`/console/pledges/${encodeURIComponent(p.documentCode)}/document`}>
                      {t.pledges.download}
                    </a>
                    {mayRevoke && p.status === "valid" ? (
                      <form
                        method="post"
                        action={`/console/pledges/${encodeURIComponent(p.documentCode)}/revoke`}
                      >
                        {csrf}
                        <label for={`revoke-${p.documentCode}`}>{t.pledges.revokeReason}</label>
                        <input
                          type="text"
                          id={`revoke-${p.documentCode}`}
                          name="reason"
                          required
                          minlength={3}
                        />
                        <button type="submit" class="danger">
                          {t.pledges.revokePledge}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{t.pledges.invitations}</h3>
      {data.invitations.length === 0 ? (
        <p>{t.pledges.noInvitations}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.pledges.quarter}</th>
                <th scope="col">{t.pledges.status}</th>
                <th scope="col">{t.pledges.sentTo}</th>
                <th scope="col">{t.pledges.sentCount}</th>
                <th scope="col">{t.pledges.lastSent}</th>
                <th scope="col">{t.pledges.opened}</th>
                <th scope="col">{t.pledges.expires}</th>
                <th scope="col">{t.parties.actions}</th>
              </tr>
            </thead>
            <tbody>
              {data.invitations.map((i) => (
                <tr>
                  <td>{quarterLabel(i.quarter)}</td>
                  <td data-testid="invitation-status">{t.pledges.invitationStatus[i.status]}</td>
                  <td>{i.email}</td>
                  <td>{i.sentCount}</td>
                  <td>{date(i.lastSentAt)}</td>
                  <td>{date(i.openedAt)}</td>
                  <td>{date(i.expiresAt)}</td>
                  <td>
                    {mayInvite && i.status === "active" ? (
                      <div class="actions">
                        <form
                          method="post"
                          action={`/console/invitations/${encodeURIComponent(i.id)}/resend`}
                        >
                          {csrf}
                          <button type="submit" class="secondary">
                            {t.pledges.resend}
                          </button>
                        </form>
                        <form
                          method="post"
                          action={`/console/invitations/${encodeURIComponent(i.id)}/revoke`}
                        >
                          {csrf}
                          <label for={`inv-revoke-${i.id}`}>{t.pledges.revokeReason}</label>
                          <input type="text" id={`inv-revoke-${i.id}`} name="reason" required minlength={3} />
                          <button type="submit" class="danger">
                            {t.pledges.revoke}
                          </button>
                        </form>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
