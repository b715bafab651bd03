import {
  ACTIONS,
  type Action,
  createTravelClock,
  hashPassword,
  periodIdAt,
  STAFF_ROLES,
  type StaffRole,
} from "@pledgewatch/core";
import { DEMO_STAFF } from "@pledgewatch/local";
import { ruleToValues } from "@pledgewatch/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTaxCode } from "../support/fixtures";
import { storedCapture } from "../support/monitoring";
import { createTestPlatform } from "../support/platform";
import { flaggedCase } from "../support/review";
import { PLATFORM_SIGN_FORM, verifySigner } from "../support/signing";

/**
 * The route × role table: every route of the app, who may call it, and a request that succeeds for an
 * allowed caller. Every capability adds its routes here; the first test fails when a route is missing.
 */
interface PathContext {
  staffId: string;
  partyId: string;
  importId: string;
  freshImportId: string;
  /** Pledge signing: a party with an e-mail that nobody has invited yet, made for each case. */
  inviteePartyId?: string;
  /** An active invitation (every allowed role resends it). */
  invitationId?: string;
  /** An active invitation made for each case (a revoked invitation cannot be revoked again). */
  freshInvitationId?: string;
  /** A signed pledge. */
  documentCode?: string;
  /** A well-formed document code that no pledge has. */
  unknownCode?: string;
  /** An id nothing has (an outbox message), a signing token nobody was given, an attachment index. */
  missingId?: string;
  token?: string;
  index?: string;
  /** Monitoring: a target, one made for each case ("capture now" holds its URL), a finished capture. */
  targetId?: string;
  freshTargetId?: string;
  captureId?: string;
  artefactKey?: string;
  jobId?: string;
  deadLetterId?: string;
  /** A rule of the CT agency (the signed-in callers are CT staff). */
  ruleId?: string;
  /** A product watchlist rule of CT. */
  watchlistId?: string;
  /** A finished coverage report of the CT reviewer's scope, and which of its files. */
  reportFile?: string;
  /** A finished review report of the CT reviewer's office. */
  reviewReport?: string;
  reviewReportFile?: string;
  province?: string;
  /** A well-formed tip tracking code that no tip has. */
  tipCode?: string;
  /** Review: a case of the CT queue with the stored capture as evidence, and one made for each case. */
  caseId?: string;
  freshCaseId?: string;
  /** A data subject's request of the CT office of 37, and one made for each case (each step happens once). */
  dataRequestId?: string;
  freshDataRequestId?: string;
}

interface RouteCase {
  method: "GET" | "POST" | "PATCH" | "PUT";
  path: string | ((ctx: PathContext) => string);
  access: "public" | Action;
  /** JSON body, or a form (true: the session's CSRF token, plus formFields). */
  json?: () => unknown;
  form?: boolean;
  formFields?: () => Record<string, string> | Promise<Record<string, string>>;
  /** A multipart upload of a small valid import file. */
  multipart?: boolean;
  /** The file of the multipart upload, when not a party import. */
  upload?: () => File;
  /** Status an allowed caller gets. */
  ok: number;
  /** Status a signed-in caller gets where it differs (the sign-in page sends them on to the console). */
  okSignedIn?: number;
}

let unique = 0;
const ROUTES: RouteCase[] = [
  { method: "GET", path: "/", access: "public", ok: 303 },
  { method: "GET", path: "/health", access: "public", ok: 200 },
  { method: "GET", path: "/static/app.css", access: "public", ok: 200 },
  { method: "GET", path: "/sign-in", access: "public", ok: 200, okSignedIn: 303 },
  // Without the form's CSRF token every caller is refused; that the form works is tested in http.test.ts.
  { method: "POST", path: "/sign-in", access: "public", ok: 403 },
  // The challenge step of a sign-in (Cognito): without the form's CSRF token refused as well.
  { method: "POST", path: "/sign-in/challenge", access: "public", ok: 403 },
  { method: "POST", path: "/sign-out", access: "console.view", form: true, ok: 303 },
  { method: "POST", path: "/sign-out/everywhere", access: "console.view", form: true, ok: 303 },
  { method: "GET", path: "/console", access: "console.view", ok: 200 },
  { method: "GET", path: "/console/parties", access: "parties.read", ok: 200 },
  { method: "GET", path: "/console/staff", access: "staff.read", ok: 200 },
  { method: "GET", path: "/api/openapi.json", access: "public", ok: 200 },
  { method: "GET", path: "/api/docs", access: "public", ok: 200 },
  { method: "GET", path: "/api/docs/assets/init.js", access: "public", ok: 200 },
  { method: "GET", path: "/api/docs/assets/swagger-ui.css", access: "public", ok: 200 },
  { method: "GET", path: "/api/v1/me", access: "me.read", ok: 200 },
  { method: "GET", path: "/api/v1/provinces", access: "reference.read", ok: 200 },
  { method: "GET", path: "/api/v1/agencies", access: "reference.read", ok: 200 },
  { method: "GET", path: "/api/v1/signer-groups", access: "reference.read", ok: 200 },
  { method: "GET", path: "/api/v1/parties", access: "parties.read", ok: 200 },
  { method: "POST", path: "/api/v1/parties", access: "parties.write", json: () => newPartyBody(), ok: 201 },
  { method: "GET", path: ({ partyId }) => `/api/v1/parties/${partyId}`, access: "parties.read", ok: 200 },
  {
    method: "PATCH",
    path: ({ partyId }) => `/api/v1/parties/${partyId}`,
    access: "parties.write",
    json: async () => ({ version: await currentVersion(), notes: `ghi chú ${unique++}` }),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ partyId }) => `/api/v1/parties/${partyId}/cease`,
    access: "parties.write",
    json: async () => ({ version: await currentVersion(), reason: "Đã giải thể" }),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ partyId }) => `/api/v1/parties/${partyId}/owner`,
    access: "parties.reassign",
    json: async () => ({ version: await currentVersion(), agency: "CT", reason: "Chuyển thử" }),
    ok: 200,
  },
  {
    method: "GET",
    path: ({ partyId }) => `/api/v1/parties/${partyId}/history`,
    access: "parties.read",
    ok: 200,
  },
  { method: "GET", path: "/api/v1/parties/export?format=csv", access: "parties.read", ok: 200 },
  { method: "GET", path: "/api/v1/parties/template?group=press", access: "parties.read", ok: 200 },
  { method: "POST", path: "/api/v1/imports", access: "parties.write", multipart: true, ok: 201 },
  { method: "GET", path: "/api/v1/imports", access: "parties.read", ok: 200 },
  // Uploads through S3 exist on AWS only (test/deployed/api.test.ts): locally there is no inbox (404).
  {
    method: "POST",
    path: "/api/v1/uploads",
    access: "parties.write",
    json: () => ({ purpose: "import" }),
    ok: 404,
  },
  {
    method: "POST",
    path: "/api/v1/imports/uploaded",
    access: "parties.write",
    json: () => ({ key: "uploads/import/00000000-0000-4000-8000-000000000000", group: "press" }),
    ok: 404,
  },
  { method: "GET", path: "/console/imports/uploaded?key=x&group=press", access: "parties.write", ok: 400 },
  { method: "GET", path: ({ importId }) => `/api/v1/imports/${importId}`, access: "parties.read", ok: 200 },
  // Each allowed role commits a fresh preview; a second commit of the same import would be a 409.
  {
    method: "POST",
    path: ({ freshImportId }) => `/api/v1/imports/${freshImportId}/commit`,
    access: "parties.write",
    ok: 202,
  },
  { method: "GET", path: "/console/parties/export?format=xlsx", access: "parties.read", ok: 200 },
  { method: "GET", path: "/console/parties/new", access: "parties.write", ok: 200 },
  {
    method: "POST",
    path: "/console/parties/new",
    access: "parties.write",
    form: true,
    formFields: () => consoleParty(),
    ok: 303,
  },
  { method: "GET", path: ({ partyId }) => `/console/parties/${partyId}`, access: "parties.read", ok: 200 },
  {
    method: "POST",
    path: ({ partyId }) => `/console/parties/${partyId}`,
    access: "parties.write",
    form: true,
    formFields: async () => ({
      version: String(await currentVersion()),
      name: "Sàn Thử Nghiệm",
      provinces: "37",
    }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ partyId }) => `/console/parties/${partyId}/cease`,
    access: "parties.write",
    form: true,
    formFields: async () => ({ version: String(await currentVersion()), reason: "Đã giải thể" }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ partyId }) => `/console/parties/${partyId}/owner`,
    access: "parties.reassign",
    form: true,
    formFields: async () => ({
      version: String(await currentVersion()),
      agency: "CT",
      ownerReason: "Chuyển thử",
    }),
    ok: 303,
  },
  { method: "GET", path: "/console/imports", access: "parties.write", ok: 200 },
  {
    method: "GET",
    path: "/console/imports/template?group=doctor&format=csv",
    access: "parties.read",
    ok: 200,
  },
  { method: "POST", path: "/console/imports", access: "parties.write", form: true, multipart: true, ok: 303 },
  { method: "GET", path: ({ importId }) => `/console/imports/${importId}`, access: "parties.read", ok: 200 },
  {
    method: "POST",
    path: ({ freshImportId }) => `/console/imports/${freshImportId}/commit`,
    access: "parties.write",
    form: true,
    ok: 303,
  },
  { method: "GET", path: "/api/v1/staff", access: "staff.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/staff",
    access: "staff.manage",
    json: () => ({
      email: `new${unique++}@demo.pledgewatch.vn`,
      name: "Cán bộ mới",
      agency: "CT",
      province: "37",
      role: "viewer",
      password: "a long enough password",
    }),
    ok: 201,
  },
  { method: "GET", path: ({ staffId }) => `/api/v1/staff/${staffId}`, access: "me.read", ok: 200 },

  // ---- pledge signing: JSON API (/api/v1, tags "Pledges" and "Public") -------------------------------
  {
    method: "GET",
    path: ({ partyId }) => `/api/v1/parties/${partyId}/pledges`,
    access: "pledges.read",
    ok: 200,
  },
  // Each allowed role invites a party of its own: a second invitation of the same party is a 409.
  {
    method: "POST",
    path: ({ inviteePartyId }) => `/api/v1/parties/${inviteePartyId}/invitations`,
    access: "pledges.invite",
    ok: 201,
  },
  // A group none of the table's own parties belongs to, so the background run cannot race the rows here.
  {
    method: "POST",
    path: "/api/v1/invitations/bulk",
    access: "pledges.invite",
    json: () => ({ group: "social_network" }),
    ok: 202,
  },
  {
    method: "POST",
    path: ({ invitationId }) => `/api/v1/invitations/${invitationId}/resend`,
    access: "pledges.invite",
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshInvitationId }) => `/api/v1/invitations/${freshInvitationId}/revoke`,
    access: "pledges.invite",
    json: () => ({ reason: "Mời nhầm đối tượng" }),
    ok: 200,
  },
  {
    method: "GET",
    path: ({ documentCode }) => `/api/v1/pledges/${documentCode}`,
    access: "pledges.read",
    ok: 200,
  },
  {
    method: "GET",
    path: ({ documentCode }) => `/api/v1/pledges/${documentCode}/document`,
    access: "pledges.read",
    ok: 200,
  },
  // A revoked pledge cannot be revoked again, so allowed roles try an unknown code: 404 past the role check.
  {
    method: "POST",
    path: ({ unknownCode }) => `/api/v1/pledges/${unknownCode}/revoke`,
    access: "pledges.revoke",
    json: () => ({ reason: "Vi phạm cam kết" }),
    ok: 404,
  },
  { method: "GET", path: "/api/v1/public/pledges", access: "public", ok: 200 },
  {
    method: "GET",
    path: ({ documentCode }) => `/api/v1/public/pledges/${documentCode}`,
    access: "public",
    ok: 200,
  },
  // ---- end of pledge signing JSON API -----------------------------------------------------------------
  // ---- pledge signing: console and public pages ------------------------------------------------------
  { method: "GET", path: "/static/signature.js", access: "public", ok: 200 },
  {
    method: "POST",
    path: ({ inviteePartyId }) => `/console/parties/${inviteePartyId}/invite`,
    access: "pledges.invite",
    form: true,
    ok: 303,
  },
  // A group of another agency: the background run finds nothing to invite for CT staff.
  {
    method: "POST",
    path: "/console/invitations/bulk",
    access: "pledges.invite",
    form: true,
    formFields: () => ({ group: "news_site" }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ freshInvitationId }) => `/console/invitations/${freshInvitationId}/resend`,
    access: "pledges.invite",
    form: true,
    ok: 303,
  },
  {
    method: "POST",
    path: ({ freshInvitationId }) => `/console/invitations/${freshInvitationId}/revoke`,
    access: "pledges.invite",
    form: true,
    formFields: () => ({ reason: "Gửi nhầm" }),
    ok: 303,
  },
  {
    method: "GET",
    path: ({ documentCode }) => `/console/pledges/${documentCode}/document`,
    access: "pledges.read",
    ok: 200,
  },
  // A pledge is revoked once; a well-formed unknown code shows the gate (403 below lead) and then 404.
  {
    method: "POST",
    path: ({ unknownCode }) => `/console/pledges/${unknownCode}/revoke`,
    access: "pledges.revoke",
    form: true,
    formFields: () => ({ reason: "Thử" }),
    ok: 404,
  },
  { method: "GET", path: "/console/outbox", access: "outbox.read", ok: 200 },
  { method: "GET", path: ({ missingId }) => `/console/outbox/${missingId}`, access: "outbox.read", ok: 404 },
  {
    method: "GET",
    path: ({ missingId, index }) => `/console/outbox/${missingId}/attachments/${index}`,
    access: "outbox.read",
    ok: 404,
  },
  // Signing pages answer a token nobody holds with 404, whoever asks; the flow is tested in signing tests.
  { method: "GET", path: ({ token }) => `/sign/${token}`, access: "public", ok: 404 },
  { method: "POST", path: ({ token }) => `/sign/${token}/code`, access: "public", ok: 404 },
  { method: "POST", path: ({ token }) => `/sign/${token}/verify`, access: "public", ok: 404 },
  { method: "POST", path: ({ token }) => `/sign/${token}`, access: "public", ok: 404 },
  { method: "GET", path: ({ token }) => `/sign/${token}/document`, access: "public", ok: 404 },
  { method: "GET", path: "/verify", access: "public", ok: 200 },
  { method: "GET", path: "/verify/uploaded?key=x", access: "public", ok: 400 },
  { method: "GET", path: ({ documentCode }) => `/verify/${documentCode}`, access: "public", ok: 200 },
  // Without the form's CSRF token the upload is refused; uploads are tested in verify-upload tests.
  { method: "POST", path: "/verify", access: "public", ok: 400 },
  { method: "GET", path: "/registry", access: "public", ok: 200 },
  // ---- end of pledge signing pages ---------------------------------------------------------------------
  // ---- monitoring capture (issue 6) ----
  { method: "GET", path: "/console/monitoring", access: "monitoring.read", ok: 200 },
  {
    method: "POST",
    path: "/console/monitoring/targets",
    access: "monitoring.targets.write",
    form: true,
    formFields: () => ({ url: `https://example.com/shop/${unique++}`, kind: "shop", schedule: "daily" }),
    ok: 303,
  },
  {
    method: "POST",
    path: "/console/monitoring/targets/import",
    access: "monitoring.targets.write",
    form: true,
    multipart: true,
    upload: () =>
      new File([`url,kind,schedule\nhttps://example.com/nhap/${unique++},shop,weekly\n`], "targets.csv", {
        type: "text/csv",
      }),
    ok: 303,
  },
  {
    method: "GET",
    path: ({ targetId }) => `/console/monitoring/targets/${targetId}`,
    access: "monitoring.read",
    ok: 200,
  },
  {
    method: "POST",
    path: ({ targetId }) => `/console/monitoring/targets/${targetId}`,
    access: "monitoring.targets.write",
    form: true,
    formFields: () => ({ label: `Trang ${unique++}`, schedule: "weekly", pageLimit: "2", active: "1" }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ freshTargetId }) => `/console/monitoring/targets/${freshTargetId}/capture`,
    access: "monitoring.capture",
    form: true,
    ok: 303,
  },
  {
    method: "POST",
    path: "/console/monitoring/captures",
    access: "monitoring.capture",
    form: true,
    formFields: () => ({ url: `https://example.com/tin/${unique++}` }),
    ok: 303,
  },
  {
    method: "GET",
    path: ({ jobId }) => `/console/monitoring/jobs/${jobId}`,
    access: "monitoring.read",
    ok: 200,
  },
  {
    method: "GET",
    path: ({ captureId }) => `/console/monitoring/captures/${captureId}`,
    access: "monitoring.read",
    ok: 200,
  },
  {
    method: "GET",
    path: ({ captureId, artefactKey }) =>
      `/console/monitoring/captures/${captureId}/artefact?key=${encodeURIComponent(artefactKey ?? "")}`,
    access: "monitoring.read",
    ok: 200,
  },
  {
    method: "GET",
    path: ({ captureId }) => `/console/monitoring/captures/${captureId}/certificate.pdf`,
    access: "monitoring.read",
    ok: 200,
  },
  { method: "GET", path: "/console/monitoring/items", access: "monitoring.read", ok: 200 },
  { method: "GET", path: "/console/monitoring/dead-letters", access: "monitoring.deadletters", ok: 200 },
  {
    method: "POST",
    path: ({ deadLetterId }) => `/console/monitoring/dead-letters/${deadLetterId}/redrive`,
    access: "monitoring.deadletters",
    form: true,
    // An id the console did not list (ids are sealed by the platform) is not found.
    ok: 404,
  },
  { method: "GET", path: "/api/v1/monitoring/targets", access: "monitoring.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/monitoring/targets",
    access: "monitoring.targets.write",
    json: () => ({ url: `https://example.com/api-shop/${unique++}`, kind: "shop", schedule: "hourly" }),
    ok: 201,
  },
  {
    method: "GET",
    path: ({ targetId }) => `/api/v1/monitoring/targets/${targetId}`,
    access: "monitoring.read",
    ok: 200,
  },
  {
    method: "PATCH",
    path: ({ targetId }) => `/api/v1/monitoring/targets/${targetId}`,
    access: "monitoring.targets.write",
    json: () => ({ pageLimit: 4 }),
    ok: 200,
  },
  {
    method: "POST",
    path: "/api/v1/monitoring/captures",
    access: "monitoring.capture",
    json: () => ({ url: `https://example.com/api-tin/${unique++}` }),
    ok: 202,
  },
  {
    method: "GET",
    path: ({ jobId }) => `/api/v1/monitoring/jobs/${jobId}`,
    access: "monitoring.read",
    ok: 200,
  },
  {
    method: "GET",
    path: ({ captureId }) => `/api/v1/monitoring/captures/${captureId}`,
    access: "monitoring.read",
    ok: 200,
  },
  { method: "GET", path: "/api/v1/monitoring/items", access: "monitoring.read", ok: 200 },
  // ---- flagging rules (issue 7) -------------------------------------------------------------------------
  { method: "GET", path: "/console/rules", access: "rules.read", ok: 200 },
  { method: "GET", path: "/console/rules/new?kind=near", access: "rules.write", ok: 200 },
  {
    method: "POST",
    path: "/console/rules/new",
    access: "rules.write",
    form: true,
    formFields: () => ({ ...newRuleForm(), id: `rt.console-${unique++}` }),
    ok: 303,
  },
  {
    method: "POST",
    path: "/console/rules/new/preview",
    access: "rules.read",
    form: true,
    formFields: () => ({ ...newRuleForm(), id: "rt.preview", limit: "20" }),
    ok: 200,
  },
  { method: "GET", path: ({ ruleId }) => `/console/rules/${ruleId}`, access: "rules.read", ok: 200 },
  {
    method: "POST",
    path: ({ ruleId }) => `/console/rules/${ruleId}`,
    access: "rules.write",
    form: true,
    formFields: async () => ruleToValues(await currentRule()),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ ruleId }) => `/console/rules/${ruleId}/preview`,
    access: "rules.read",
    form: true,
    formFields: async () => ({ ...ruleToValues(await currentRule()), limit: "20" }),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ watchlistId }) => `/console/rules/${watchlistId}/watchlist`,
    access: "rules.write",
    form: true,
    multipart: true,
    formFields: async () => ({ expectedVersion: String((await currentRule(WATCHLIST_ID)).version) }),
    upload: () =>
      new File([`product,violation\nViên Mẫu ${unique++},quảng cáo như thuốc\n`], "canh-bao.csv", {
        type: "text/csv",
      }),
    ok: 303,
  },
  { method: "GET", path: "/console/evaluations?agency=CT", access: "evaluations.read", ok: 200 },
  { method: "GET", path: "/console/reference-prices", access: "rules.read", ok: 200 },
  {
    method: "POST",
    path: "/console/reference-prices",
    access: "rules.write",
    form: true,
    formFields: async () => {
      const { ruleSet } = await p.flagging.current();
      return {
        expectedRuleSetVersion: String(ruleSet.version),
        items: ruleSet.catalogue
          .map((e) => `${e.id} | ${e.name} | ${e.match.join(" + ")} | ${e.price}`)
          .join("\n"),
      };
    },
    ok: 303,
  },
  { method: "GET", path: "/api/v1/rules", access: "rules.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/rules",
    access: "rules.write",
    json: () => ({ rule: { ...newApiRule(), id: `rt.api-${unique++}` } }),
    ok: 201,
  },
  { method: "GET", path: ({ ruleId }) => `/api/v1/rules/${ruleId}`, access: "rules.read", ok: 200 },
  {
    method: "PUT",
    path: ({ ruleId }) => `/api/v1/rules/${ruleId}`,
    access: "rules.write",
    json: async () => {
      const rule = await currentRule();
      return { rule, expectedVersion: rule.version };
    },
    ok: 200,
  },
  {
    method: "POST",
    path: ({ ruleId }) => `/api/v1/rules/${ruleId}/preview`,
    access: "rules.read",
    json: () => ({ limit: 20 }),
    ok: 200,
  },
  { method: "GET", path: "/api/v1/reference-prices", access: "rules.read", ok: 200 },
  {
    method: "PUT",
    path: "/api/v1/reference-prices",
    access: "rules.write",
    json: async () => {
      const { ruleSet } = await p.flagging.current();
      return { items: ruleSet.catalogue, expectedRuleSetVersion: ruleSet.version };
    },
    ok: 200,
  },
  { method: "GET", path: "/api/v1/evaluations?limit=5", access: "evaluations.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/evaluations",
    access: "evaluations.submit",
    json: () => ({
      item: { id: `rt-item-${unique++}`, kind: "listing", platform: "shopee", title: "Giày rep 1:1" },
    }),
    ok: 200,
  },
  // ---- end of flagging rules -----------------------------------------------------------------------------
  // ---- renewal and coverage (issue 5): console ------------------------------------------------------
  { method: "GET", path: "/console/coverage", access: "coverage.read", ok: 200 },
  { method: "GET", path: "/console/coverage/unsigned", access: "coverage.read", ok: 200 },
  {
    method: "POST",
    path: "/console/coverage/remind",
    access: "pledges.invite",
    form: true,
    formFields: async () => ({
      partyId: await newInvitee(),
      back: "/console/coverage/unsigned?agency=CT&province=37",
    }),
    ok: 303,
  },
  { method: "GET", path: "/console/coverage/reports", access: "coverage.read", ok: 200 },
  {
    method: "POST",
    path: "/console/coverage/reports",
    access: "coverage.report",
    form: true,
    formFields: () => ({ quarter: p.signing.currentQuarter() }),
    ok: 303,
  },
  {
    method: "GET",
    path: ({ reportFile }) => `/console/coverage/reports/${reportFile}`,
    access: "coverage.read",
    ok: 200,
  },
  { method: "GET", path: "/console/coverage/settings", access: "coverage.read", ok: 200 },
  {
    method: "POST",
    path: "/console/coverage/settings",
    access: "renewal.settings",
    form: true,
    formFields: () => ({ province: "37", dueDay: "45", reminderOffsets: "14, 7, 1", graceDays: "30" }),
    ok: 303,
  },
  // The time-travel control: this platform has one (local and tests); the AWS one has none (api.test.ts).
  { method: "GET", path: "/console/clock", access: "clock.travel", ok: 200 },
  {
    method: "POST",
    path: "/console/clock",
    access: "clock.travel",
    form: true,
    formFields: () => ({ reset: "1" }),
    ok: 303,
  },
  // ---- renewal and coverage: JSON API (tag "Coverage") ----------------------------------------------
  { method: "GET", path: "/api/v1/coverage", access: "coverage.read", ok: 200 },
  { method: "GET", path: "/api/v1/coverage/reports", access: "coverage.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/coverage/reports",
    access: "coverage.report",
    json: () => ({ quarter: p.signing.currentQuarter() }),
    ok: 202,
  },
  {
    method: "GET",
    path: ({ province }) => `/api/v1/renewal/settings/${province}`,
    access: "coverage.read",
    ok: 200,
  },
  {
    method: "PUT",
    path: ({ province }) => `/api/v1/renewal/settings/${province}`,
    access: "renewal.settings",
    json: () => ({ cycle: "quarterly", dueDay: 40, reminderOffsets: [10, 3], graceDays: 20 }),
    ok: 200,
  },
  { method: "GET", path: "/api/v1/clock", access: "clock.travel", ok: 200 },
  { method: "PUT", path: "/api/v1/clock", access: "clock.travel", json: () => ({ reset: true }), ok: 200 },
  // ---- end of renewal and coverage --------------------------------------------------------------------
  // ---- public tips (issue 8): no sign-in; a post without fields is refused with field errors ---------
  { method: "GET", path: "/tips", access: "public", ok: 200 },
  { method: "POST", path: "/tips", access: "public", ok: 400 },
  { method: "GET", path: "/tips/track", access: "public", ok: 200 },
  { method: "GET", path: "/api/v1/tips/form-token", access: "public", ok: 200 },
  { method: "POST", path: "/api/v1/tips", access: "public", json: () => ({}), ok: 400 },
  // A well-formed code nobody was given.
  { method: "GET", path: ({ tipCode }) => `/api/v1/tips/${tipCode}`, access: "public", ok: 404 },
  // ---- review metrics (issue 8): one's own agency and province ----------------------------------------
  { method: "GET", path: "/console/review/metrics", access: "review.metrics.read", ok: 200 },
  { method: "GET", path: "/api/v1/review/metrics", access: "review.metrics.read", ok: 200 },
  // ---- review reports (issue 8): one's own agency and province --------------------------------------
  { method: "GET", path: "/console/review/reports", access: "review.reports.read", ok: 200 },
  {
    method: "POST",
    path: "/console/review/reports",
    access: "review.reports.create",
    form: true,
    formFields: () => ({ kind: "quality_monthly", period: periodIdAt("quality_monthly", p.clock.now()) }),
    ok: 303,
  },
  {
    method: "GET",
    path: ({ reviewReportFile }) => `/console/review/reports/${reviewReportFile}`,
    access: "review.reports.read",
    ok: 200,
  },
  { method: "GET", path: "/api/v1/review/reports", access: "review.reports.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/review/reports",
    access: "review.reports.create",
    json: () => ({ kind: "campaign_weekly", period: periodIdAt("campaign_weekly", p.clock.now()) }),
    ok: 202,
  },
  {
    method: "GET",
    path: ({ reviewReport }) => `/api/v1/review/reports/${reviewReport}`,
    access: "review.reports.read",
    ok: 200,
  },
  {
    method: "GET",
    path: ({ reviewReportFile }) => `/api/v1/review/reports/${reviewReportFile}`,
    access: "review.reports.read",
    ok: 200,
  },
  // ---- review (issue 8): console ---------------------------------------------------------------------
  { method: "GET", path: "/static/review.js", access: "public", ok: 200 },
  { method: "GET", path: "/console/cases", access: "cases.read", ok: 200 },
  { method: "GET", path: ({ caseId }) => `/console/cases/${caseId}`, access: "cases.read", ok: 200 },
  {
    method: "GET",
    path: ({ caseId, artefactKey }) =>
      `/console/cases/${caseId}/artefact?key=${encodeURIComponent(artefactKey ?? "")}`,
    access: "cases.read",
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/claim`,
    access: "cases.work",
    form: true,
    ok: 303,
  },
  // An open case cannot be released, approved, reopened or closed: past the role check, a 409 page.
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/release`,
    access: "cases.work",
    form: true,
    ok: 409,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/assign`,
    access: "cases.assign",
    form: true,
    formFields: () => ({ staffId: sessions.get("reviewer")?.staffId ?? "" }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/decision`,
    access: "cases.work",
    form: true,
    formFields: () => ({ kind: "dismiss", reason: "false_positive" }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/approval`,
    access: "cases.approve",
    form: true,
    formFields: () => ({ approve: "yes" }),
    ok: 409,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/reopen`,
    access: "cases.approve",
    form: true,
    formFields: () => ({ reason: "Thử" }),
    ok: 409,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/console/cases/${freshCaseId}/close`,
    access: "cases.approve",
    form: true,
    formFields: () => ({ reason: "Thử" }),
    ok: 409,
  },
  {
    method: "POST",
    path: "/console/cases/bulk-dismiss",
    access: "cases.work",
    form: true,
    formFields: async () => ({ ids: await flaggedCase(p), reason: "already_handled" }),
    ok: 303,
  },
  // The platform's token page answers a token nobody holds with 404, whoever asks (flow: review e2e).
  { method: "GET", path: ({ token }) => `/takedown/${token}`, access: "public", ok: 404 },
  { method: "POST", path: ({ token }) => `/takedown/${token}`, access: "public", ok: 404 },
  // ---- review: JSON API (tag "Review") ------------------------------------------------------------------
  { method: "GET", path: "/api/v1/cases", access: "cases.read", ok: 200 },
  { method: "GET", path: "/api/v1/cases/export?format=csv", access: "cases.read", ok: 200 },
  { method: "GET", path: ({ caseId }) => `/api/v1/cases/${caseId}`, access: "cases.read", ok: 200 },
  {
    method: "GET",
    path: ({ caseId, artefactKey }) =>
      `/api/v1/cases/${caseId}/artefact?key=${encodeURIComponent(artefactKey ?? "")}`,
    access: "cases.read",
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/claim`,
    access: "cases.work",
    json: () => ({}),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/release`,
    access: "cases.work",
    json: () => ({}),
    ok: 409,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/assign`,
    access: "cases.assign",
    json: () => ({ staffId: sessions.get("reviewer")?.staffId ?? "" }),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/decision`,
    access: "cases.work",
    json: () => ({ kind: "escalate", reason: "Cần lãnh đạo xem" }),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/approval`,
    access: "cases.approve",
    json: () => ({ approve: true }),
    ok: 409,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/reopen`,
    access: "cases.approve",
    json: () => ({ reason: "Thử" }),
    ok: 409,
  },
  {
    method: "POST",
    path: ({ freshCaseId }) => `/api/v1/cases/${freshCaseId}/close`,
    access: "cases.approve",
    json: () => ({ reason: "Thử" }),
    ok: 409,
  },
  {
    method: "POST",
    path: "/api/v1/cases/bulk-dismiss",
    access: "cases.work",
    json: async () => ({ ids: [await flaggedCase(p)], reason: "false_positive" }),
    ok: 200,
  },
  // ---- end of review ------------------------------------------------------------------------------------
  // ---- personal data (issue 19, item 8) -----------------------------------------------------------------
  { method: "GET", path: "/privacy", access: "public", ok: 200 },
  { method: "GET", path: "/api/v1/data-requests", access: "privacy.requests.read", ok: 200 },
  {
    method: "POST",
    path: "/api/v1/data-requests",
    access: "privacy.requests.write",
    json: dataRequestBody,
    ok: 201,
  },
  {
    method: "GET",
    path: ({ dataRequestId }) => `/api/v1/data-requests/${dataRequestId}`,
    access: "privacy.requests.read",
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshDataRequestId }) => `/api/v1/data-requests/${freshDataRequestId}/acknowledge`,
    access: "privacy.requests.write",
    json: () => ({ version: 1, note: "Đã nhận yêu cầu." }),
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshDataRequestId }) => `/api/v1/data-requests/${freshDataRequestId}/answer`,
    access: "privacy.requests.answer",
    json: () => ({ version: 1, outcome: "partly", answer: "Gửi kèm bản sao dữ liệu." }),
    ok: 200,
  },
  { method: "GET", path: "/console/data-requests", access: "privacy.requests.read", ok: 200 },
  {
    method: "POST",
    path: "/console/data-requests",
    access: "privacy.requests.write",
    form: true,
    formFields: dataRequestBody,
    ok: 303,
  },
  {
    method: "GET",
    path: ({ dataRequestId }) => `/console/data-requests/${dataRequestId}`,
    access: "privacy.requests.read",
    ok: 200,
  },
  {
    method: "POST",
    path: ({ freshDataRequestId }) => `/console/data-requests/${freshDataRequestId}/acknowledge`,
    access: "privacy.requests.write",
    form: true,
    formFields: () => ({ version: "1", note: "Đã nhận yêu cầu." }),
    ok: 303,
  },
  {
    method: "POST",
    path: ({ freshDataRequestId }) => `/console/data-requests/${freshDataRequestId}/answer`,
    access: "privacy.requests.answer",
    form: true,
    formFields: () => ({ version: "1", outcome: "refused", answer: "Hồ sơ pháp luật buộc lưu giữ." }),
    ok: 303,
  },
];

const RULE_ID = "origin.unknown";
/** A product watchlist of CT, made in beforeAll (the seed's watchlists belong to Health). */
const WATCHLIST_ID = "rt.watchlist";

async function currentRule(id = RULE_ID) {
  const rule = (await p.flagging.current()).ruleSet.rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

function newRuleForm(): Record<string, string> {
  return {
    kind: "phrase",
    agency: "CT",
    title: "Quy tắc thử",
    enabled: "on",
    weight: "0.5",
    legalBasis: "Nghị định 98/2020/NĐ-CP.",
    explanation: "Tin có “{evidence}”.",
    phrases: "cụm thử nghiệm",
    "except.window": "6",
  };
}

function newApiRule() {
  return {
    kind: "phrase",
    version: 1,
    agency: "CT",
    title: "Quy tắc thử (API)",
    weight: 0.5,
    legalBasis: "Nghị định 98/2020/NĐ-CP.",
    explanation: "Tin có “{evidence}”.",
    phrases: ["cụm thử api"],
  };
}

/** Route patterns as the app registers them, to compare with the table. */
const PATTERN_CONTEXT: PathContext = {
  staffId: ":id",
  partyId: ":id",
  importId: ":id",
  freshImportId: ":id",
  inviteePartyId: ":id",
  invitationId: ":id",
  freshInvitationId: ":id",
  documentCode: ":code",
  unknownCode: ":code",
  missingId: ":id",
  token: ":token",
  index: ":index",
  ruleId: ":id",
  watchlistId: ":id",
  reportFile: ":id/:kind",
  reviewReport: ":id",
  reviewReportFile: ":id/:file",
  province: ":province",
  targetId: ":id",
  freshTargetId: ":id",
  captureId: ":id",
  artefactKey: "",
  jobId: ":id",
  deadLetterId: ":id",
  tipCode: ":code",
  caseId: ":id",
  freshCaseId: ":id",
  dataRequestId: ":id",
  freshDataRequestId: ":id",
};
const pattern = (route: RouteCase) =>
  `${route.method} ${(typeof route.path === "string" ? route.path : route.path(PATTERN_CONTEXT)).split("?")[0]}`;

let p: Awaited<ReturnType<typeof createTestPlatform>>;
const sessions = new Map<StaffRole, { cookie: string; csrf: string; staffId: string }>();
let partyId = "";
let importId = "";
let adminCookie = "";
let invitationId = "";
let documentCode = "";
let reportFile = "";
let reviewReport = "";
let targetId = "";
let captureId = "";
let artefactKey = "";
let jobId = "";
let caseId = "";
let dataRequestId = "";
const UNKNOWN_CODE = "CK-2026Q1-AAAAAAAA";

function newPartyBody() {
  return {
    name: `Sàn thử ${unique++}`,
    group: "ecommerce_platform",
    provinces: ["37"],
    taxCode: freshTaxCode(7),
  };
}

function consoleParty(): Record<string, string> {
  return {
    name: `Sàn console ${unique++}`,
    group: "ecommerce_platform",
    provinces: "37",
    taxCode: freshTaxCode(8),
  };
}

async function currentVersion(): Promise<number> {
  return (await p.repositories.parties.get(partyId))?.version ?? 0;
}

function importFile(): File {
  const csv = `Tên,Mã số thuế,Tỉnh/thành\nCông ty Nhập ${unique++},${freshTaxCode(9)},Ninh Bình\n`;
  return new File([csv], "nhap.csv", { type: "text/csv" });
}

async function previewAsAdmin(): Promise<string> {
  const body = new FormData();
  body.set("group", "ecommerce_platform");
  body.set("file", importFile());
  const res = await p.app.request("/api/v1/imports", {
    method: "POST",
    body,
    headers: { Cookie: adminCookie, Origin: "http://localhost" },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A new CT party with an e-mail contact, so that it can be invited. */
async function newInvitee(email = `moi${unique++}@example.vn`): Promise<string> {
  const res = await p.app.request("/api/v1/parties", {
    method: "POST",
    body: JSON.stringify({ ...newPartyBody(), contacts: [{ name: "Bộ phận pháp chế", email }] }),
    headers: { "Content-Type": "application/json", Cookie: adminCookie },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function newInvitation(email?: string): Promise<string> {
  const res = await p.app.request(`/api/v1/parties/${await newInvitee(email)}/invitations`, {
    method: "POST",
    headers: { Cookie: adminCookie, Origin: "http://localhost" },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A pledge signed through the signer's steps: the link from the e-mail, the one-time code, the form. */
async function signedPledge(): Promise<string> {
  const email = `ky${unique++}@example.vn`;
  await newInvitation(email);
  const meta = { ip: "203.0.113.40", userAgent: "route-table" };
  const { token, key } = await verifySigner(p, email, meta);
  return (await p.signing.sign(token, key, PLATFORM_SIGN_FORM, meta)).documentCode;
}

beforeAll(async () => {
  p = await createTestPlatform({ timeTravel: createTravelClock() });
  for (const role of STAFF_ROLES) {
    const cookie = await p.cookieFor(role, "CT");
    const html = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const me = (await (await p.app.request("/api/v1/me", { headers: { Cookie: cookie } })).json()) as {
      staffId: string;
    };
    sessions.set(role, { cookie, csrf, staffId: me.staffId });
  }
  adminCookie = sessions.get("admin")?.cookie ?? "";
  const watchlist = await p.app.request("/api/v1/rules", {
    method: "POST",
    body: JSON.stringify({
      rule: {
        ...newApiRule(),
        id: WATCHLIST_ID,
        kind: "product-watch",
        phrases: undefined,
        entries: [],
        context: [],
      },
    }),
    headers: { "Content-Type": "application/json", Cookie: adminCookie },
  });
  if (watchlist.status !== 201)
    throw new Error(`watchlist rule: ${watchlist.status} ${await watchlist.text()}`);
  const created = await p.app.request("/api/v1/parties", {
    method: "POST",
    body: JSON.stringify(newPartyBody()),
    headers: { "Content-Type": "application/json", Cookie: adminCookie },
  });
  partyId = ((await created.json()) as { id: string }).id;
  importId = await previewAsAdmin();
  invitationId = await newInvitation();
  documentCode = await signedPledge();
  const reviewer = sessions.get("reviewer");
  const report = await p.coverage.requestReport(
    {
      staffId: reviewer?.staffId ?? "",
      email: "reviewer.ct@demo.pledgewatch.vn",
      name: "Cán bộ xử lý",
      agency: "CT",
      province: "37",
      role: "reviewer",
    },
    { quarter: p.signing.currentQuarter() },
  );
  await p.tasks.idle();
  reportFile = `${report.id}/pdf`;
  const monthly = await p.reviewReports.request(
    {
      staffId: reviewer?.staffId ?? "",
      email: "reviewer.ct@demo.pledgewatch.vn",
      name: "Cán bộ xử lý",
      agency: "CT",
      province: "37",
      role: "reviewer",
    },
    { kind: "quality_monthly", period: periodIdAt("quality_monthly", p.clock.now()) },
  );
  await p.tasks.idle();
  reviewReport = monthly.id;
  targetId = await newTarget();
  const admin = DEMO_STAFF.find((s) => s.role === "admin");
  const actor = {
    staffId: sessions.get("admin")?.staffId ?? "admin",
    email: admin?.email ?? "",
    name: admin?.name ?? "",
    agency: "CT" as const,
    province: admin?.province ?? "37",
    role: "admin" as const,
  };
  const stored = await storedCapture(p.repositories.monitoring, p.documents, actor, targetId);
  captureId = stored.capture.id;
  artefactKey = stored.artefactKey;
  // An open job (no browser here: it stays open, its attempt failed), for the job pages.
  const job = await p.monitoring.requestCapture(actor, `https://example.com/mo/${unique++}`);
  jobId = job.id;
  caseId = await flaggedCase(p, { captureId });
  dataRequestId = await newDataRequest();
});

const CT_READER = {
  staffId: "route-table-ct",
  email: "route.table@example.vn",
  name: "Cán bộ CT",
  agency: "CT",
  province: "37",
  role: "reviewer",
} as const;

function dataRequestBody(): Record<string, string> {
  return {
    kind: "access",
    channel: "email",
    subjectName: `Người yêu cầu ${unique++}`,
    subjectContact: "nguoi.yeu.cau@example.vn",
    details: "Xin biết dữ liệu về tôi.",
  };
}

/** A data subject's request of the CT office of 37, just received. */
async function newDataRequest(): Promise<string> {
  return (await p.dataRequests.record(CT_READER, dataRequestBody())).id;
}

async function newTarget(): Promise<string> {
  const res = await p.app.request("/api/v1/monitoring/targets", {
    method: "POST",
    body: JSON.stringify({ url: `https://example.com/target/${unique++}`, kind: "shop", schedule: "daily" }),
    headers: { "Content-Type": "application/json", Cookie: adminCookie },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function pathOf(
  route: RouteCase,
  fresh: Pick<
    PathContext,
    | "staffId"
    | "freshImportId"
    | "inviteePartyId"
    | "freshInvitationId"
    | "freshTargetId"
    | "freshCaseId"
    | "freshDataRequestId"
  >,
): string {
  if (typeof route.path === "string") return route.path;
  return route.path({
    ...fresh,
    partyId,
    importId,
    invitationId,
    documentCode,
    unknownCode: UNKNOWN_CODE,
    missingId: "no-such-message",
    token: "a".repeat(43),
    index: "0",
    targetId,
    captureId,
    artefactKey,
    jobId,
    deadLetterId: "no-such-dead-letter",
    ruleId: RULE_ID,
    watchlistId: WATCHLIST_ID,
    reportFile,
    reviewReport,
    reviewReportFile: `${reviewReport}/pdf`,
    province: "37",
    tipCode: "ABCD-EFGH-JKMN-PQRS",
    caseId,
    dataRequestId,
  });
}

/** Fresh resources a route case makes for itself (its path names them), all of the CT office of 37. */
type Fresh = Pick<
  PathContext,
  | "freshImportId"
  | "inviteePartyId"
  | "freshInvitationId"
  | "freshTargetId"
  | "freshCaseId"
  | "freshDataRequestId"
>;

/**
 * Calls a route as `session` (or anonymously) with the request its case describes: its body, the
 * session's CSRF token for a form, the fresh resources its path names. `staffId` is the staff member
 * the path names (the caller's own by default).
 */
async function callRoute(
  route: RouteCase,
  session: { cookie: string; csrf: string; staffId: string } | undefined,
  staffId = session?.staffId ?? "nobody",
  /** Runs once the fresh resources exist, just before the request (a snapshot of them, say). */
  beforeRequest: (fresh: Fresh) => Promise<void> = async () => {},
): Promise<{ res: Response; path: string; fresh: Fresh }> {
  const headers: Record<string, string> = { Origin: "http://localhost" };
  if (session) headers.Cookie = session.cookie;
  let body: string | URLSearchParams | FormData | undefined;
  if (route.json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(await route.json());
  } else if (route.multipart) {
    const form = new FormData();
    if (route.form && session) form.set("_csrf", session.csrf);
    for (const [name, value] of Object.entries((await route.formFields?.()) ?? {})) form.set(name, value);
    if (route.upload) form.set("file", route.upload());
    else {
      form.set("group", "ecommerce_platform");
      form.set("file", importFile());
    }
    body = form;
  } else if (route.form || route.method === "POST") {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({
      ...(route.form && session ? { _csrf: session.csrf } : {}),
      ...((await route.formFields?.()) ?? {}),
    });
  }
  const names = route.path.toString();
  const fresh: Fresh = {
    freshImportId: names.includes("freshImportId") ? await previewAsAdmin() : "",
    inviteePartyId: names.includes("inviteePartyId") ? await newInvitee() : "",
    freshInvitationId: names.includes("freshInvitationId") ? await newInvitation() : "",
    freshTargetId: names.includes("freshTargetId") ? await newTarget() : "",
    freshCaseId: names.includes("freshCaseId") ? await flaggedCase(p) : "",
    freshDataRequestId: names.includes("freshDataRequestId") ? await newDataRequest() : "",
  };
  const path = pathOf(route, { staffId, ...fresh });
  await beforeRequest(fresh);
  const res = await p.app.request(path, { method: route.method, headers, body });
  return { res, path, fresh };
}

/** Signing out (here or everywhere) ends the caller's session: the next cases sign in again. */
const isSignOut = (route: RouteCase) => route.path === "/sign-out" || route.path === "/sign-out/everywhere";

function expectedFor(route: RouteCase, role: StaffRole | "anonymous"): number {
  if (route.access === "public") return role === "anonymous" ? route.ok : (route.okSignedIn ?? route.ok);
  const path = pattern(route).split(" ")[1] ?? "";
  if (role === "anonymous") return path.startsWith("/api/") ? 401 : 303;
  const allowed = STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(ACTIONS[route.access].minRole);
  return allowed ? route.ok : 403;
}

describe("route × role table", () => {
  it("lists every route the app serves", () => {
    const served = new Set(
      p.app.routes
        .filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const listed = new Set(ROUTES.map(pattern));
    // The asset route is one pattern serving several files.
    listed.add("GET /api/docs/assets/:name");
    listed.delete("GET /api/docs/assets/swagger-ui.css");
    expect([...served].sort()).toEqual([...listed].sort());
    // The app's ALL-method entries are its middleware (app.use), never an endpoint of their own: each is
    // on a wildcard or on the path of a route listed here.
    const all = p.app.routes.filter((r) => r.method === "ALL").map((r) => r.path);
    const listedPaths = new Set([...listed].map((route) => route.split(" ")[1]));
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((path) => !path.endsWith("*") && !listedPaths.has(path))).toEqual([]);
  });

  for (const route of ROUTES) {
    for (const role of ["anonymous", ...STAFF_ROLES] as const) {
      it(`${pattern(route)} as ${role} → ${expectedFor(route, role)}`, async () => {
        const session = role === "anonymous" ? undefined : sessions.get(role);
        const { res } = await callRoute(route, session);
        expect(
          res.status,
          await res
            .clone()
            .text()
            .then((t) => t.slice(0, 300)),
        ).toBe(expectedFor(route, role));
        if (role === "anonymous" && route.access !== "public" && res.status === 303) {
          expect(res.headers.get("location")).toMatch(/^\/sign-in/);
        }
        if (isSignOut(route) && session && role !== "anonymous" && res.status === 303) {
          // Signing out ended that session: sign in again for the next cases.
          const cookie = await p.cookieFor(role, "CT");
          const html = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
          sessions.set(role, {
            ...session,
            cookie,
            csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "",
          });
          if (role === "admin") adminCookie = cookie;
        }
      });
    }
  }
});

/** Appends `extra` ("a=1&b=2") to a path that may already hold a query string. */
const withQuery = (path: string, extra: string) => `${path}${path.includes("?") ? "&" : "?"}${extra}`;

/** The language link of a page (the one with `hreflang`), decoded. */
function languageLink(html: string): string {
  const href = /<a href="([^"]*)" hreflang="(?:vi|en)"/.exec(html)?.[1] ?? "";
  return href.replaceAll("&amp;", "&");
}

describe("every page and every read switches language with its filters (issue 24, item 8)", () => {
  const reads = ROUTES.filter(
    (route) =>
      route.method === "GET" &&
      !route.path.toString().includes("fresh") &&
      !route.path.toString().includes("invitee") &&
      !pattern(route).startsWith("GET /static/") &&
      !pattern(route).startsWith("GET /api/docs/assets/"),
  );

  for (const route of reads) {
    it(`${pattern(route)} accepts ?lang=en`, async () => {
      const session = sessions.get("admin");
      const path = withQuery(
        pathOf(route, {
          staffId: session?.staffId ?? "nobody",
          freshImportId: "",
          inviteePartyId: "",
          freshInvitationId: "",
          freshTargetId: "",
          freshCaseId: "",
        }),
        "lang=en",
      );
      const res = await p.app.request(path, { headers: { Cookie: session?.cookie ?? "" } });
      const text = await res.text();
      expect(res.status, text.slice(0, 300)).toBe(expectedFor(route, "admin"));
      if (res.status === 200 && (res.headers.get("content-type") ?? "").includes("text/html")) {
        expect(text).toContain('<html lang="en"');
      }
    });
  }

  const FILTERED: [path: string, status: number][] = [
    ["/console/cases?state=open&rule=counterfeit.slang&minAgeDays=0&maxAgeDays=30", 200],
    ["/console/parties?group=ecommerce_platform&status=active&q=shop", 200],
    ["/console/coverage?agency=CT&province=37", 200],
    ["/console/coverage/unsigned?family=platform", 200],
    ["/console/review/metrics?from=2026-01-01&to=2026-01-31", 200],
    ["/console/evaluations?agency=CT", 200],
    ["/registry?province=37&family=platform", 200],
    // A code nobody has: the page says so (404), in English, with a link back in Vietnamese.
    ["/tips/track?code=ABCD-EFGH-JKMN-PQRS", 404],
  ];
  for (const [path, status] of FILTERED) {
    it(`${path} in English keeps its filters, and its language link keeps them too`, async () => {
      const cookie = sessions.get("admin")?.cookie ?? "";
      const res = await p.app.request(withQuery(path, "lang=en"), { headers: { Cookie: cookie } });
      const html = await res.text();
      expect(res.status, html.slice(0, 300)).toBe(status);
      expect(html).toContain('<html lang="en"');
      const link = new URL(languageLink(html), "http://localhost");
      expect(link.pathname).toBe(path.split("?")[0]);
      expect(link.searchParams.get("lang")).toBe("vi");
      for (const [key, value] of new URLSearchParams(path.split("?")[1])) {
        expect(link.searchParams.get(key), key).toBe(value);
      }
    });
  }

  it("the English link of the Vietnamese queue keeps state and rule", async () => {
    const cookie = sessions.get("reviewer")?.cookie ?? "";
    const res = await p.app.request("/console/cases?state=open&rule=counterfeit.slang", {
      headers: { Cookie: cookie },
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(languageLink(html)).toBe("/console/cases?state=open&rule=counterfeit.slang&lang=en");
    const english = await p.app.request(languageLink(html), { headers: { Cookie: cookie } });
    const englishHtml = await english.text();
    expect(english.status, englishHtml.slice(0, 300)).toBe(200);
    expect(englishHtml).toContain('<html lang="en"');
    expect(languageLink(englishHtml)).toBe("/console/cases?state=open&rule=counterfeit.slang&lang=vi");
  });

  it("the JSON API accepts lang beside its filters", async () => {
    const cookie = sessions.get("admin")?.cookie ?? "";
    for (const path of [
      "/api/v1/cases?state=open&rule=counterfeit.slang&lang=en",
      "/api/v1/parties?group=ecommerce_platform&lang=vi",
      "/api/v1/public/pledges?province=37&lang=en",
      "/api/v1/staff?agency=CT&lang=en",
    ]) {
      const res = await p.app.request(path, { headers: { Cookie: cookie } });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    }
    const refused = await p.app.request("/api/v1/cases?lang=fr", { headers: { Cookie: cookie } });
    expect(refused.status).toBe(400);
  });
});

/**
 * The route × scope matrix (issue 19): every staff route, called by each non-admin role of two other
 * offices — another agency of the same province (VHTT of 37) and the same agency of another province
 * (CT of 01) — against the CT office of 37's resources, the ones the route × role table made. A route that
 * names one of those resources is refused (403, or 404 where existence is not told); a read shows none
 * of their ids; and no call changes any of them, as an admin reads them before and after.
 */
type Office = { agency: "CT" | "VHTT"; province: string };
const FOREIGN_OFFICES: readonly Office[] = [
  { agency: "VHTT", province: "37" },
  { agency: "CT", province: "01" },
];
const FOREIGN_ROLES = ["viewer", "reviewer", "lead"] as const;
/** The path parameters that name a resource of the CT office of 37. */
const OWNED_PARAMS = [
  "dataRequestId",
  "freshDataRequestId",
  "partyId",
  "importId",
  "freshImportId",
  "invitationId",
  "freshInvitationId",
  "inviteePartyId",
  "documentCode",
  "targetId",
  "freshTargetId",
  "captureId",
  "jobId",
  "caseId",
  "freshCaseId",
  "ruleId",
  "reportFile",
  "reviewReport",
  "reviewReportFile",
  "province",
  "staffId",
] as const;

/** The path parameters a route case's path reads (its function is called with a recording context). */
function paramsOf(route: RouteCase): Set<string> {
  const used = new Set<string>();
  if (typeof route.path === "function") {
    route.path(
      new Proxy({} as PathContext, {
        get: (_, name) => {
          used.add(String(name));
          return "x";
        },
      }),
    );
  }
  return used;
}

const anyOffice = () => true;
const sameAgency = (office: Office) => office.agency === "CT";
const sameProvince = (office: Office) => office.province === "37";
const RULES_READ =
  "rules are read by all staff: they quote the law, hold no personal data, and a preview tries a rule on the caller's own province's items";
const RULES_NATIONAL =
  "an agency's flagging rules and reference prices are one national set (they encode national decrees), changed by the agency's leads of any province, each version kept with its author";
/**
 * Cells where another office succeeds on purpose, and why (docs/decisions.md, "Route × scope matrix").
 * Everything else that names a resource of the CT office of 37 is refused.
 */
const SHARED: Record<string, { with: (office: Office) => boolean; why: string }> = {
  "GET /api/v1/rules/:id": { with: anyOffice, why: RULES_READ },
  "GET /console/rules/:id": { with: anyOffice, why: RULES_READ },
  "POST /api/v1/rules/:id/preview": { with: anyOffice, why: RULES_READ },
  "POST /console/rules/:id/preview": { with: anyOffice, why: RULES_READ },
  "POST /api/v1/rules": { with: sameAgency, why: RULES_NATIONAL },
  "POST /console/rules/new": { with: sameAgency, why: RULES_NATIONAL },
  "PUT /api/v1/rules/:id": { with: sameAgency, why: RULES_NATIONAL },
  "POST /console/rules/:id": { with: sameAgency, why: RULES_NATIONAL },
  "POST /console/rules/:id/watchlist": { with: sameAgency, why: RULES_NATIONAL },
  "PUT /api/v1/reference-prices": { with: sameAgency, why: RULES_NATIONAL },
  "POST /console/reference-prices": { with: sameAgency, why: RULES_NATIONAL },
  "GET /api/v1/renewal/settings/:province": {
    with: sameProvince,
    why: "a province has one renewal cycle for every agency's groups: its other agencies read it (only the standing office's leads change it)",
  },
};

const foreignSessions = new Map<string, { cookie: string; csrf: string; staffId: string }>();
const officeKey = (office: Office, role: string) => `${role} ${office.agency}/${office.province}`;

async function sessionOf(cookie: string) {
  const html = await (await p.app.request("/console", { headers: { Cookie: cookie } })).text();
  const me = (await (await p.app.request("/api/v1/me", { headers: { Cookie: cookie } })).json()) as {
    staffId: string;
  };
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "", staffId: me.staffId };
}

const outsidersMade = new Set<string>();

/** A staff account of an office the demo data has none of (CT of 01), made once, signed in. */
async function outsider(office: Office, role: StaffRole): Promise<string> {
  const email = `${role}.${office.agency.toLowerCase()}.${office.province}@scope.test`;
  const now = new Date().toISOString();
  if (!outsidersMade.has(email))
    await p.repositories.staff.create({
      id: `scope-${role}-${office.agency}-${office.province}`,
      email,
      name: `Cán bộ ${role} ${office.agency} ${office.province}`,
      role,
      agency: office.agency,
      province: office.province,
      status: "active",
      passwordHash: await hashPassword("Pham-vi-2026-kiem-tra"),
      createdAt: now,
      updatedAt: now,
    });
  outsidersMade.add(email);
  const { cookie } = await p.signIn(email, "Pham-vi-2026-kiem-tra");
  if (!cookie) throw new Error(`sign-in failed for ${email}`);
  return cookie;
}

async function signInForeign(office: Office, role: (typeof FOREIGN_ROLES)[number]) {
  const cookie =
    office.province === "37" ? await p.cookieFor(role, office.agency) : await outsider(office, role);
  foreignSessions.set(officeKey(office, role), await sessionOf(cookie));
}

/** What an admin reads of the CT office of 37's resources (and of the fresh ones a case made). */
async function ownerState(fresh: Fresh): Promise<string[]> {
  const ownerStaffId = sessions.get("reviewer")?.staffId ?? "";
  const reads = [
    `/api/v1/parties/${partyId}`,
    `/api/v1/parties/${partyId}/history`,
    `/api/v1/parties/${partyId}/pledges`,
    `/api/v1/imports/${importId}`,
    `/api/v1/pledges/${documentCode}`,
    `/api/v1/monitoring/targets/${targetId}`,
    `/api/v1/monitoring/captures/${captureId}`,
    `/api/v1/monitoring/jobs/${jobId}`,
    `/api/v1/cases/${caseId}`,
    `/api/v1/review/reports/${reviewReport}`,
    `/api/v1/renewal/settings/37`,
    `/api/v1/rules/${RULE_ID}`,
    `/api/v1/staff/${ownerStaffId}`,
    `/api/v1/data-requests/${dataRequestId}`,
    ...(fresh.freshDataRequestId ? [`/api/v1/data-requests/${fresh.freshDataRequestId}`] : []),
    ...(fresh.freshImportId ? [`/api/v1/imports/${fresh.freshImportId}`] : []),
    ...(fresh.inviteePartyId ? [`/api/v1/parties/${fresh.inviteePartyId}/pledges`] : []),
    ...(fresh.freshTargetId ? [`/api/v1/monitoring/targets/${fresh.freshTargetId}`] : []),
    ...(fresh.freshCaseId ? [`/api/v1/cases/${fresh.freshCaseId}`] : []),
  ];
  return Promise.all(
    reads.map(async (path) => {
      const res = await p.app.request(path, { headers: { Cookie: adminCookie } });
      return `${path} ${res.status} ${await res.text()}`;
    }),
  );
}

/** The ids of the CT office of 37's resources, none of which another office's read may show. */
function ownedIds(fresh: Fresh): string[] {
  return [
    partyId,
    importId,
    invitationId,
    documentCode,
    targetId,
    captureId,
    jobId,
    caseId,
    dataRequestId,
    reviewReport,
    reportFile.split("/")[0] ?? "",
    ...[...sessions.values()].map((s) => s.staffId),
    ...Object.values(fresh),
  ].filter((id) => id.length >= 8);
}

describe("route × scope matrix", () => {
  const scoped = ROUTES.filter(
    (route) => route.access !== "public" && ACTIONS[route.access].minRole !== "admin",
  );
  let cells = 0;

  beforeAll(async () => {
    for (const office of FOREIGN_OFFICES) for (const role of FOREIGN_ROLES) await signInForeign(office, role);
  });
  afterAll(() => {
    console.info(
      `route × scope matrix: ${scoped.length} routes × ${FOREIGN_OFFICES.length} offices × ${FOREIGN_ROLES.length} roles = ${cells} cells`,
    );
  });

  for (const route of scoped) {
    const owned = OWNED_PARAMS.filter((name) => paramsOf(route).has(name));
    const shared = SHARED[pattern(route)];
    it(`${pattern(route)} from another office: ${owned.length > 0 ? "refused" : "its own office's only"}`, async () => {
      for (const office of FOREIGN_OFFICES) {
        for (const role of FOREIGN_ROLES) {
          const key = officeKey(office, role);
          const session = foreignSessions.get(key);
          let before: string[] = [];
          const { res, path, fresh } = await callRoute(
            route,
            session,
            sessions.get("reviewer")?.staffId,
            async (made) => {
              if (route.method !== "GET") before = await ownerState(made);
            },
          );
          cells++;
          const text = await res.text();
          const where = `${route.method} ${path} as ${key}: ${res.status} ${text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (shared?.with(office)) continue;
          if (owned.length > 0) expect([403, 404], where).toContain(res.status);
          if (route.method === "GET") {
            // A page may echo the address it was asked for (its language link): that is not a leak.
            const shown = ownedIds(fresh).filter((id) => text.includes(id) && !path.includes(id));
            expect(shown, where).toEqual([]);
          } else {
            // Nothing of the owner's changed (the fresh resources a case made included).
            expect(await ownerState(fresh), where).toEqual(before);
          }
          if (isSignOut(route) && res.status === 303) await signInForeign(office, role);
        }
      }
    });
  }
});
