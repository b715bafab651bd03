import { z } from "zod";
import { type FieldIssue, InvalidError } from "./errors";

/**
 * The generic validation failures, by code: the web catalogues word each one for people (in Vietnamese and
 * English), the API returns the code beside the message. A schema's own message (a refinement, or
 * `.min(1, "…")`) carries no code and is shown as written.
 */
export const ISSUE_CODES = [
  "unknown_field",
  "required",
  "invalid_type",
  "too_short",
  "too_long",
  "too_small",
  "too_big",
  "invalid_option",
  "invalid_format",
  "invalid",
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const defaultMessage = z.locales.en().localeError;

/** True when zod wrote the message itself (no message of the schema's own). */
function isDefault(issue: z.core.$ZodIssue): boolean {
  // The final issue has no `input`, so the default invalid_type message cannot be rebuilt exactly.
  if (issue.code === "invalid_type") return issue.message.startsWith("Invalid input");
  const made = defaultMessage(issue as unknown as Parameters<typeof defaultMessage>[0]);
  return issue.message === (typeof made === "string" ? made : made?.message);
}

function codeOf(issue: z.core.$ZodIssue): IssueCode {
  switch (issue.code) {
    case "invalid_type":
      return "invalid_type";
    case "too_small":
      return issue.origin === "string" ? "too_short" : "too_small";
    case "too_big":
      return issue.origin === "string" ? "too_long" : "too_big";
    case "invalid_value":
      return "invalid_option";
    case "invalid_format":
      return "invalid_format";
    default:
      return "invalid";
  }
}

/**
 * zod issues → field-level issues. An unknown key is reported under its own name; a field absent from the
 * input is reported as missing rather than as a type error; zod's own English messages get a code.
 */
export function fieldIssues(error: z.ZodError, input?: unknown): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: base ? `${base}.${key}` : key,
        message: "Unknown field",
        code: "unknown_field",
      }));
    }
    const absent =
      input !== undefined
        ? valueAt(input, issue.path) === undefined
        : issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    if (issue.path.length > 0 && absent) {
      return [{ field: base, message: "Required field is missing", code: "required" }];
    }
    if (!isDefault(issue)) return [{ field: base, message: issue.message }];
    const limit =
      issue.code === "too_small" ? issue.minimum : issue.code === "too_big" ? issue.maximum : undefined;
    return [
      {
        field: base,
        message: issue.message,
        code: codeOf(issue),
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
      },
    ];
  });
}

/**
 * Issues as one line for logs and dead letters ("reportId: Invalid input; payload: …"); an issue of
 * the whole value is named `whole`.
 */
export function describeIssues(
  issues: readonly { field: string; message: string }[],
  whole = "(input)",
): string {
  return issues.map((i) => `${i.field || whole}: ${i.message}`).join("; ");
}

/** Parses a boundary's input or throws InvalidError with one issue per field (`what` names the input). */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new InvalidError(`Invalid ${what}`, fieldIssues(parsed.error, raw));
  return parsed.data;
}
