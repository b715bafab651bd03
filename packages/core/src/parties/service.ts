import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { Clock } from "../ports";
import type { AgencyCode } from "../reference/agencies";
import type { SignerGroup } from "../reference/signer-groups";
import { identifierCandidates } from "./identifier-candidates";
import { applyUpdate, newParty, type PartyInput, type PartyUpdate, partyRuleIssues } from "./input";
import type { ActorRef, Party, PartyChange, PartyStatus } from "./model";
import { identifierKeys, MIN_QUERY_LENGTH, searchText } from "./model";
import type { PartyPage, PartyRepository } from "./ports";

export interface PartyServiceDeps {
  parties: PartyRepository;
  clock: Clock;
  newId: () => string;
  /** What follows a party's registration by hand (the renewal cycle's same-day invitation). */
  onRegistered?: ((party: Party) => Promise<void>) | undefined;
}

export interface PartyFilter {
  agency?: AgencyCode | undefined;
  province?: string | undefined;
  group?: SignerGroup | undefined;
  status?: PartyStatus | undefined;
  /** Free text (name, any case, with or without diacritics) or an identifier. */
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export function actorRef(principal: Principal): ActorRef {
  return { staffId: principal.staffId, name: principal.name };
}

const scopeOf = (party: Pick<Party, "agency" | "provinces">) => ({
  agency: party.agency,
  provinces: party.provinces,
});

export function createPartyService({ parties, clock, newId, onRegistered }: PartyServiceDeps) {
  async function load(actor: Principal, id: string): Promise<Party> {
    const party = await parties.get(id);
    // Out of scope looks the same as absent: staff of one province do not learn what another registers.
    if (!party || !can(actor, "parties.read", scopeOf(party))) throw new NotFoundError("Party not found");
    return party;
  }

  async function save(
    before: Party | null,
    after: Party,
    change: Omit<PartyChange, "before" | "after" | "partyId">,
  ) {
    const issues = partyRuleIssues(after);
    if (issues.length > 0) throw new InvalidError("Invalid party", issues);
    await parties.write([{ before, after, change: { ...change, partyId: after.id, before, after } }]);
    return after;
  }

  return {
    get: load,

    async create(actor: Principal, input: PartyInput): Promise<Party> {
      const party = newParty(input, newId(), actorRef(actor), clock.now());
      authorize(actor, "parties.write", scopeOf(party));
      await assertKeysFree(parties, party);
      const saved = await save(null, party, { at: party.createdAt, by: actorRef(actor), action: "created" });
      await onRegistered?.(saved);
      return saved;
    },

    async update(actor: Principal, id: string, update: PartyUpdate): Promise<Party> {
      const before = await load(actor, id);
      authorize(actor, "parties.write", scopeOf(before));
      if (before.version !== update.version) throw staleVersion();
      const { version: _v, ...fields } = update;
      const after = applyUpdate(before, fields, actorRef(actor), clock.now());
      // Moving a party to provinces outside one's own is a change in someone else's scope.
      authorize(actor, "parties.write", scopeOf(after));
      await assertKeysFree(parties, after);
      return save(before, after, { at: after.updatedAt, by: actorRef(actor), action: "updated" });
    },

    async cease(actor: Principal, id: string, { version, reason }: { version: number; reason: string }) {
      const before = await load(actor, id);
      authorize(actor, "parties.write", scopeOf(before));
      if (before.version !== version) throw staleVersion();
      const after = applyUpdate(
        before,
        { status: "ceased", statusReason: reason },
        actorRef(actor),
        clock.now(),
      );
      return save(before, after, { at: after.updatedAt, by: actorRef(actor), action: "ceased", reason });
    },

    async changeOwner(
      actor: Principal,
      id: string,
      { version, agency, reason }: { version: number; agency: AgencyCode; reason: string },
    ) {
      authorize(actor, "parties.reassign");
      const before = await load(actor, id);
      if (before.version !== version) throw staleVersion();
      const now = clock.now();
      const base = applyUpdate(before, {}, actorRef(actor), now);
      const after: Party = {
        ...base,
        agency,
        agencyOverride: { reason, by: actorRef(actor), at: now.toISOString() },
      };
      return save(before, after, {
        at: after.updatedAt,
        by: actorRef(actor),
        action: "owner_changed",
        reason,
      });
    },

    async history(actor: Principal, id: string): Promise<PartyChange[]> {
      await load(actor, id);
      return parties.history(id);
    },

    async list(actor: Principal, filter: PartyFilter): Promise<PartyPage> {
      const agency = filter.agency ?? actor.agency;
      const province = filter.province ?? actor.province;
      authorize(actor, "parties.read", { agency, provinces: [province] });
      const limit = filter.limit ?? 50;
      const q = filter.q?.trim();
      if (q) {
        const byIdentifier = await findByIdentifierText(parties, q, agency);
        if (byIdentifier) {
          const visible = byIdentifier.provinces.includes(province) && byIdentifier.agency === agency;
          return { items: visible ? [byIdentifier] : [] };
        }
        const text = searchText(q);
        if (text.length < MIN_QUERY_LENGTH) {
          throw new InvalidError("Search text too short", [
            { field: "q", message: "Nhập ít nhất 2 ký tự để tìm" },
          ]);
        }
        return parties.search({
          agency,
          text,
          province,
          group: filter.group,
          status: filter.status,
          limit,
          cursor: filter.cursor,
        });
      }
      return parties.list({
        agency,
        province,
        group: filter.group,
        status: filter.status,
        limit,
        cursor: filter.cursor,
      });
    },
  };
}

export type PartyService = ReturnType<typeof createPartyService>;

function staleVersion() {
  return new ConflictError(
    "Đối tượng đã được người khác sửa; hãy tải lại trang (the party changed meanwhile)",
  );
}

/** Names the identifier that already belongs to another party, instead of a bare 409. */
async function assertKeysFree(parties: PartyRepository, party: Party): Promise<void> {
  // One batched read for all the party's identifiers, not one read each.
  for (const [key, owner] of await parties.findIdsByKeys(identifierKeys(party))) {
    if (owner !== party.id) {
      throw new ConflictError(
        `Mã định danh ${key.split(":").slice(1).join(":")} đã thuộc về đối tượng khác (${owner})`,
      );
    }
  }
}

/** A query that is exactly an identifier (tax code, licence, profile URL) finds its party directly. */
async function findByIdentifierText(
  parties: PartyRepository,
  q: string,
  agency: AgencyCode,
): Promise<Party | null> {
  for (const key of identifierCandidates(q, agency)) {
    const id = await parties.findIdByKey(key);
    if (id) return parties.get(id);
  }
  return null;
}
