import {
  type CasePartyLookup,
  type Clock,
  type MonitoringService,
  type PartyRepository,
  quarterId,
  type Recapture,
  type SigningRepository,
  type TakedownContactLookup,
} from "@pledgewatch/core";

/**
 * The registered party behind a flagged item: the party a watched crawl target belongs to. Its pledge
 * counts when it is this quarter's and still valid (a breached or revoked one no longer protects anything).
 */
export function createCasePartyLookup(parties: Pick<PartyRepository, "get">, clock: Clock): CasePartyLookup {
  return {
    async find({ partyId }) {
      if (!partyId) return null;
      const party = await parties.get(partyId);
      if (!party) return null;
      const pledge = party.pledge;
      const current = pledge && pledge.status === "valid" && pledge.quarter === quarterId(clock.now());
      return {
        partyId: party.id,
        name: party.name,
        ...(current ? { pledge: { documentCode: pledge.documentCode, quarter: pledge.quarter } } : {}),
      };
    },
  };
}

/**
 * A takedown goes to the takedown contact the pledge declares (platforms name one when they sign), else
 * the pledge's signer, else the first registry contact with an e-mail address.
 */
export function createTakedownContactLookup(
  parties: Pick<PartyRepository, "get">,
  signing: Pick<SigningRepository, "findPledgeByCode">,
): TakedownContactLookup {
  return {
    async find(target) {
      if (!target.party) return null;
      if (target.party.pledge) {
        const pledge = await signing.findPledgeByCode(target.party.pledge.documentCode);
        const declared = (id: string) => pledge?.declarations.find((d) => d.id === id)?.value.trim();
        const email = declared("takedownContactEmail");
        if (email) return { name: declared("takedownContactName") || pledge?.signer.name || "", email };
        if (pledge?.signer.email) return { name: pledge.signer.name, email: pledge.signer.email };
      }
      const party = await parties.get(target.party.partyId);
      const contact = party?.contacts.find((c) => c.email);
      return contact?.email ? { name: contact.name || party?.name || "", email: contact.email } : null;
    },
  };
}

/** The monitoring pipeline's capture on demand, as the review's re-capture port. */
export function createRecapture(
  monitoring: Pick<MonitoringService, "requestRecapture" | "recaptureOutcome">,
): Recapture {
  return {
    request: async (input) => (await monitoring.requestRecapture(input)).id,
    outcome: (jobId, item) => monitoring.recaptureOutcome(jobId, item),
  };
}
