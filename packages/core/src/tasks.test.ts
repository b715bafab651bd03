import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidError } from "./errors";
import { createTaskDispatcher, defineTask } from "./tasks";

describe("the typed task dispatcher", () => {
  const ran: unknown[] = [];
  const dispatcher = createTaskDispatcher([
    defineTask({
      type: "coverage.report",
      schema: z.object({ reportId: z.string().min(1) }),
      run: async (payload) => ran.push(payload),
    }),
    defineTask({ type: "renewal.tick", schema: z.object({}), run: async () => ran.push("tick") }),
  ]);

  it("runs a task with its parsed payload", async () => {
    await dispatcher.handle({ type: "coverage.report", payload: { reportId: "r1" } });
    await dispatcher.handle({ type: "renewal.tick", payload: {} });
    expect(ran).toEqual([{ reportId: "r1" }, "tick"]);
    expect(dispatcher.types).toEqual(["coverage.report", "renewal.tick"]);
  });

  it("refuses a bad payload with an error naming the field, before running anything", async () => {
    ran.length = 0;
    const error = await dispatcher
      .handle({ type: "coverage.report", payload: { reportId: 42 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).issues.map((i) => i.field)).toEqual(["reportId"]);
    expect((error as InvalidError).message).toMatch(/^Invalid coverage\.report payload: reportId: /);
    expect(ran).toEqual([]);
  });

  it("refuses an unknown task type, and a type declared twice", async () => {
    const error = await dispatcher.handle({ type: "nope", payload: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).issues).toEqual([{ field: "type", message: "unknown task type nope" }]);
    const twice = defineTask({ type: "x", schema: z.object({}), run: async () => {} });
    expect(() => createTaskDispatcher([twice, twice])).toThrow(/declared twice/);
  });
});
