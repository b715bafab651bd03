import { z } from "zod";
import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import type { Clock } from "../ports";
import { type AgencyCode, AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import {
  PledgeFamilySchema,
  SIGNER_GROUP_INFO,
  type SignerGroup,
  SignerGroupSchema,
} from "../reference/signer-groups";

/**
 * An obligated party: someone who must sign a pledge. This is the registry's core record; identifiers,
 * contacts and change history are added by the registry capability.
 */
export const PartyStatusSchema = z.enum(["active", "ceased", "exempt"]);

export const PartySchema = z.object({
  id: z.string(),
  name: z.string(),
  group: SignerGroupSchema,
  family: PledgeFamilySchema,
  agency: AgencyCodeSchema,
  provinces: z.array(ProvinceCodeSchema).min(1),
  status: PartyStatusSchema,
  obligatedFrom: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Party = z.infer<typeof PartySchema>;

const isoDate = z.iso.date({ message: "Ngày phải có dạng YYYY-MM-DD (date must be YYYY-MM-DD)" });

export const NewPartySchema = z.strictObject({
  name: z.string().trim().min(2, "Tên quá ngắn (name too short)").max(300),
  group: SignerGroupSchema,
  provinces: z.array(ProvinceCodeSchema).min(1, "Cần ít nhất một tỉnh/thành (at least one province)").max(34),
  obligatedFrom: isoDate.optional(),
});
export type NewParty = z.infer<typeof NewPartySchema>;

export interface PartyPage {
  items: Party[];
  /** Opaque cursor for the next page; absent on the last page. */
  next?: string | undefined;
}

export interface PartyQuery {
  agency: AgencyCode;
  province: string;
  group?: SignerGroup | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface PartyRepository {
  create(party: Party): Promise<void>;
  /** Creates the party unless one with the same id exists; returns whether it was written. */
  createIfAbsent(party: Party): Promise<boolean>;
  list(query: PartyQuery): Promise<PartyPage>;
}

export interface PartyDeps {
  parties: PartyRepository;
  clock: Clock;
  newId: () => string;
}

export function buildParty(input: NewParty, id: string, now: Date): Party {
  const info = SIGNER_GROUP_INFO[input.group];
  const iso = now.toISOString();
  return {
    id,
    name: input.name.normalize("NFC"),
    group: input.group,
    family: info.family,
    agency: info.agency,
    provinces: [...new Set(input.provinces)].sort(),
    status: "active",
    obligatedFrom: input.obligatedFrom ?? iso.slice(0, 10),
    createdAt: iso,
    updatedAt: iso,
  };
}

export function createPartyService({ parties, clock, newId }: PartyDeps) {
  return {
    async create(actor: Principal, input: NewParty): Promise<Party> {
      const party = buildParty(input, newId(), clock.now());
      authorize(actor, "parties.write", { agency: party.agency, provinces: party.provinces });
      await parties.create(party);
      return party;
    },

    async list(
      actor: Principal,
      query: Partial<Omit<PartyQuery, "limit">> & { limit?: number | undefined },
    ): Promise<PartyPage> {
      const agency = query.agency ?? actor.agency;
      const province = query.province ?? actor.province;
      authorize(actor, "parties.read", { agency, provinces: [province] });
      return parties.list({
        agency,
        province,
        group: query.group,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      });
    },
  };
}
