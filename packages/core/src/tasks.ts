import type { z } from "zod";
import { InvalidError } from "./errors";
import { describeIssues, fieldIssues } from "./input";
import type { Task } from "./ports";

/**
 * One kind of background task: its type (spelled once, by the capability's constant), the schema of its
 * payload, and what running it does. The payload reaches `run` parsed — no casts.
 */
export interface TaskDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  schema: S;
  run(payload: z.output<S>): Promise<unknown>;
}

export function defineTask<S extends z.ZodType>(definition: TaskDefinition<S>): TaskDefinition<S> {
  return definition;
}

/**
 * The dispatch map built from the declarations: a task of an unknown type, or whose payload its schema
 * refuses, fails with an InvalidError naming the field — and, like any failure, is retried and then
 * dead-lettered with that reason by the queue.
 */
export function createTaskDispatcher(definitions: readonly TaskDefinition[]): {
  types: readonly string[];
  handle(task: Task): Promise<void>;
} {
  const byType = new Map<string, TaskDefinition>();
  for (const d of definitions) {
    if (byType.has(d.type)) throw new Error(`task type ${d.type} declared twice`);
    byType.set(d.type, d);
  }
  return {
    types: [...byType.keys()],
    async handle(task) {
      const definition = byType.get(task.type);
      if (!definition) {
        throw new InvalidError(`Unknown task type ${task.type}`, [
          { field: "type", message: `unknown task type ${task.type}` },
        ]);
      }
      const parsed = definition.schema.safeParse(task.payload);
      if (!parsed.success) {
        // The message names the fields too: it is what the dead-letter list and the logs keep.
        const issues = fieldIssues(parsed.error, task.payload);
        throw new InvalidError(
          `Invalid ${task.type} payload: ${describeIssues(issues, "(payload)")}`,
          issues,
        );
      }
      await definition.run(parsed.data);
    },
  };
}
