/**
 * Bulk loading of synthetic parties: the exact items one party write produces (partyWriteItems), written
 * with BatchWriteItem instead of one transaction per party, without the write conditions.
 */
import { randomUUID } from "node:crypto";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { partyWriteItems } from "@pledgewatch/aws";
import {
  type ActorRef,
  foldVietnamese,
  newParty,
  type Party,
  PartyInputSchema,
  SIGNER_GROUPS,
  type SignerGroup,
} from "@pledgewatch/core";
import {
  emailFor,
  GROUP_WEIGHTS,
  groupPartyName,
  mobilePhone,
  NATIONAL_CHANCE,
  nationalProvinces,
  PROVINCE_WEIGHTS,
  pick,
  provinceAbbreviation,
  type Random,
  seededRandom,
  taxCodeSequence,
  weighted,
} from "./data";

type PutRequest = { PutRequest: { Item: Record<string, unknown> } };

const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 12;

const REF_PREFIX: Partial<Record<SignerGroup, string>> = {
  artist: "NS",
  athlete: "VDV",
  culture_manager: "QLVH",
  scientist: "NKH",
  health_manager: "QLYT",
};
const WARDS = ["Phường Hoa Lư", "Phường Nam Định", "Xã Gia Viễn", "Phường Bến Thành", "Phường Tây Hồ"];

/** The fields a person would give for party number `n` of a group, with its required identifier. */
function partyFields(
  random: Random,
  group: SignerGroup,
  n: number,
  taxCode: () => string,
): Record<string, unknown> {
  const name = groupPartyName(random, group);
  const home = weighted(random, PROVINCE_WEIGHTS);
  const national = random() < NATIONAL_CHANCE[group];
  const fields: Record<string, unknown> = {
    name,
    group,
    provinces: national ? nationalProvinces(random, home) : [home],
  };
  const abbreviation = provinceAbbreviation(home);
  switch (group) {
    case "ecommerce_platform":
    case "social_network":
    case "advertiser":
      fields.taxCode = taxCode();
      break;
    case "press":
      fields.pressLicence = `${n}/GP-BTTTT`;
      break;
    case "news_site":
      fields.pressLicence = `${n}/GP-TTĐT`;
      break;
    case "kol": {
      const handle = `${foldVietnamese(name)
        .replace(/[^a-z]/g, "")
        .slice(0, 14)}.${n.toString(36)}`;
      fields.profiles = [`https://www.tiktok.com/@${handle}`];
      break;
    }
    case "doctor":
      fields.practisingCertificate = `${String(n).padStart(6, "0")}/${abbreviation}-CCHN`;
      break;
    default:
      fields.refCode = `${abbreviation}-${REF_PREFIX[group] ?? "X"}-${String(n).padStart(6, "0")}`;
  }
  if (random() < 0.5) fields.ward = pick(random, WARDS);
  if (random() < 0.6) {
    fields.contacts = [{ name, email: emailFor(name, n), phone: mobilePhone(random) }];
  }
  if (random() < 0.03) {
    fields.status = "ceased";
    fields.statusReason = "Ngừng hoạt động kinh doanh";
  }
  return fields;
}

export interface LoadStats {
  parties: number;
  items: number;
  batches: number;
  retriedBatches: number;
  ms: number;
  national: number;
  byGroup: Record<string, number>;
  byProvince: Record<string, number>;
  /** Parties (province entries) per agency × province, the partition a list page reads. */
  byAgencyProvince: Record<string, number>;
  /** Active parties with an e-mail contact: those a rollover invites. */
  invitable: number;
  /** An existing tax code of a CT party registered in province 37, for the lookup measurement. */
  taxCodeInCt37?: string | undefined;
}

/**
 * Writes `count` parties with `concurrency` BatchWriteItem requests in flight. Unprocessed items are
 * retried with exponential backoff.
 */
export async function bulkLoadParties(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: {
    count: number;
    seed: number;
    concurrency: number;
    onProgress?: (done: number) => void;
    /** When the parties were registered (and obligated from); now by default. */
    registeredAt?: Date;
  },
): Promise<LoadStats> {
  const random = seededRandom(options.seed);
  const taxCode = taxCodeSequence(270_200_000);
  const perGroup = new Map<SignerGroup, number>(SIGNER_GROUPS.map((g) => [g, 0]));
  const actor: ActorRef = { staffId: "bench-loader", name: "Dữ liệu benchmark" };
  const now = options.registeredAt ?? new Date();
  const stats: LoadStats = {
    parties: 0,
    items: 0,
    batches: 0,
    retriedBatches: 0,
    ms: 0,
    national: 0,
    byGroup: {},
    byProvince: {},
    byAgencyProvince: {},
    invitable: 0,
  };

  const count = options.count;
  const pending: PutRequest[] = [];
  let made = 0;
  const addParty = () => {
    const group = weighted(random, GROUP_WEIGHTS);
    const n = (perGroup.get(group) ?? 0) + 1;
    perGroup.set(group, n);
    const input = PartyInputSchema.parse(partyFields(random, group, n, taxCode));
    const party: Party = newParty(input, randomUUID(), actor, now);
    const items = partyWriteItems(tableName, {
      before: null,
      after: party,
      change: {
        partyId: party.id,
        at: party.createdAt,
        by: actor,
        action: "created",
        before: null,
        after: party,
      },
    });
    for (const item of items) {
      // Only puts (a new party deletes nothing); the conditions guard concurrent edits, not a bulk load.
      if (item.Put?.Item) pending.push({ PutRequest: { Item: item.Put.Item } });
    }
    made++;
    stats.byGroup[group] = (stats.byGroup[group] ?? 0) + 1;
    if (party.provinces.length > 1) stats.national++;
    if (party.status === "active" && party.contacts.some((c) => c.email)) stats.invitable++;
    for (const province of party.provinces) {
      stats.byProvince[province] = (stats.byProvince[province] ?? 0) + 1;
      const key = `${party.agency}#${province}`;
      stats.byAgencyProvince[key] = (stats.byAgencyProvince[key] ?? 0) + 1;
    }
    if (
      !stats.taxCodeInCt37 &&
      party.agency === "CT" &&
      party.provinces.includes("37") &&
      party.identifiers.taxCode &&
      made > count / 2
    ) {
      stats.taxCodeInCt37 = party.identifiers.taxCode;
    }
  };

  /** The next 25 items, generating parties as needed; undefined when everything has been handed out. */
  const nextBatch = (): PutRequest[] | undefined => {
    while (pending.length < BATCH_SIZE && made < count) addParty();
    if (pending.length === 0) return undefined;
    return pending.splice(0, BATCH_SIZE);
  };

  async function writeBatch(batch: PutRequest[]) {
    let requests = batch;
    for (let attempt = 0; ; attempt++) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      const left = (out.UnprocessedItems?.[tableName] ?? []) as PutRequest[];
      if (left.length === 0) return;
      if (attempt === 0) stats.retriedBatches++;
      if (attempt + 1 >= MAX_ATTEMPTS) throw new Error(`${left.length} items still unprocessed`);
      requests = left;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
    }
  }

  const start = performance.now();
  let lastReport = 0;
  const worker = async () => {
    for (let batch = nextBatch(); batch; batch = nextBatch()) {
      await writeBatch(batch);
      stats.items += batch.length;
      stats.batches++;
      if (options.onProgress && made - lastReport >= 10_000) {
        lastReport = made;
        options.onProgress(made);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  stats.ms = performance.now() - start;
  stats.parties = made;
  return stats;
}
