import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { NotFoundError } from "../errors";
import { parseInput } from "../input";
import type { ActorRef } from "../parties/model";
import type { AgencyCode } from "../reference/agencies";
import { type QueueFilter, QueueFilterSchema } from "./input";
import type { CasePage } from "./ports";
/** How long a claim holds a case for its reviewer. */
import { type CaseDetail, DAY_MS, type ReviewContext } from "./review-context";

/** The queues and a case as a reviewer reads it: its evidence, its capture, the colleagues to assign. */
export function createCaseReading(ctx: ReviewContext) {
  const { deps, now, load } = ctx;

  return {
    async queue(actor: Principal, raw: unknown): Promise<CasePage & { filter: QueueFilter }> {
      authorize(actor, "cases.read");
      const filter = parseInput(QueueFilterSchema, raw ?? {}, "Invalid queue filter");
      const agency: AgencyCode = filter.agency ?? actor.agency;
      const province = filter.province ?? actor.province;
      authorize(actor, "cases.read", { agency, provinces: [province] });
      const t = now().getTime();
      const page = await deps.cases.queue({
        agency,
        province,
        state: filter.state,
        limit: filter.limit,
        cursor: filter.cursor,
        platform: filter.platform || undefined,
        rule: filter.rule || undefined,
        openedTo:
          filter.minAgeDays !== undefined
            ? new Date(t - filter.minAgeDays * DAY_MS).toISOString()
            : undefined,
        openedFrom:
          filter.maxAgeDays !== undefined
            ? new Date(t - filter.maxAgeDays * DAY_MS).toISOString()
            : undefined,
      });
      return { ...page, filter };
    },

    async get(actor: Principal, id: string): Promise<CaseDetail> {
      const found = await load(actor, id);
      const [log, takedown, earlier] = await Promise.all([
        deps.cases.log(id),
        found.takedownId ? deps.cases.getTakedown(found.takedownId) : Promise.resolve(null),
        found.party ? deps.cases.byParty(found.party.partyId, 20) : Promise.resolve([]),
      ]);
      return { case: found, log, takedown, earlier: earlier.filter((c) => c.id !== id) };
    },

    /** One artefact of the case's capture (screenshot, HTML, manifest), behind the case's scope. */
    async artefact(actor: Principal, id: string, key: string) {
      const found = await load(actor, id);
      if (!found.captureId) throw new NotFoundError("The case has no capture");
      const artefact = await deps.evidence.artefact(found.captureId, key);
      if (!artefact) throw new NotFoundError("No such artefact");
      return artefact;
    },

    async capture(actor: Principal, id: string) {
      const found = await load(actor, id);
      return found.captureId ? deps.evidence.capture(found.captureId) : null;
    },

    /** Who the case may be assigned to: active reviewers, leads and admins of its agency and province. */
    async colleagues(actor: Principal, id: string): Promise<ActorRef[]> {
      const found = await load(actor, id);
      const people = await deps.staff.listByScope(found.agency, found.province);
      return people
        .filter((p) => p.status === "active" && p.role !== "viewer")
        .map((p) => ({ staffId: p.id, name: p.name }));
    },

    /** Takes the case for LEASE_MINUTES; claiming one's own claim renews it. */
  };
}
