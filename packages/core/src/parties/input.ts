import { z } from "zod";
import { vietnamDate } from "../coverage/settings";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { SIGNER_GROUP_INFO, SignerGroupSchema } from "../reference/signer-groups";
import { nfc } from "../text/fold";
import {
  EmailSchema,
  PhoneSchema,
  PractisingCertificateSchema,
  PressLicenceSchema,
  SocialProfileSchema,
  TaxCodeSchema,
} from "./identifiers";
import { type ActorRef, type Party, PartyStatusSchema, REQUIRED_IDENTIFIER } from "./model";

const text = (max: number) =>
  z
    .string()
    .transform(nfc)
    .pipe(z.string().max(max, `Tối đa ${max} ký tự`));
const optionalText = (max: number) =>
  text(max)
    .optional()
    .transform((v) => (v ? v : undefined));

const isoDate = z.iso.date({ message: "Ngày phải có dạng YYYY-MM-DD" });

export const ContactInputSchema = z.strictObject({
  name: text(120).pipe(z.string().min(1, "Cần tên người liên hệ")),
  title: optionalText(120),
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
});

/** The fields a person (form, API, import row) gives for a party. Everything else is derived. */
const PartyFieldsSchema = z.strictObject({
  name: text(300).pipe(z.string().min(2, "Tên quá ngắn")),
  group: SignerGroupSchema,
  provinces: z
    .array(ProvinceCodeSchema)
    .min(1, "Cần ít nhất một tỉnh/thành")
    .max(34)
    .transform((codes) => [...new Set(codes)].sort()),
  ward: optionalText(120),
  refCode: optionalText(60),
  taxCode: TaxCodeSchema.optional(),
  pressLicence: PressLicenceSchema.optional(),
  practisingCertificate: PractisingCertificateSchema.optional(),
  profiles: z.array(SocialProfileSchema).max(10).optional(),
  contacts: z.array(ContactInputSchema).max(10).optional(),
  status: PartyStatusSchema.optional(),
  statusReason: optionalText(500),
  obligatedFrom: isoDate.optional(),
  notes: optionalText(2000),
});

export type PartyFields = z.infer<typeof PartyFieldsSchema>;

/** Rules across fields, shared by create, update and import. */
export function checkPartyRules(
  fields: Partial<PartyFields>,
  ctx: z.RefinementCtx,
  group = fields.group,
): void {
  if (group) {
    const required = REQUIRED_IDENTIFIER[group];
    const value = required ? fields[required] : undefined;
    if (required && (value === undefined || (Array.isArray(value) && value.length === 0))) {
      ctx.addIssue({ code: "custom", path: [required], message: REQUIRED_MESSAGES[required] });
    }
    const hasAny =
      fields.refCode ||
      fields.taxCode ||
      fields.pressLicence ||
      fields.practisingCertificate ||
      fields.profiles?.length;
    if (!required && !hasAny) {
      ctx.addIssue({
        code: "custom",
        path: ["refCode"],
        message:
          "Cần ít nhất một mã định danh: mã quản lý, mã số thuế, số giấy phép, chứng chỉ hành nghề hoặc trang mạng xã hội",
      });
    }
  }
  if (fields.status && fields.status !== "active" && !fields.statusReason) {
    ctx.addIssue({
      code: "custom",
      path: ["statusReason"],
      message: "Cần nêu lý do khi ngừng hoạt động hoặc miễn trừ",
    });
  }
}

const REQUIRED_MESSAGES: Record<string, string> = {
  taxCode: "Nhóm này cần mã số thuế",
  pressLicence: "Nhóm này cần số giấy phép hoạt động báo chí / trang tin",
  practisingCertificate: "Nhóm này cần số chứng chỉ hành nghề",
  profiles: "Nhóm này cần ít nhất một trang mạng xã hội",
};

// Cross-field rules run once every field is valid on its own, so one mistake is not reported twice.
export const PartyInputSchema = PartyFieldsSchema.superRefine((fields, ctx) => checkPartyRules(fields, ctx), {
  when: (payload) => payload.issues.length === 0,
});
export type PartyInput = z.infer<typeof PartyInputSchema>;

/** A change to an existing party. `version` is the version the editor saw (optimistic locking). */
export const PartyUpdateSchema = PartyFieldsSchema.omit({ group: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type PartyUpdate = z.infer<typeof PartyUpdateSchema>;

export const CeasePartySchema = z.strictObject({
  version: z.number().int().min(1),
  reason: text(500).pipe(z.string().min(3, "Cần nêu lý do")),
});

export const ChangeOwnerSchema = z.strictObject({
  version: z.number().int().min(1),
  agency: AgencyCodeSchema,
  reason: text(500).pipe(z.string().min(3, "Cần nêu lý do")),
});

/** Builds a new party record from validated fields. */
export function newParty(input: PartyInput, id: string, actor: ActorRef, now: Date): Party {
  const info = SIGNER_GROUP_INFO[input.group];
  const iso = now.toISOString();
  return {
    id,
    name: input.name,
    group: input.group,
    family: info.family,
    agency: info.agency,
    provinces: input.provinces,
    ward: input.ward,
    identifiers: {
      refCode: input.refCode,
      taxCode: input.taxCode,
      pressLicence: input.pressLicence,
      practisingCertificate: input.practisingCertificate,
      profiles: input.profiles ?? [],
    },
    contacts: input.contacts ?? [],
    status: input.status ?? "active",
    statusReason: input.status && input.status !== "active" ? input.statusReason : undefined,
    // The calendar day in Vietnam (a party registered at 01:00 on 10 May is obligated from 10 May).
    obligatedFrom: input.obligatedFrom ?? vietnamDate(now),
    notes: input.notes,
    version: 1,
    createdAt: iso,
    updatedAt: iso,
    createdBy: actor,
    updatedBy: actor,
  };
}

/** Applies a change to a party: given fields replace the old ones; absent fields stay. */
export function applyUpdate(
  party: Party,
  update: Omit<PartyUpdate, "version">,
  actor: ActorRef,
  now: Date,
): Party {
  const identifiers = { ...party.identifiers };
  if (update.refCode !== undefined) identifiers.refCode = update.refCode;
  if (update.taxCode !== undefined) identifiers.taxCode = update.taxCode;
  if (update.pressLicence !== undefined) identifiers.pressLicence = update.pressLicence;
  if (update.practisingCertificate !== undefined)
    identifiers.practisingCertificate = update.practisingCertificate;
  if (update.profiles !== undefined) identifiers.profiles = update.profiles;
  const status = update.status ?? party.status;
  return {
    ...party,
    name: update.name ?? party.name,
    provinces: update.provinces ?? party.provinces,
    ward: update.ward ?? party.ward,
    identifiers,
    contacts: update.contacts ?? party.contacts,
    status,
    statusReason: status === "active" ? undefined : (update.statusReason ?? party.statusReason),
    obligatedFrom: update.obligatedFrom ?? party.obligatedFrom,
    notes: update.notes ?? party.notes,
    version: party.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: actor,
  };
}

/** The same cross-field rules, checked on a whole record (after an update or an import merge). */
export function partyRuleIssues(party: Party): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  const { identifiers } = party;
  const ctx = {
    addIssue: (issue: { path?: PropertyKey[]; message?: string }) =>
      issues.push({ field: (issue.path ?? []).map(String).join("."), message: issue.message ?? "" }),
  } as unknown as z.RefinementCtx;
  checkPartyRules(
    {
      refCode: identifiers.refCode,
      taxCode: identifiers.taxCode,
      pressLicence: identifiers.pressLicence,
      practisingCertificate: identifiers.practisingCertificate,
      profiles: identifiers.profiles,
      status: party.status,
      statusReason: party.statusReason,
    },
    ctx,
    party.group,
  );
  return issues;
}

/**
 * A re-imported row updates its party: cells given replace old values, empty cells leave them, and
 * provinces and profiles are added to, never removed (another province's staff may have added theirs).
 */
export function applyImport(party: Party, input: PartyInput, actor: ActorRef, now: Date): Party {
  const provinces = [...new Set([...party.provinces, ...input.provinces])].sort();
  const profiles = [...party.identifiers.profiles];
  for (const profile of input.profiles ?? []) {
    if (!profiles.some((p) => p.url === profile.url)) profiles.push(profile);
  }
  return applyUpdate(
    party,
    {
      name: input.name,
      provinces,
      ward: input.ward,
      refCode: input.refCode,
      taxCode: input.taxCode,
      pressLicence: input.pressLicence,
      practisingCertificate: input.practisingCertificate,
      profiles,
      contacts: input.contacts,
      status: input.status,
      statusReason: input.statusReason,
      obligatedFrom: input.obligatedFrom,
      notes: input.notes,
    },
    actor,
    now,
  );
}
