import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, NotFoundError } from "../errors";
import { previousQuarterId, quarterId, quarterLabel } from "../pledges/quarters";
import type { AgencyCode } from "../reference/agencies";
import type { CoverageContext, CoverageScope, CoverageView } from "./coverage-context";
import { hasSigned } from "./model";
import { DEFAULT_RENEWAL_SETTINGS, partyDueDate, vietnamDate } from "./settings";

/** Coverage as staff read it: the quarter's numbers, the trend, the dashboard, who has not signed, a reminder. */
export function createCoverageReading(ctx: CoverageContext) {
  const { deps, coverage, parties, signing, clock, scopeFor, cellsOf, view } = ctx;

  return {
    /** The dashboard's numbers: counters only, never the registry. */
    async read(
      actor: Principal,
      quarter: string | undefined,
      requested: CoverageScope = {},
    ): Promise<CoverageView> {
      authorize(actor, "coverage.read");
      const scope = scopeFor(actor, requested);
      const q = quarter ?? quarterId(clock.now());
      const { cells, frozen } = await cellsOf(q);
      return view(q, cells, scope, frozen);
    },

    /** Coverage of the last `count` quarters up to `quarter`, oldest first. */
    async trend(actor: Principal, quarter: string | undefined, count = 4, requested: CoverageScope = {}) {
      authorize(actor, "coverage.read");
      const scope = scopeFor(actor, requested);
      const quarters: string[] = [];
      let q = quarter ?? quarterId(clock.now());
      for (let i = 0; i < count; i++) {
        quarters.unshift(q);
        q = previousQuarterId(q);
      }
      return Promise.all(
        quarters.map(async (id) => {
          const { cells } = await cellsOf(id);
          return { quarter: id, label: quarterLabel(id), ...view(id, cells, scope, true).total };
        }),
      );
    },

    /**
     * The dashboard in one go: a quarter's coverage and the trend of the `count` quarters up to it, from
     * one read of each quarter's counters and one of the live counters (five queries, in parallel).
     */
    async dashboard(actor: Principal, quarter: string | undefined, requested: CoverageScope = {}, count = 4) {
      authorize(actor, "coverage.read");
      const scope = scopeFor(actor, requested);
      const quarters: string[] = [];
      let q = quarter ?? quarterId(clock.now());
      for (let i = 0; i < count; i++) {
        quarters.unshift(q);
        q = previousQuarterId(q);
      }
      const all = await Promise.all(quarters.map(cellsOf));
      const last = quarters.length - 1;
      const shown = all[last] ?? { cells: [], frozen: false };
      return {
        view: view(quarters[last] ?? "", shown.cells, scope, shown.frozen),
        trend: quarters.map((id, i) => ({
          quarter: id,
          label: quarterLabel(id),
          ...view(id, all[i]?.cells ?? [], scope, true).total,
        })),
      };
    },

    /** Active parties of a cell that have not signed the current quarter: the drill-down. */
    async unsigned(
      actor: Principal,
      query: {
        agency: AgencyCode;
        province: string;
        family?: string | undefined;
        cursor?: string | undefined;
      },
    ) {
      authorize(actor, "coverage.read", { agency: query.agency, provinces: [query.province] });
      const quarter = quarterId(clock.now());
      const settings = (await coverage.getSettings(query.province)) ?? DEFAULT_RENEWAL_SETTINGS;
      const page = await parties.list({
        agency: query.agency,
        province: query.province,
        status: "active",
        limit: 200,
        cursor: query.cursor,
      });
      const today = vietnamDate(clock.now());
      const items = page.items
        .filter((p) => !hasSigned(p, quarter) && (!query.family || p.family === query.family))
        .map((party) => {
          const due = partyDueDate(party, quarter, settings);
          return { party, dueDate: due, overdue: today > due };
        });
      return { quarter, items, next: page.next };
    },

    /** One click on the dashboard: a reminder (new link) if the party was invited, else an invitation. */
    async remind(actor: Principal, partyId: string) {
      const party = await parties.get(partyId);
      if (!party || !can(actor, "pledges.read", { agency: party.agency, provinces: party.provinces }))
        throw new NotFoundError("Party not found");
      authorize(actor, "pledges.invite", { agency: party.agency, provinces: party.provinces });
      const quarter = quarterId(clock.now());
      if (hasSigned(party, quarter)) throw new ConflictError("Already signed this quarter");
      const open = (await signing.invitationsOfParty(party.id)).find(
        (i) => i.quarter === quarter && i.status === "active",
      );
      if (open)
        return { kind: "reminded" as const, invitation: await deps.signingService.resend(actor, open.id) };
      return { kind: "invited" as const, invitation: await deps.signingService.invite(actor, party.id) };
    },
  };
}
