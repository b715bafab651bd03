import { z } from "zod";
import { AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { PledgeFamilySchema, type SignerGroup, SignerGroupSchema } from "../reference/signer-groups";
import { foldVietnamese } from "../text/fold";

/** An obligated party: someone who must sign a pledge. The registry's record. */
export const PartyStatusSchema = z.enum(["active", "ceased", "exempt"]);
export type PartyStatus = z.infer<typeof PartyStatusSchema>;

export const SOCIAL_NETWORKS = [
  "facebook",
  "tiktok",
  "youtube",
  "instagram",
  "x",
  "zalo",
  "threads",
] as const;

export const ProfileSchema = z.object({
  network: z.enum(SOCIAL_NETWORKS),
  handle: z.string(),
  url: z.string(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const ContactSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const PartyIdentifiersSchema = z.object({
  /** Agency-assigned reference (mã quản lý), unique within the owning agency. */
  refCode: z.string().optional(),
  taxCode: z.string().optional(),
  pressLicence: z.string().optional(),
  practisingCertificate: z.string().optional(),
  profiles: z.array(ProfileSchema),
});
export type PartyIdentifiers = z.infer<typeof PartyIdentifiersSchema>;

export const ActorRefSchema = z.object({ staffId: z.string(), name: z.string() });
export type ActorRef = z.infer<typeof ActorRefSchema>;

export const PartySchema = z.object({
  id: z.string(),
  name: z.string(),
  group: SignerGroupSchema,
  family: PledgeFamilySchema,
  agency: AgencyCodeSchema,
  /** Set when an admin moved the party away from its group's default agency. */
  agencyOverride: z.object({ reason: z.string(), by: ActorRefSchema, at: z.string() }).optional(),
  provinces: z.array(ProvinceCodeSchema).min(1),
  ward: z.string().optional(),
  identifiers: PartyIdentifiersSchema,
  contacts: z.array(ContactSchema),
  status: PartyStatusSchema,
  statusReason: z.string().optional(),
  obligatedFrom: z.string(),
  notes: z.string().optional(),
  /** The current quarter's pledge, maintained by the signing capability; absent = not signed. */
  pledge: z.object({ quarter: z.string(), status: z.string(), documentCode: z.string() }).optional(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: ActorRefSchema,
  updatedBy: ActorRefSchema,
  /**
   * The import that created the party. Such a creation has no stored history entry (one item fewer per
   * imported party): the repository derives it from this, `createdAt`, `createdBy` and the first version.
   */
  createdByImport: z.string().optional(),
});
export type Party = z.infer<typeof PartySchema>;

export const PartyChangeSchema = z.object({
  partyId: z.string(),
  at: z.string(),
  by: ActorRefSchema,
  action: z.enum([
    "created",
    "updated",
    "ceased",
    "owner_changed",
    "imported_created",
    "imported_updated",
    "import_rolled_back",
    "pledge_signed",
    "pledge_revoked",
    "pledge_breached",
  ]),
  /** The import a change came from. */
  importId: z.string().optional(),
  reason: z.string().optional(),
  before: PartySchema.nullable(),
  after: PartySchema,
});
export type PartyChange = z.infer<typeof PartyChangeSchema>;

/** Which identifier each group must have: the one its register is kept by. */
export const REQUIRED_IDENTIFIER: Partial<Record<SignerGroup, keyof PartyIdentifiers>> = {
  ecommerce_platform: "taxCode",
  social_network: "taxCode",
  advertiser: "taxCode",
  press: "pressLicence",
  news_site: "pressLicence",
  kol: "profiles",
  doctor: "practisingCertificate",
};

/**
 * Keys that identify a party across imports and searches. Each is claimed by one party only, so a
 * re-import of the same row updates instead of duplicating.
 */
export function identifierKeys(party: Pick<Party, "agency" | "identifiers">): string[] {
  const { refCode, taxCode, pressLicence, practisingCertificate, profiles } = party.identifiers;
  const keys: string[] = [];
  if (taxCode) keys.push(`tax:${taxCode}`);
  if (pressLicence) keys.push(`press:${pressLicence}`);
  if (practisingCertificate) keys.push(`cchn:${practisingCertificate}`);
  for (const profile of profiles) keys.push(`profile:${profile.url}`);
  if (refCode) keys.push(`ref:${party.agency}:${foldVietnamese(refCode)}`);
  return [...new Set(keys)];
}

/** How many word-boundary suffixes of a name are indexed for search ("tnhh shopee", "shopee", …). */
// Long enough for "Công ty Cổ phần Thương mại Điện tử Hoa Lư" (10 words) to be found by its last words.
const MAX_SUFFIXES = 16;
const MAX_SUFFIX_LENGTH = 80;

/**
 * How most organisation names open: a legal form ("Công ty TNHH…", "Công ty Cổ phần…", "Hộ kinh doanh…",
 * "Cửa hàng…") and then, often, a line of business ("Thương mại Điện tử", "Xuất nhập khẩu"). Nobody
 * searches for "mai dien tu minh phat": the distinctive part is what follows. So in a name that opens with
 * a legal form, suffixes starting inside that generic opening are not indexed, except the name without
 * its legal form ("thuong mai dien tu minh phat"): about half the index items of a company, same results
 * for what people type.
 */
const ORGANISATION_OPENINGS = new Set(["cong ty", "doanh nghiep", "ho kinh", "cua hang", "chi nhanh"]);
const LEGAL_FORM_WORDS = new Set(
  "cong ty tnhh mtv cp co phan trach nhiem huu han mot thanh vien doanh nghiep tu nhan ho kinh cua hang chi nhanh tap doan".split(
    " ",
  ),
);
/** Lines of business that commonly follow the legal form. */
const BUSINESS_LINE_WORDS = new Set(
  "thuong mai dien tu dich vu xuat nhap khau san dau cong nghe quang cao truyen thong my pham thoi trang thuc va".split(
    " ",
  ),
);

/** Where an organisation's name ends its legal form ("cong ty tnhh …" → 3); 0 for any other name. */
function legalFormLength(words: readonly string[]): number {
  if (!ORGANISATION_OPENINGS.has(words.slice(0, 2).join(" "))) return 0;
  let legal = 0;
  while (legal < words.length - 1 && LEGAL_FORM_WORDS.has(words[legal] ?? "")) legal++;
  return legal;
}

/**
 * The search index entries of a name, folded (no case, no diacritics): the name without its legal form
 * ("Công ty TNHH Shopee" → "shopee"; any other name whole), then every suffix that starts at a word after
 * the organisation's generic opening (legal form and line of business). A query matches an entry when the
 * entry starts with the folded query, after the query has lost its own legal form (`searchText`): so
 * "shopee" and "cong ty tnhh shopee" find "Công ty TNHH Shopee", "thuong mai dien tu minh phat" and "minh
 * phat" find "Công ty TNHH Thương mại Điện tử Minh Phát", and "nguyen van a" finds "Nguyễn Văn An".
 * Entries shorter than a query can be (2 characters) are useless and left out.
 */
export function searchSuffixes(name: string): string[] {
  const words = foldVietnamese(name).split(" ").filter(Boolean);
  const legal = legalFormLength(words);
  const suffixes: string[] = [words.slice(legal).join(" ").slice(0, MAX_SUFFIX_LENGTH)];
  // Only an organisation's name opens with a legal form; a person called "Phan Thanh Tú" keeps every entry.
  let first = 1;
  if (legal > 0) {
    let distinct = legal;
    while (distinct < words.length - 1 && BUSINESS_LINE_WORDS.has(words[distinct] ?? "")) distinct++;
    first = Math.max(distinct, legal + 1);
  }
  for (let i = first; i < words.length && suffixes.length < MAX_SUFFIXES; i++) {
    const suffix = words.slice(i).join(" ").slice(0, MAX_SUFFIX_LENGTH);
    if (suffix.length >= MIN_QUERY_LENGTH) suffixes.push(suffix);
  }
  return [...new Set(suffixes)];
}

/** Shortest search text: a single letter would match a large share of the registry. */
export const MIN_QUERY_LENGTH = 2;

/**
 * A search query as the index expects it: folded, and without an organisation's legal form, which the
 * index leaves out ("Công ty TNHH Shopee" → "shopee"). A query that is nothing but a legal form is kept
 * whole (it then finds no one: the index holds no entry that starts with one).
 */
export function searchText(query: string): string {
  const words = foldVietnamese(query).split(" ").filter(Boolean);
  const legal = legalFormLength([...words, ""]);
  return (legal < words.length ? words.slice(legal) : words).join(" ");
}
