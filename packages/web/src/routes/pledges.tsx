import { NotFoundError } from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { consoleForm, principalOf, requires } from "../middleware";
import { OutboxMessagePage, OutboxPage } from "../pages/outbox";
import { pageContext } from "../pages/page-context";

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

function pdf(c: Context<AppEnv>, filename: string, body: Uint8Array) {
  c.header("Content-Type", "application/pdf");
  c.header("Content-Disposition", `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`);
  c.header("Cache-Control", "no-store");
  return c.body(body as Uint8Array<ArrayBuffer>);
}

/** Console actions on invitations and pledges, and the local outbox. */
export function registerPledgeConsole(app: Hono<AppEnv>, deps: WebDeps) {
  const partyPage = (partyId: string, notice: string) =>
    `/console/parties/${encodeURIComponent(partyId)}?pledge=${notice}#pledges-heading`;

  app.post("/console/parties/:id/invite", requires("pledges.invite"), consoleForm(), async (c) => {
    const invitation = await deps.signing.invite(principalOf(c), c.req.param("id"));
    return c.redirect(partyPage(invitation.partyId, "invited"), 303);
  });

  app.post("/console/invitations/bulk", requires("pledges.invite"), consoleForm(), async (c) => {
    const form = c.get("form");
    const group = text(form.group) || undefined;
    const province = text(form.province) || undefined;
    await deps.signing.inviteMany(principalOf(c), { group, province });
    const back = new URLSearchParams({
      ...(group ? { group } : {}),
      ...(province ? { province } : {}),
      invited: "1",
    });
    return c.redirect(`/console/parties?${back.toString()}`, 303);
  });

  app.post("/console/invitations/:id/resend", requires("pledges.invite"), consoleForm(), async (c) => {
    const invitation = await deps.signing.resend(principalOf(c), c.req.param("id"));
    return c.redirect(partyPage(invitation.partyId, "resent"), 303);
  });

  app.post("/console/invitations/:id/revoke", requires("pledges.invite"), consoleForm(), async (c) => {
    const form = c.get("form");
    const reason = text(form.reason).slice(0, 500);
    const invitation = await deps.signing.revoke(principalOf(c), c.req.param("id"), reason || "—");
    return c.redirect(partyPage(invitation.partyId, "revoked"), 303);
  });

  app.get("/console/pledges/:code/document", requires("pledges.read"), async (c) => {
    const { pledge, pdf: body } = await deps.signing.documentForStaff(principalOf(c), c.req.param("code"));
    return pdf(c, `${pledge.documentCode}.pdf`, body);
  });

  app.post("/console/pledges/:code/revoke", requires("pledges.revoke"), consoleForm(), async (c) => {
    const form = c.get("form");
    const reason = text(form.reason).slice(0, 500);
    const pledge = await deps.signing.revokePledge(principalOf(c), c.req.param("code"), reason || "—");
    return c.redirect(partyPage(pledge.partyId, "pledgeRevoked"), 303);
  });

  // ---- the local outbox: a stand-in for the recipients' mailboxes, absent on AWS ------------------
  const outbox = () => {
    if (!deps.outbox) throw new NotFoundError("No outbox on this deployment");
    return deps.outbox;
  };

  app.get("/console/outbox", requires("outbox.read"), async (c) => {
    const messages = await outbox().list(200);
    return c.html(<OutboxPage page={pageContext(c)} messages={messages} />);
  });

  app.get("/console/outbox/:id", requires("outbox.read"), async (c) => {
    const message = await outbox().get(c.req.param("id"));
    if (!message) throw new NotFoundError("No such message");
    return c.html(<OutboxMessagePage page={pageContext(c)} message={message} />);
  });

  app.get("/console/outbox/:id/attachments/:index", requires("outbox.read"), async (c) => {
    const message = await outbox().get(c.req.param("id"));
    const attachment = message?.attachments[Number(c.req.param("index"))];
    const body = attachment ? await deps.documents.get(attachment.key) : null;
    if (!attachment || !body) throw new NotFoundError("No such attachment");
    return pdf(c, attachment.filename, body);
  });
}
