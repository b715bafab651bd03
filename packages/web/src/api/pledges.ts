import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  InvitationSchema,
  NotFoundError,
  PledgeFamilySchema,
  PledgeSchema,
  PledgeStatusSchema,
  ProvinceCodeSchema,
  type PublicPledgeView,
  QuarterIdSchema,
  SignerGroupSchema,
} from "@pledgewatch/core";
import type { AppEnv, WebDeps } from "../env";
import { attachment } from "../files";
import { principalOf, publicRoute, requires } from "../middleware";
import { publicRateLimit } from "../routes/rate-limit";
import {
  conflictError,
  ErrorResponseSchema,
  jsonContent,
  LangQuery,
  protectedErrors,
  SECURITY,
  validationError,
  withoutLang,
} from "./common";

/**
 * An invitation as the API shows it: never the link's token hash, the one-time code or the browser key
 * of a verified signer. Every invitation leaves through `invitationView`, which parses with this schema
 * and so drops those fields.
 */
const InvitationView = z
  .object(InvitationSchema.omit({ tokenHash: true, otp: true, verifiedKeyHash: true }).shape)
  .openapi("Invitation");
const invitationView = (invitation: unknown) => InvitationView.parse(invitation);

/** A signed pledge, for staff: the signer's address and user agent stay (they are the audit record). */
const PledgeResponse = z.object(PledgeSchema.shape).openapi("Pledge");
const PartyPledgeResponse = z
  .object({
    ...PledgeSchema.shape,
    effectiveStatus: z.enum(PledgeStatusSchema.options).openapi({
      description: "The status the public sees: stored revocation or breach, else superseded or expired",
    }),
  })
  .openapi("PartyPledge");

/** Exactly PublicPledgeView: what anyone may see of a pledge (medical professionals: title and workplace). */
const PublicPledgeResponse = z
  .object({
    documentCode: z.string().openapi({ example: "CK-2026Q1-7KX3M9QP" }),
    name: z.string(),
    family: PledgeFamilySchema,
    group: SignerGroupSchema,
    quarter: z.string().openapi({ example: "2026-Q1" }),
    quarterLabel: z.string(),
    provinces: z.array(z.string()),
    signedAt: z.string(),
    status: PledgeStatusSchema,
    title: z.string().optional().openapi({ description: "Medical professionals only" }),
    workplace: z.string().optional().openapi({ description: "Medical professionals only" }),
  })
  .openapi("PublicPledge");
type PublicPledgeResponseType = z.infer<typeof PublicPledgeResponse>;
// The declared schema and the service's view must stay the same shape, both ways.
const _sameShape: [PublicPledgeResponseType, PublicPledgeView] extends [
  PublicPledgeView,
  PublicPledgeResponseType,
]
  ? true
  : never = true;
void _sameShape;
const publicView = (view: PublicPledgeView) => PublicPledgeResponse.parse(view);

const IdParam = z.object({ id: z.string().min(1).max(64) });
const CodeParam = z.object({
  code: z
    .string()
    .regex(/^CK-\d{4}Q[1-4]-[0-9A-Z]{8}$/, "Mã văn bản không hợp lệ (document code like CK-2026Q1-7KX3M9QP)")
    .openapi({ example: "CK-2026Q1-7KX3M9QP" }),
});
const ReasonBody = z
  .strictObject({ reason: z.string().trim().min(3).max(500).openapi({ example: "Gửi nhầm đối tượng" }) })
  .openapi("Reason");
const BulkInviteBody = z
  .strictObject({
    group: SignerGroupSchema.optional(),
    province: ProvinceCodeSchema.optional(),
  })
  .openapi("BulkInvite");
const PublicRegistryQuery = z.strictObject({
  quarter: QuarterIdSchema.optional(),
  province: ProvinceCodeSchema.optional(),
  family: PledgeFamilySchema.optional(),
  cursor: z.string().max(2048).optional(),
  ...LangQuery,
});

const errorContent = jsonContent(ErrorResponseSchema);
const partyNotFound = { 404: { description: "No such party in the caller's scope", content: errorContent } };
const invitationNotFound = {
  404: { description: "No such invitation in the caller's scope", content: errorContent },
};
const pledgeNotFound = {
  404: { description: "No such pledge in the caller's scope", content: errorContent },
};
const tooManyRequests = {
  429: { description: "Too many requests from this address; see Retry-After", content: errorContent },
};

/** The pledges API: invitations, pledge records for staff, and the public registry. */
export function registerPledgesApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  registerInvitationRoutes(app, deps);
  registerPledgeRecordRoutes(app, deps);
  registerPublicPledgeRoutes(app, deps);
}

/** A party's invitations and pledges; inviting one, many, resending, revoking. */
function registerInvitationRoutes(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties/{id}/pledges",
      tags: ["Pledges"],
      summary: "A party's invitations and signed pledges",
      description: "Newest first. Invitations never carry their link, token hash or one-time code.",
      security: SECURITY,
      middleware: [requires("pledges.read")] as const,
      request: { params: IdParam },
      responses: {
        200: {
          description: "Invitations and pledges",
          content: jsonContent(
            z.object({ invitations: z.array(InvitationView), pledges: z.array(PartyPledgeResponse) }),
          ),
        },
        ...partyNotFound,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const { invitations, pledges } = await deps.signing.ofParty(principalOf(c), c.req.valid("param").id);
      return c.json(
        {
          invitations: invitations.map(invitationView),
          pledges: pledges.map((p) => PartyPledgeResponse.parse(p)),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/parties/{id}/invitations",
      tags: ["Pledges"],
      summary: "Invite a party to sign this quarter's pledge",
      description:
        "E-mails a personal signing link to the party's registered address. 409 when the party already signed this quarter or has an open invitation (resend it instead); 400 when it is not active or has no e-mail.",
      security: SECURITY,
      middleware: [requires("pledges.invite")] as const,
      request: { params: IdParam },
      responses: {
        201: { description: "The invitation, sent", content: jsonContent(InvitationView) },
        ...validationError,
        ...partyNotFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(invitationView(await deps.signing.invite(principalOf(c), c.req.valid("param").id)), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/invitations/bulk",
      tags: ["Pledges"],
      summary: "Invite every eligible party in the caller's scope, in the background",
      description:
        "Without a filter: everyone due. `province` narrows to one province (admins: any province). Parties already signed or invited, inactive or without e-mail are skipped.",
      security: SECURITY,
      middleware: [requires("pledges.invite")] as const,
      request: { body: { required: true, content: jsonContent(BulkInviteBody) } },
      responses: {
        202: { description: "Queued", content: jsonContent(z.object({ accepted: z.literal(true) })) },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const actor = principalOf(c);
      const filter = c.req.valid("json");
      await deps.signing.inviteMany(actor, filter);
      return c.json({ accepted: true as const }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/invitations/{id}/resend",
      tags: ["Pledges"],
      summary: "Send an active invitation again, with a new link and expiry",
      description: "The previous link stops working. 409 when the invitation is not active.",
      security: SECURITY,
      middleware: [requires("pledges.invite")] as const,
      request: { params: IdParam },
      responses: {
        200: { description: "The invitation", content: jsonContent(InvitationView) },
        ...invitationNotFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(invitationView(await deps.signing.resend(principalOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/invitations/{id}/revoke",
      tags: ["Pledges"],
      summary: "Revoke an active invitation, with a reason",
      description: "Its link stops working. 409 when the invitation is not active.",
      security: SECURITY,
      middleware: [requires("pledges.invite")] as const,
      request: { params: IdParam, body: { required: true, content: jsonContent(ReasonBody) } },
      responses: {
        200: { description: "The revoked invitation", content: jsonContent(InvitationView) },
        ...validationError,
        ...invitationNotFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) =>
      c.json(
        invitationView(
          await deps.signing.revoke(principalOf(c), c.req.valid("param").id, c.req.valid("json").reason),
        ),
        200,
      ),
  );
}

/** One signed pledge for staff: its record, its PDF, its revocation. */
function registerPledgeRecordRoutes(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/pledges/{code}",
      tags: ["Pledges"],
      summary: "A signed pledge by its document code",
      security: SECURITY,
      middleware: [requires("pledges.read")] as const,
      request: { params: CodeParam },
      responses: {
        200: { description: "The pledge", content: jsonContent(PledgeResponse) },
        ...validationError,
        ...pledgeNotFound,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const pledge = await deps.signing.pledgeForStaff(principalOf(c), c.req.valid("param").code);
      return c.json(PledgeResponse.parse(pledge), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/pledges/{code}/document",
      tags: ["Pledges"],
      summary: "The signed and sealed PDF of a pledge",
      security: SECURITY,
      middleware: [requires("pledges.read")] as const,
      request: { params: CodeParam },
      responses: {
        200: {
          description: "The PDF, as an attachment named after the document code",
          headers: {
            "Content-Disposition": {
              schema: { type: "string", example: 'attachment; filename="CK-2026Q1-7KX3M9QP.pdf"' },
            },
            "Cache-Control": { schema: { type: "string", example: "no-store" } },
          },
          content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...validationError,
        ...pledgeNotFound,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const { pledge, pdf } = await deps.signing.documentForStaff(principalOf(c), c.req.valid("param").code);
      return attachment({
        body: pdf,
        contentType: "application/pdf",
        fileName: `${pledge.documentCode}.pdf`,
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/pledges/{code}/revoke",
      tags: ["Pledges"],
      summary: "Revoke a signed pledge, with a reason",
      description: "The public lookup shows it as revoked. 409 when the pledge is not valid.",
      security: SECURITY,
      middleware: [requires("pledges.revoke")] as const,
      request: { params: CodeParam, body: { required: true, content: jsonContent(ReasonBody) } },
      responses: {
        200: { description: "The revoked pledge", content: jsonContent(PledgeResponse) },
        ...validationError,
        ...pledgeNotFound,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const pledge = await deps.signing.revokePledge(
        principalOf(c),
        c.req.valid("param").code,
        c.req.valid("json").reason,
      );
      return c.json(PledgeResponse.parse(pledge), 200);
    },
  );

  // ---- public: no sign-in ---------------------------------------------------------------------------
}

/** The public registry and a document code's check, throttled per client address like the public pages. */
function registerPublicPledgeRoutes(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  const publicLimit = publicRateLimit(deps, "public-api", 300, 600);

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/public/pledges",
      tags: ["Public"],
      summary: "The public registry of signed pledges of a quarter",
      description:
        "`quarter` (e.g. 2026-Q1) defaults to the current quarter. 50 per page; pass `next` as `cursor` for the following page. Medical professionals show only name, title and workplace.",
      security: [],
      middleware: [publicRoute(), publicLimit] as const,
      request: { query: PublicRegistryQuery },
      responses: {
        200: {
          description: "One page of pledges",
          content: jsonContent(
            z.object({
              quarter: z.string().openapi({ example: "2026-Q1" }),
              items: z.array(PublicPledgeResponse),
              next: z.string().optional(),
            }),
          ),
        },
        ...validationError,
        ...tooManyRequests,
      },
    }),
    async (c) => {
      const page = await deps.signing.publicRegistry(withoutLang(c.req.valid("query")));
      return c.json({ quarter: page.quarter, items: page.items.map(publicView), next: page.next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/public/pledges/{code}",
      tags: ["Public"],
      summary: "Check a pledge by the code printed on it",
      security: [],
      middleware: [publicRoute(), publicLimit] as const,
      request: { params: CodeParam },
      responses: {
        200: { description: "The pledge and its current status", content: jsonContent(PublicPledgeResponse) },
        ...validationError,
        404: { description: "No pledge has this code", content: errorContent },
        ...tooManyRequests,
      },
    }),
    async (c) => {
      const view = await deps.signing.verifyCodeLookup(c.req.valid("param").code);
      if (!view) throw new NotFoundError("No pledge has this code");
      return c.json(publicView(view), 200);
    },
  );
}
