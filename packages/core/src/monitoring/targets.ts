import { authorize, can } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { ConflictError, InvalidError } from "../errors";
import { nfc } from "../text/fold";
import { type NewTarget, parseTargetRows, type TargetChange, type TargetCsvError } from "./input";
import { type CaptureJob, type CrawlTarget, MAX_PAGE_LIMIT } from "./model";
import { type MonitoringContext, platformFromHost, type TargetImportResult } from "./monitoring-context";
import { parseCaptureUrl } from "./url-safety";

/** Crawl targets: created one by one or from a file, changed, listed, captured now. */
export function createTargets(ctx: MonitoringContext) {
  const { deps, repository, limits, now, at, scopeOf, getTarget, enqueueCapture, jobFor } = ctx;

  function newTarget(actor: Principal, input: NewTarget): CrawlTarget {
    const { url, host } = parseCaptureUrl(input.url);
    const t = now().toISOString();
    return {
      id: deps.newId(),
      url,
      host,
      kind: input.kind,
      platform: input.platform ? nfc(input.platform).toLowerCase() : platformFromHost(host),
      label: nfc(input.label ?? "") || host,
      schedule: input.schedule,
      pageLimit: Math.min(input.pageLimit ?? 3, MAX_PAGE_LIMIT),
      agency: actor.agency,
      province: actor.province,
      ...(input.partyId ? { partyId: input.partyId } : {}),
      active: true,
      createdAt: t,
      createdBy: actor.staffId,
      updatedAt: t,
      // A new target is due at once: its first capture shows staff that it works.
      nextDueAt: t,
      version: 1,
    };
  }

  /**
   * A target's party must be one the caller may see (their agency and province; an admin any): a
   * party id of another office is refused as unknown, naming the field.
   */
  async function checkParty(actor: Principal, partyId: string | null | undefined): Promise<void> {
    if (!partyId) return;
    const party = await deps.parties.get(partyId);
    if (!party || !can(actor, "parties.read", { agency: party.agency, provinces: party.provinces })) {
      throw new InvalidError("Unknown party", [
        { field: "partyId", message: "Không tìm thấy đối tượng này trong danh sách của đơn vị" },
      ]);
    }
  }

  return {
    // ---- targets ------------------------------------------------------------------------------------
    async createTarget(actor: Principal, input: NewTarget): Promise<CrawlTarget> {
      authorize(actor, "monitoring.targets.write");
      await checkParty(actor, input.partyId);
      const target = newTarget(actor, input);
      await repository.createTargets([target]);
      return target;
    },

    /** All rows or none: any bad row (or a URL already watched) and nothing is written. */
    async importTargets(
      actor: Principal,
      headers: string[],
      rows: { rowNumber: number; cells: string[] }[],
    ): Promise<TargetImportResult> {
      authorize(actor, "monitoring.targets.write");
      const parsed = parseTargetRows(headers, rows);
      if (!parsed.ok) return parsed;
      const errors: TargetCsvError[] = [];
      const targets: CrawlTarget[] = [];
      const seen = new Map<string, number>();
      for (const { row, input } of parsed.targets) {
        try {
          try {
            await checkParty(actor, input.partyId);
          } catch (error) {
            if (!(error instanceof InvalidError)) throw error;
            errors.push({ row, column: "party_id", message: error.issues[0]?.message ?? error.message });
            continue;
          }
          const target = newTarget(actor, input);
          const earlier = seen.get(target.url);
          if (earlier !== undefined) {
            errors.push({ row, column: "url", message: `Trùng đường dẫn với dòng ${earlier}.` });
            continue;
          }
          seen.set(target.url, row);
          targets.push(target);
        } catch (error) {
          errors.push({
            row,
            column: "url",
            message:
              error instanceof InvalidError ? (error.issues[0]?.message ?? error.message) : String(error),
          });
        }
      }
      if (errors.length > 0) return { ok: false, errors };
      try {
        await repository.createTargets(targets);
      } catch (error) {
        if (error instanceof ConflictError) {
          return {
            ok: false,
            errors: [
              {
                row: 0,
                column: "url",
                message:
                  "Một số đường dẫn đã có trong danh sách theo dõi của đơn vị; không dòng nào được thêm.",
              },
            ],
          };
        }
        throw error;
      }
      return { ok: true, created: targets.length };
    },

    getTarget,

    async updateTarget(actor: Principal, id: string, change: TargetChange): Promise<CrawlTarget> {
      authorize(actor, "monitoring.targets.write");
      const before = await getTarget(actor, id);
      authorize(actor, "monitoring.targets.write", scopeOf(before));
      const { partyId, ...rest } = change;
      await checkParty(actor, partyId);
      const after: CrawlTarget = {
        ...before,
        ...(rest.label !== undefined ? { label: nfc(rest.label) || before.host } : {}),
        ...(rest.schedule ? { schedule: rest.schedule } : {}),
        ...(rest.pageLimit ? { pageLimit: rest.pageLimit } : {}),
        ...(rest.active !== undefined ? { active: rest.active } : {}),
        updatedAt: now().toISOString(),
        version: before.version + 1,
      };
      if (partyId === null) delete after.partyId;
      else if (partyId) after.partyId = partyId;
      if (rest.active && !before.active) after.nextDueAt = now().toISOString();
      await repository.updateTarget(before, after);
      return after;
    },

    async listTargets(actor: Principal, cursor?: string) {
      authorize(actor, "monitoring.read");
      return repository.listTargets(actor.agency, actor.province, 100, cursor);
    },

    /** "Capture now" on a target, outside its schedule. */
    async captureTargetNow(actor: Principal, id: string): Promise<CaptureJob> {
      authorize(actor, "monitoring.capture");
      const target = await getTarget(actor, id);
      authorize(actor, "monitoring.capture", scopeOf(target));
      const job = jobFor({ ...target, origin: "scheduled", requestedBy: actor.staffId, targetId: target.id });
      if (!(await repository.createJob(job, at(limits.leaseMs * limits.maxAttempts)))) {
        throw new ConflictError("A capture of this URL is already in progress");
      }
      await enqueueCapture(job.id);
      return job;
    },
  };
}
