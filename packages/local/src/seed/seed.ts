import { createHash } from "node:crypto";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { createDynamoCoverageRepository } from "@pledgewatch/aws";
import {
  ConflictError,
  hashPassword,
  MANUAL_ROLLOVER,
  newParty,
  PartyInputSchema,
  type PartyRepository,
  quarterId,
  type StaffRepository,
} from "@pledgewatch/core";
import { demoParties } from "./demo-parties";
import { DEMO_PASSWORD, DEMO_STAFF } from "./demo-staff";

export interface SeedResult {
  staffCreated: number;
  partiesCreated: number;
  skipped: boolean;
}

const SEED_VERSION = 1;
const MARKER_KEY = { pk: "SEED#demo", sk: "SEED" };

export function stableId(kind: string, key: string): string {
  return `demo-${kind}-${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
}

/**
 * Loads the demo staff and parties. Idempotent twice over: a marker records a finished seed of this
 * version, and every record is written only if absent, so an interrupted seed completes on the next run.
 */
export async function seedDemoData(deps: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  staff: StaffRepository;
  parties: PartyRepository;
  now?: Date;
}): Promise<SeedResult> {
  const { doc, tableName, staff, parties } = deps;
  const marker = await doc.send(new GetCommand({ TableName: tableName, Key: MARKER_KEY }));
  if (marker.Item?.version === SEED_VERSION) return { staffCreated: 0, partiesCreated: 0, skipped: true };

  const now = deps.now ?? new Date();
  let staffCreated = 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const person of DEMO_STAFF) {
    if (await staff.findByEmail(person.email)) continue;
    await staff.create({
      id: stableId("staff", person.email),
      ...person,
      status: "active",
      passwordHash,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    staffCreated++;
  }

  let partiesCreated = 0;
  const seeder = { staffId: "seed", name: "Dữ liệu mẫu" };
  for (const demo of demoParties()) {
    const id = stableId("party", demo.key);
    if (await parties.get(id)) continue;
    const party = newParty(PartyInputSchema.parse(demo.input), id, seeder, now);
    try {
      await parties.write([
        {
          before: null,
          after: party,
          change: {
            partyId: id,
            at: party.createdAt,
            by: seeder,
            action: "created",
            before: null,
            after: party,
          },
        },
      ]);
      partiesCreated++;
    } catch (error) {
      // Written by a concurrent or interrupted earlier run: already there is what we want.
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  // The demo starts in the middle of a quarter whose invitations staff send by hand: the automatic
  // rollover (invitations to every party) runs from the next quarter on, or at once after time travel.
  await createDynamoCoverageRepository(doc, tableName).markOnce(
    `ROLLOVER#${quarterId(now)}`,
    MANUAL_ROLLOVER,
  );
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...MARKER_KEY, version: SEED_VERSION, at: now.toISOString() },
    }),
  );
  return { staffCreated, partiesCreated, skipped: false };
}
