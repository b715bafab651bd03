import { COVERAGE_REPORT_TASK } from "@pledgewatch/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestPlatform } from "../support/platform";

/** Background tasks through the real platform's dispatcher and the in-process queue (issue 17, item 2). */
let p: Awaited<ReturnType<typeof createTestPlatform>>;

beforeAll(async () => {
  p = await createTestPlatform({ seed: false });
});

describe("a task with a bad payload", () => {
  it("fails with the field named, and reaches the dead letters with that reason", async () => {
    await p.tasks.enqueue({ type: COVERAGE_REPORT_TASK, payload: { reportId: 7 } });
    await p.tasks.enqueue({ type: "no.such.task", payload: {} });
    await p.tasks.idle();
    const letters = p.tasks.deadLetters.map((d) => [d.task.type, d.error]);
    expect(letters).toContainEqual([
      COVERAGE_REPORT_TASK,
      expect.stringMatching(/^Invalid coverage\.report payload: reportId: /),
    ]);
    expect(letters).toContainEqual(["no.such.task", "Unknown task type no.such.task"]);
  });
});
