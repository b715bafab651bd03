import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { Party } from "../parties/model";
import { privacyConsentAt } from "../privacy/notice";
import { agencyByCode } from "../reference/agencies";
import { provinceByCode } from "../reference/provinces";
import type { PledgeDocumentInput } from "./document";
import { checkDeclarations, type SignInput, SignInputSchema } from "./input";
import { AUDIT_EVENT_LABELS_VI, FAMILY_LABELS_VI, GROUP_LABELS_VI } from "./labels";
import type { Invitation, Pledge } from "./model";
import { quarterLabel } from "./quarters";
import {
  EMAIL_SIGNED_COPY_TASK,
  identifierLines,
  issuingProvinceOf,
  maskEmail,
  newDocumentCode,
  pledgeContentHash,
  type RequestMeta,
  type SigningContext,
  sha256Hex,
} from "./signing-context";
import { templateFor, templateHash } from "./templates";

/** Renders the pledge for what the signer entered, seals it and keeps the file. */
async function renderAndStore(
  ctx: SigningContext,
  invitation: Invitation,
  party: Party,
  input: SignInput,
  meta: RequestMeta,
) {
  const { deps, signing, documents, clock, templates, baseUrl } = ctx;

  const template = templateFor(invitation.family, invitation.quarter, templates);
  const declared = checkDeclarations(template, input.declarations);
  if (!declared.ok) throw new InvalidError("Invalid declarations", declared.issues);
  const now = clock.now();
  const documentCode = newDocumentCode(invitation.quarter);
  const agency = agencyByCode(party.agency);
  const provinceNames = party.provinces.map((p) => provinceByCode(p)?.name ?? p);
  const tHash = templateHash(template);
  const drawnHash = input.drawnSignature ? sha256Hex(input.drawnSignature) : null;
  const content = {
    documentCode,
    partyId: party.id,
    partyName: party.name,
    quarter: invitation.quarter,
    family: invitation.family,
    templateVersion: template.version,
    templateHash: tHash,
    signer: { name: input.signerName, title: input.signerTitle, email: invitation.email },
    declarations: declared.value,
    typedSignature: input.typedSignature,
    signedAt: now.toISOString(),
  };
  const contentSha256 = pledgeContentHash({ ...content, drawnSignatureSha256: drawnHash });
  const trail = (await signing.auditOf(party.id)).filter((e) => e.invitationId === invitation.id);
  const documentInput: PledgeDocumentInput = {
    documentCode,
    quarterLabel: quarterLabel(invitation.quarter),
    authority: {
      agencyName: agency.nameVi,
      provinceName: provinceByCode(issuingProvinceOf(invitation))?.name ?? provinceNames[0] ?? "",
    },
    title: template.title,
    preamble: template.preamble,
    commitments: template.commitments,
    closing: template.closing,
    templateLabel: `Mẫu ${FAMILY_LABELS_VI[template.family]}, phiên bản ${template.version}`,
    party: {
      name: party.name,
      groupLabel: GROUP_LABELS_VI[party.group],
      identifiers: identifierLines(party),
      provinces: provinceNames.join(", "),
    },
    signer: content.signer,
    declarations: declared.value.map(({ label, value }) => ({ label, value })),
    typedSignature: input.typedSignature,
    drawnSignaturePng: input.drawnSignature,
    signedAt: now,
    contentSha256,
    verifyUrl: `${baseUrl()}/verify/${documentCode}`,
    audit: [
      ...trail
        .filter((e) => e.type !== "code_failed")
        .map((e) => ({
          at: new Date(e.at),
          event: AUDIT_EVENT_LABELS_VI[e.type] ?? e.type,
          ip: e.ip,
          userAgent: e.userAgent,
        })),
      {
        at: now,
        event: AUDIT_EVENT_LABELS_VI.signed ?? "Ký cam kết",
        ip: meta.ip,
        userAgent: meta.userAgent,
      },
    ],
  };
  const unsealed = await deps.render(documentInput);
  const sealed = await deps.seal(unsealed, {
    name: `${agency.nameVi} ${provinceNames[0] ?? ""}`.trim(),
    reason: `Pledgewatch ${documentCode}`,
    location: provinceNames[0] ?? "Việt Nam",
    contactInfo: baseUrl().replace(/^https?:\/\//, ""),
  });
  const fileKey = `pledges/${invitation.quarter}/${documentCode}.pdf`;
  await documents.put(fileKey, sealed, "application/pdf");
  const pledge: Pledge = {
    ...content,
    invitationId: invitation.id,
    group: party.group,
    agency: party.agency,
    provinces: party.provinces,
    ...(party.family === "medical"
      ? { publicTitle: input.signerTitle, ...(input.workplace ? { workplace: input.workplace } : {}) }
      : {}),
    drawnSignature: Boolean(input.drawnSignature),
    ip: meta.ip,
    userAgent: meta.userAgent,
    contentSha256,
    fileKey,
    fileSha256: sha256Hex(sealed),
    fileSize: sealed.length,
    status: "valid",
    privacyConsent: privacyConsentAt(now),
  };
  return pledge;
}

/** Signing itself, and the signed copy: e-mailed in the background, downloaded by the signer's browser. */
export function createSign(ctx: SigningContext) {
  const {
    deps,
    parties,
    signing,
    mailer,
    documents,
    clock,
    limits,
    templates,
    baseUrl,
    findByToken,
    requireOpen,
    isVerified,
    signerActor,
  } = ctx;

  return {
    /**
     * Signs: exactly one pledge per party and quarter whatever the number of clicks or tabs. The first
     * request takes a lease on the invitation; a concurrent one gets a ConflictError and the page shows
     * the outcome of the first.
     */
    async sign(token: string, key: string | undefined, raw: unknown, meta: RequestMeta): Promise<Pledge> {
      const parsed = SignInputSchema.safeParse(raw);
      const first = await findByToken(token);
      if (first.status === "signed") {
        const existing = await signing.getPledge(first.partyId, first.quarter);
        if (existing && isVerified(first, key)) return existing;
        throw new ConflictError("Already signed");
      }
      requireOpen(first);
      if (!isVerified(first, key)) {
        throw new InvalidError("Code not verified", [
          { field: "code", message: "Vui lòng xác thực mã gửi qua email trước khi ký" },
        ]);
      }
      if (!parsed.success) {
        throw new InvalidError(
          "Invalid signing form",
          parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
        );
      }
      const input = parsed.data;
      const template = templateFor(first.family, first.quarter, templates);
      if (template.family === "medical" && !input.workplace?.trim()) {
        throw new InvalidError("Workplace required", [
          { field: "workplace", message: "Vui lòng nhập nơi công tác" },
        ]);
      }
      const declared = checkDeclarations(template, input.declarations);
      if (!declared.ok) throw new InvalidError("Invalid declarations", declared.issues);

      const now = clock.now();
      if (first.status === "signing" && first.signingUntil && new Date(first.signingUntil) > now) {
        throw new ConflictError("Signing in progress");
      }
      const leased: Invitation = {
        ...first,
        status: "signing",
        signingUntil: new Date(now.getTime() + limits.signingLeaseSeconds * 1000).toISOString(),
        version: first.version + 1,
      };
      await signing.updateInvitation(first, leased, []);
      try {
        const party = await parties.get(first.partyId);
        if (!party) throw new NotFoundError("Party gone");
        const pledge = await renderAndStore(ctx, leased, party, input, meta);
        const signed: Invitation = {
          ...leased,
          status: "signed",
          signingUntil: undefined,
          documentCode: pledge.documentCode,
          version: leased.version + 1,
        };
        const updatedParty: Party = {
          ...party,
          pledge: { quarter: pledge.quarter, status: "valid", documentCode: pledge.documentCode },
          version: party.version + 1,
          updatedAt: pledge.signedAt,
        };
        await signing.commitSigning({
          invitationBefore: leased,
          invitationAfter: signed,
          pledge,
          party: {
            before: party,
            after: updatedParty,
            change: {
              partyId: party.id,
              at: pledge.signedAt,
              by: { staffId: signerActor(first), name: pledge.signer.name },
              action: "pledge_signed",
              reason: pledge.documentCode,
              before: party,
              after: updatedParty,
            },
          },
          events: [
            {
              at: pledge.signedAt,
              type: "signed",
              actor: signerActor(first),
              invitationId: first.id,
              documentCode: pledge.documentCode,
              quarter: pledge.quarter,
              ip: meta.ip,
              userAgent: meta.userAgent,
              detail: `sha256:${pledge.fileSha256}`,
            },
          ],
        });
        await deps.tasks.enqueue({
          type: EMAIL_SIGNED_COPY_TASK,
          payload: { documentCode: pledge.documentCode },
        });
        return pledge;
      } catch (error) {
        // Give the lease back so the signer can try again (unless the signing itself went through).
        const current = await signing.getInvitation(first.id);
        if (current && current.status === "signing" && current.version === leased.version) {
          await signing
            .updateInvitation(
              current,
              { ...current, status: "active", signingUntil: undefined, version: current.version + 1 },
              [],
            )
            .catch(() => undefined);
        }
        throw error;
      }
    },

    /** Background: e-mails the signed copy to the signer (retried by the queue on failure). */
    async emailSignedCopy(documentCode: string): Promise<void> {
      const pledge = await signing.findPledgeByCode(documentCode);
      if (!pledge) throw new NotFoundError(`No pledge ${documentCode}`);
      const already = (await signing.auditOf(pledge.partyId)).some(
        (e) => e.type === "document_emailed" && e.documentCode === documentCode,
      );
      if (already) return;
      const pdf = await documents.get(pledge.fileKey);
      if (!pdf) throw new NotFoundError(`Missing file of ${documentCode}`);
      await mailer.send({
        to: pledge.signer.email,
        kind: "signed_copy",
        partyId: pledge.partyId,
        ...deps.emails.signedCopy({
          signerName: pledge.signer.name,
          partyName: pledge.partyName,
          quarterLabel: quarterLabel(pledge.quarter),
          documentCode,
          verifyUrl: `${baseUrl()}/verify/${documentCode}`,
        }),
        attachments: [{ filename: `${documentCode}.pdf`, contentType: "application/pdf", content: pdf }],
      });
      await signing.appendAudit(pledge.partyId, [
        {
          at: clock.now().toISOString(),
          type: "document_emailed",
          actor: "system",
          documentCode,
          quarter: pledge.quarter,
          detail: `to ${maskEmail(pledge.signer.email)}`,
        },
      ]);
    },

    /** The signed PDF for the signer's own browser (the key from the code check). */
    async documentForSigner(
      token: string,
      key: string | undefined,
    ): Promise<{ pledge: Pledge; pdf: Uint8Array }> {
      const invitation = await findByToken(token);
      if (invitation.status !== "signed" || !isVerified(invitation, key))
        throw new NotFoundError("No document");
      const pledge = await signing.getPledge(invitation.partyId, invitation.quarter);
      const pdf = pledge ? await documents.get(pledge.fileKey) : null;
      if (!pledge || !pdf) throw new NotFoundError("No document");
      return { pledge, pdf };
    },
  };
}
