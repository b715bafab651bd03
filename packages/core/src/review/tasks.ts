import { z } from "zod";
import type { Logger } from "../ports";
import { REVIEW_REPORT_TASK, type ReviewReportService } from "../review-reports/service";
import { defineTask } from "../tasks";
import { REVIEW_TICK_TASK, type TakedownService } from "./takedown";

/** Review's tasks: the hourly tick (takedown clocks, reports due) and one report built. */
export function reviewTasks(takedowns: TakedownService, reviewReports: ReviewReportService, logger: Logger) {
  return [
    defineTask({
      type: REVIEW_TICK_TASK,
      schema: z.object({}),
      async run() {
        const counts = await takedowns.tick();
        const reports = await reviewReports.generateDue();
        if (Object.keys(counts).length > 0 || reports > 0) logger.info("review tick", { ...counts, reports });
      },
    }),
    defineTask({
      type: REVIEW_REPORT_TASK,
      schema: z.object({ reportId: z.string().min(1) }),
      run: async (p) => reviewReports.run(p.reportId),
    }),
  ];
}
