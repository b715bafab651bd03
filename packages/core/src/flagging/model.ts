import { z } from "zod";
import { AgencyCodeSchema } from "../reference/agencies";

/**
 * The flagging contract: what is evaluated (an item captured from a marketplace, a social network or a
 * website), the rules it is evaluated against (data, stored and versioned), and what comes out (a
 * decision with checkable reasons). The engine lives in packages/rules; these schemas are shared by the
 * engine, the CLI (`npx pledgewatch flag`), the capture pipeline and the review queues.
 */

export const ITEM_KINDS = ["listing", "ad", "post"] as const;
export const ItemKindSchema = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKindSchema>;

/** The longest value of each text field of an item (UTF-16 code units). */
const ITEM_LIMITS = {
  id: 200,
  platform: 100,
  title: 2_000,
  text: 100_000,
  seller: 500,
  category: 500,
  url: 2_000,
};

/** One captured item, as the CLI reads it line by line and the capture pipeline hands it over. */
export const FlagItemSchema = z.object({
  id: z.string().trim().min(1).max(ITEM_LIMITS.id),
  kind: ItemKindSchema,
  platform: z.string().trim().min(1).max(ITEM_LIMITS.platform),
  title: z.string().max(ITEM_LIMITS.title),
  text: z.string().max(ITEM_LIMITS.text).nullish(),
  /** VND. Marketplace exports sometimes carry the price as text or the category as a number code. */
  price: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" && /^\d+$/.test(v.trim()) ? Number(v) : v),
    z.number().nonnegative().finite().nullish(),
  ),
  seller: z.string().max(ITEM_LIMITS.seller).nullish(),
  category: z.preprocess(
    (v) => (typeof v === "number" ? String(v) : v),
    z.string().max(ITEM_LIMITS.category).nullish(),
  ),
  url: z.string().max(ITEM_LIMITS.url).nullish(),
});
export type FlagItem = z.infer<typeof FlagItemSchema>;

/**
 * The common case of `FlagItemSchema.parse` without zod's per-field machinery, for the CLI's hot loop
 * (`pledgewatch flag`): an item whose fields already have their final shape (strings trimmed,
 * the price a number) comes back as the schema would return it, unknown keys left out. Anything else
 * — a value to convert or trim, a wrong type, a limit passed — gives `undefined`, and the caller asks
 * the schema, which converts it or says what is wrong. Tested against the schema in model.test.ts.
 */
export function plainFlagItem(raw: unknown): FlagItem | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const { id, kind, platform, title, price } = o;
  if (typeof id !== "string" || id.length === 0 || id.length > ITEM_LIMITS.id || id !== id.trim())
    return undefined;
  if (!(ITEM_KINDS as readonly unknown[]).includes(kind)) return undefined;
  if (typeof platform !== "string" || platform.length === 0 || platform.length > ITEM_LIMITS.platform)
    return undefined;
  if (platform !== platform.trim() || typeof title !== "string" || title.length > ITEM_LIMITS.title)
    return undefined;
  const item: FlagItem = { id, kind: kind as ItemKind, platform, title };
  if (price !== undefined) {
    if (price !== null && (typeof price !== "number" || !Number.isFinite(price) || price < 0))
      return undefined;
    item.price = price;
  }
  for (const key of ["text", "seller", "category", "url"] as const) {
    const value = o[key];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== "string" || value.length > ITEM_LIMITS[key])) return undefined;
    item[key] = value;
  }
  return item;
}

/**
 * What a flag points to: the violation types of the labelled sets (docs/labelling-guide.md). A rule names
 * the one it detects; quality is measured per type. (A case's confirmed violation uses the reports' own,
 * coarser list: review/model.ts.)
 */
export const FLAG_TYPES = [
  "counterfeit",
  "smuggled",
  "unknown_origin",
  "banned",
  "price_anomaly",
  "health_claim",
  "missing_disclaimer",
  "doctor_endorsement",
  "unlicensed_drug",
  "prescription_drug",
  "false_ad",
  "undisclosed_ad",
  "ip",
] as const;
export const FlagTypeSchema = z.enum(FLAG_TYPES);
export type FlagType = z.infer<typeof FlagTypeSchema>;

export const EVIDENCE_FIELDS = ["title", "text", "price", "seller", "category"] as const;

/** One reason: which rule, the text that triggered it, and the law a reviewer checks it against. */
export const ReasonSchema = z.object({
  rule: z.string(),
  evidence: z.string(),
  legalBasis: z.string(),
  /** Where the evidence is: the field and the UTF-16 offsets in its NFC form (null for absences). */
  field: z.enum(EVIDENCE_FIELDS).nullable(),
  start: z.number().int().nullable(),
  end: z.number().int().nullable(),
  version: z.number().int(),
  agency: AgencyCodeSchema,
  /** The violation type the rule points to (absent on reasons recorded before rules named one). */
  flagType: FlagTypeSchema.optional(),
  weight: z.number(),
  /** The rule's explanation template filled in, in Vietnamese. */
  explanation: z.string(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const DecisionSchema = z.object({
  id: z.string(),
  flagged: z.boolean(),
  score: z.number().min(0).max(1),
  agency: AgencyCodeSchema.nullable(),
  reasons: z.array(ReasonSchema),
  /** The rule set the decision was made with. */
  ruleSetVersion: z.number().int(),
});
export type Decision = z.infer<typeof DecisionSchema>;

/** What the CLI writes for a line it could not evaluate. */
export const LineErrorSchema = z.object({
  line: z.number().int().positive(),
  id: z.string().optional(),
  error: z.object({
    code: z.enum(["invalid_json", "invalid_item"]),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});
export type LineError = z.infer<typeof LineErrorSchema>;

const Phrase = z.string().trim().min(1).max(200);
const Phrases = z.array(Phrase).max(2_000);

/** Context that turns a match into a non-match: "nói không với hàng fake", a news report on fakes. */
export const ExceptionsSchema = z
  .object({
    /** Phrases that, found up to `window` words before the match in the same sentence, cancel it. */
    before: Phrases.default([]),
    /** Phrases that, found up to `window` words after the match in the same sentence, cancel it
     * ("rep ib" is a reply, "fake đền tiền" a guarantee). */
    after: Phrases.default([]),
    window: z.number().int().min(1).max(20).default(6),
    /** Phrases that, found anywhere in the item, cancel the rule for the whole item. */
    anywhere: Phrases.default([]),
    /** Categories (compared without case or diacritics, as a part of the category) where the rule does
     * not apply. */
    categories: Phrases.default([]),
  })
  .strict();
export type RuleExceptions = z.infer<typeof ExceptionsSchema>;

const RuleBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "lowercase letters, digits, dots and dashes (rule id)"),
  version: z.number().int().min(1),
  agency: AgencyCodeSchema,
  /** The violation type a hit points to; quality is reported per type. Optional for rules staff add. */
  flagType: FlagTypeSchema.optional(),
  title: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  /** 0..1: how likely one hit alone is a real violation; scores combine as independent evidence. */
  weight: z.number().min(0).max(1),
  /** Vietnamese, shown to the reviewer and written into every reason. */
  legalBasis: z.string().trim().min(1).max(1_000),
  /** Vietnamese; `{evidence}` and `{rule}` are filled in. */
  explanation: z.string().trim().min(1).max(1_000),
  /** Only for these item kinds (all when empty). */
  kinds: z.array(ItemKindSchema).default([]),
  except: ExceptionsSchema.default({ before: [], after: [], window: 6, anywhere: [], categories: [] }),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
};

export const PhraseRuleSchema = z
  .object({ ...RuleBase, kind: z.literal("phrase"), phrases: Phrases.min(1) })
  .strict();

export const NearRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("near"),
    first: Phrases.min(1),
    second: Phrases.min(1),
    /** Words between the end of one and the start of the other, in either order, same sentence. */
    window: z.number().int().min(0).max(40),
    /** When not empty, one of these must also be in the item: a doctor recommending a product, not
     * giving advice ("viên", "sữa", "sản phẩm", "đặt hàng"). */
    context: Phrases.default([]),
  })
  .strict();

export const TogetherRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("together"),
    /** Every group must match somewhere in the item. */
    groups: z.array(Phrases.min(1)).min(2).max(5),
  })
  .strict();

export const MissingRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("missing"),
    /** The rule applies when one of these matches (or the category contains one of `whenCategories`). */
    when: Phrases.min(1),
    whenCategories: Phrases.default([]),
    /** …and none of these is present. */
    required: Phrases.min(1),
  })
  .strict();

export const PriceRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("price"),
    /** Flag when the price is below this share of the catalogue's reference price. */
    maxRatio: z.number().gt(0).lt(1),
    /** Accessories and used goods are priced low legitimately: these in the title cancel the rule… */
    excluded: Phrases.default([]),
    /** …and these anywhere (title or text): used goods, rentals, deposits. */
    excludedAnywhere: Phrases.default([]),
    /** Words that usually mean used goods ("thanh lý") but not when the item says it is new: these cancel
     * the rule only when none of `newGoods` is in the item. */
    excludedUnlessNew: Phrases.default([]),
    newGoods: Phrases.default([]),
  })
  .strict();

export const SellerWatchRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("seller-watch"),
    /** Sellers or KOLs with a confirmed violation or a breached pledge (matched on the seller field
     * and as a name in the text). */
    entries: z
      .array(z.object({ name: Phrase, note: z.string().max(500) }).strict())
      .min(1)
      .max(5_000),
  })
  .strict();

export const BrandWatchRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("brand-watch"),
    /** A listing that names the brand and claims it genuine, by a seller who is not authorised. */
    brands: z
      .array(z.object({ brand: Phrase, authorisedSellers: Phrases.min(1) }).strict())
      .min(1)
      .max(1_000),
    claims: Phrases.min(1),
  })
  .strict();

/** Where a watchlist's entries came from: the file staff loaded (docs/decisions.md, Watchlists). */
export const WatchlistSourceSchema = z
  .object({
    file: z.string().trim().min(1).max(200),
    rows: z.number().int().nonnegative(),
    loadedAt: z.string(),
    loadedBy: z.string().max(200),
  })
  .strict();
export type WatchlistSource = z.infer<typeof WatchlistSourceSchema>;

export const ProductWatchRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("product-watch"),
    /** Products named in a regulator's published list (a counterfeit-drug notice, a health-advertising
     * warning), found as phrases in the title or text; the note is the list's line a reviewer checks. */
    entries: z.array(z.object({ name: Phrase, note: z.string().max(500) }).strict()).max(5_000),
    /** When not empty, one of these must also be in the item ("thuốc", "viên", "mg"): short product names
     * ("M9") are common words elsewhere. */
    context: Phrases.default([]),
    source: WatchlistSourceSchema.optional(),
  })
  .strict();

export const LookalikeRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("lookalike"),
    /** Brand names of one word, three letters or more: a title word one letter away from one of them
     * ("adidos", "samsumg", "guccl"), or spelled as it sounds ("addidaz", "kasio"), is a lookalike brand;
     * of a four-letter brand, only a letter added ("nikee") or a look-alike letter ("soni"), since many
     * real words are four letters; of a three-letter brand, only a look-alike letter ("jbi") or a letter
     * doubled ("jbll"). Or of two words of three letters or more ("north face"), matched by two Latin
     * title words one letter away ("North Fase"). */
    brands: z
      .array(
        z
          .string()
          .trim()
          .regex(
            /^(\p{L}{3,30}|\p{L}{3,15} \p{L}{3,15})$/u,
            "one word of 3 to 30 letters, or two words of 3 to 15 letters",
          ),
      )
      .min(1)
      .max(1_000),
    /** Real words one letter away from a brand ("channel" for "chanel"): never lookalikes. */
    allowed: Phrases.default([]),
  })
  .strict();

export const DiscountRuleSchema = z
  .object({
    ...RuleBase,
    kind: z.literal("discount"),
    /** Words that introduce the "original" price: "giá gốc", "giá niêm yết". */
    markers: Phrases.min(1),
    /** Flag when the price asked is at most this share of the "original" price written after a marker. */
    maxRatio: z.number().gt(0).lt(1),
  })
  .strict();

export const RuleSchema = z.discriminatedUnion("kind", [
  PhraseRuleSchema,
  NearRuleSchema,
  TogetherRuleSchema,
  MissingRuleSchema,
  PriceRuleSchema,
  SellerWatchRuleSchema,
  BrandWatchRuleSchema,
  ProductWatchRuleSchema,
  LookalikeRuleSchema,
  DiscountRuleSchema,
]);
export type Rule = z.infer<typeof RuleSchema>;
export type RuleKind = Rule["kind"];
export const RULE_KINDS = [
  "phrase",
  "near",
  "together",
  "missing",
  "price",
  "seller-watch",
  "brand-watch",
  "product-watch",
  "lookalike",
  "discount",
] as const satisfies readonly RuleKind[];

/** One commonly counterfeited product and what it costs new from an authorised seller. */
export const ReferencePriceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/),
    name: z.string().trim().min(1).max(200),
    /** Every phrase must appear in the title. */
    match: Phrases.min(1).max(8),
    /** VND, new, from an authorised seller. */
    price: z.number().int().positive(),
  })
  .strict();
export type ReferencePrice = z.infer<typeof ReferencePriceSchema>;

export const RuleSetSchema = z
  .object({
    /** Increases by one with every change to any rule or to the catalogue. */
    version: z.number().int().min(1),
    /** A score at or above this flags the item. */
    threshold: z.number().gt(0).max(1),
    rules: z.array(RuleSchema).max(500),
    catalogue: z.array(ReferencePriceSchema).max(10_000),
    updatedAt: z.string().optional(),
  })
  .strict()
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    for (const [i, rule] of set.rules.entries()) {
      if (seen.has(rule.id))
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: "duplicate rule id" });
      seen.add(rule.id);
    }
  });
export type RuleSet = z.infer<typeof RuleSetSchema>;
