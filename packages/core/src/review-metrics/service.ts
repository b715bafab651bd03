import { authorize } from "../auth/policy";
import type { Principal } from "../auth/roles";
import { InvalidError } from "../errors";
import type { Clock } from "../ports";
import { type AgencyCode, AgencyCodeSchema } from "../reference/agencies";
import { ProvinceCodeSchema } from "../reference/provinces";
import { computeReviewMetrics, type ReviewMetrics } from "./metrics";
import type { CaseLogIndex } from "./ports";

/**
 * How far before a period the log is read, so cases opened earlier and still waiting count in the queue
 * age, and earlier flags count for the rules' shares of decisions made in the period.
 */
export const METRICS_LOOKBACK_DAYS = 120;
/** The longest period one request may ask for. */
export const METRICS_MAX_DAYS = 400;

const DAY = 86_400_000;

export interface ReviewMetricsDeps {
  log: CaseLogIndex;
  clock: Clock;
}

export interface MetricsQuery {
  agency?: string | undefined;
  province?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export function createReviewMetricsService(deps: ReviewMetricsDeps) {
  /** The scope asked for: one's own unless an admin names another; anyone else naming another is refused. */
  function scopeOf(actor: Principal, query: MetricsQuery): { agency: AgencyCode; province: string } {
    const agency = AgencyCodeSchema.safeParse(query.agency ?? actor.agency);
    const province = ProvinceCodeSchema.safeParse(query.province ?? actor.province);
    const issues = [
      ...(agency.success ? [] : [{ field: "agency", message: "Đơn vị không hợp lệ (unknown agency)" }]),
      ...(province.success
        ? []
        : [{ field: "province", message: "Mã tỉnh/thành không hợp lệ (unknown province code)" }]),
    ];
    if (!agency.success || !province.success) throw new InvalidError("Invalid scope", issues);
    authorize(actor, "review.metrics.read", { agency: agency.data, provinces: [province.data] });
    return { agency: agency.data, province: province.data };
  }

  function periodOf(query: MetricsQuery): { from: string; to: string } {
    const now = deps.clock.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
    if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime())) {
      throw new InvalidError("Invalid period", [
        { field: "from", message: "Ngày không hợp lệ (invalid date)" },
      ]);
    }
    if (from >= to || to.getTime() - from.getTime() > METRICS_MAX_DAYS * DAY) {
      throw new InvalidError("Invalid period", [
        { field: "from", message: `Khoảng thời gian phải dương và tối đa ${METRICS_MAX_DAYS} ngày` },
      ]);
    }
    return { from: from.toISOString(), to: to.toISOString() };
  }

  return {
    scopeOf,

    /** Metrics of one agency × province for a period (default: the last 30 days). */
    async metrics(
      actor: Principal,
      query: MetricsQuery = {},
    ): Promise<ReviewMetrics & { agency: AgencyCode; province: string }> {
      authorize(actor, "review.metrics.read");
      const scope = scopeOf(actor, query);
      const period = periodOf(query);
      const readFrom = new Date(Date.parse(period.from) - METRICS_LOOKBACK_DAYS * DAY).toISOString();
      const entries = await deps.log.entries({ ...scope, from: readFrom, to: period.to });
      return { ...scope, ...computeReviewMetrics(entries, period.from, period.to) };
    },
  };
}

export type ReviewMetricsService = ReturnType<typeof createReviewMetricsService>;
