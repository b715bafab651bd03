import { z } from "zod";
import type { Logger, TaskQueue } from "../ports";
import { REVIEW_TICK_TASK } from "../review/takedown";
import { defineTask } from "../tasks";
import {
  RENEWAL_DAILY_TASK,
  RENEWAL_INVITE_BATCH_TASK,
  RENEWAL_INVITE_PARTY_TASK,
  RENEWAL_TICK_TASK,
  type RenewalService,
} from "./renewal";
import { COVERAGE_RECONCILE_TASK, COVERAGE_REPORT_TASK, type CoverageService } from "./service";

/** The renewal cycle's tasks: the hourly tick, the rollover's invitation batches, the day's digest. */
export function renewalTasks(renewal: RenewalService, tasks: TaskQueue, logger: Logger) {
  return [
    defineTask({
      type: RENEWAL_TICK_TASK,
      schema: z.object({}),
      async run() {
        logger.info("renewal tick", await renewal.tick());
        // The same hourly tick drives the takedown requests, as a task of its own (retried on its own).
        await tasks.enqueue({ type: REVIEW_TICK_TASK, payload: {} });
      },
    }),
    defineTask({
      type: RENEWAL_INVITE_BATCH_TASK,
      schema: z.object({
        agency: z.string().min(1),
        province: z.string().min(1),
        quarter: z.string().min(1),
        cursor: z.string().optional(),
        registeredSince: z.string().optional(),
      }),
      async run(payload) {
        const { invited } = await renewal.inviteBatch(payload);
        logger.info("rollover batch", { ...payload, cursor: undefined, invited });
      },
    }),
    defineTask({
      type: RENEWAL_DAILY_TASK,
      schema: z.object({
        agency: z.string().min(1),
        province: z.string().min(1),
        date: z.string().min(1),
        quarter: z.string().min(1),
      }),
      async run(payload) {
        logger.info("renewal day", { ...payload, ...(await renewal.daily(payload)) });
      },
    }),
    defineTask({
      type: RENEWAL_INVITE_PARTY_TASK,
      schema: z.object({ partyId: z.string().min(1) }),
      run: async (p) => renewal.invitePartyNow(p.partyId),
    }),
  ];
}

/** Coverage's tasks: the nightly reconciliation and a quarterly report built. */
export function coverageTasks(coverage: CoverageService, logger: Logger) {
  return [
    defineTask({
      type: COVERAGE_RECONCILE_TASK,
      schema: z.object({}),
      async run() {
        const record = await coverage.reconcile();
        const log = record.drift.length > 0 ? logger.warn : logger.info;
        log.call(logger, "coverage reconciled", {
          quarter: record.quarter,
          parties: record.parties,
          driftCells: record.drift.length,
        });
      },
    }),
    defineTask({
      type: COVERAGE_REPORT_TASK,
      schema: z.object({ reportId: z.string().min(1) }),
      run: async (p) => coverage.runReport(p.reportId),
    }),
  ];
}

/** A party registered after the quarter's rollover is invited the same day, in the background. */
export function inviteWhenRegistered(tasks: TaskQueue) {
  // Nothing is sent unless this quarter's rollover has run (see renewal.invitePartyNow).
  return (party: { id: string }) =>
    tasks.enqueue({ type: RENEWAL_INVITE_PARTY_TASK, payload: { partyId: party.id } });
}
