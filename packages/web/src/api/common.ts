import { z } from "@hono/zod-openapi";
import { ISSUE_CODES } from "@pledgewatch/core";
import { LANGUAGES } from "../i18n";

/**
 * `?lang=` is read by the language middleware on every request (it switches and remembers the
 * language), so every strict query schema accepts it; handlers drop it before calling a use case.
 */
export const LangQuery = {
  lang: z.enum(LANGUAGES).optional().openapi({ description: "Language of messages (vi, en); remembered" }),
};

/** The query without `lang`, for use cases whose own schemas are strict. */
export function withoutLang<T extends { lang?: unknown }>(query: T): Omit<T, "lang"> {
  const { lang: _lang, ...rest } = query;
  return rest;
}

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid" }),
      message: z.string(),
      issues: z
        .array(
          z.object({
            field: z.string().openapi({ example: "email" }),
            message: z.string(),
            /** A generic failure (unknown_field, required, invalid_type, too_short, too_long, too_small,
             * too_big, invalid_option, invalid_format, invalid); absent when the message is the field's own. */
            code: z.enum(ISSUE_CODES).optional().openapi({ example: "required" }),
            /** The bound a too_short/too_long/too_small/too_big issue broke. */
            limit: z.number().optional(),
          }),
        )
        .optional(),
      /** A case decision that lost the race: who changed the case, how, when, and its state now. */
      details: z
        .object({
          caseId: z.string(),
          state: z.string(),
          version: z.number().int(),
          by: z.object({ staffId: z.string(), name: z.string() }),
          action: z.string(),
          at: z.string(),
          leaseUntil: z.string().optional(),
        })
        .optional(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

/** The OpenAPI `content` of a JSON body: `{ "application/json": { schema } }`. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** One JSON response of an operation, for `responses`: its description and content. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: jsonContent(schema),
});

/** A required JSON request body, for `request`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: jsonContent(schema) },
});

const errorContent = jsonContent(ErrorResponseSchema);

/** The error responses every protected operation can give, for the OpenAPI document. */
export const protectedErrors = {
  401: { description: "Not signed in, or the token is invalid", content: errorContent },
  403: { description: "The caller's role or scope does not allow this", content: errorContent },
} as const;

export const validationError = {
  400: { description: "Invalid input: each issue names its field", content: errorContent },
} as const;

export const conflictError = {
  409: { description: "Conflicts with existing data", content: errorContent },
} as const;

export const SECURITY: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

/** A list exported as a spreadsheet: XLSX unless CSV is asked for. */
export const FormatQuery = z.enum(["xlsx", "csv"]).default("xlsx");
export const fileResponse = {
  200: {
    description: "The file (formula-like cells neutralised)",
    content: {
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        schema: z.string().openapi({ format: "binary" }),
      },
      "text/csv": { schema: z.string() },
    },
  },
} as const;
