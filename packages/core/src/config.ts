import type { z } from "zod";

/**
 * Parses environment variables with one schema and fails with a message that names every bad variable,
 * so a misconfigured function or local start stops at once with something a person can act on.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join(".") || "(environment)";
    return `  ${variable}: ${issue.message}`;
  });
  throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
}
