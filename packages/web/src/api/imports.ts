import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ImportJobSchema, InvalidError, SIGNER_GROUPS, SignerGroupSchema } from "@pledgewatch/core";
import { readTable } from "@pledgewatch/sheets";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, WebDeps } from "../env";
import { attachment, exportParties, importTemplate } from "../files";
import { principalOf, requires } from "../middleware";
import { conflictError, LangQuery, protectedErrors, SECURITY, validationError, withoutLang } from "./common";
import { PartyListQuery } from "./parties";

const ImportJobResponse = z.object(ImportJobSchema.shape).openapi("ImportJob");
const FormatQuery = z.enum(["xlsx", "csv"]).default("xlsx");
const fileResponse = {
  200: {
    description: "The file",
    content: {
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        schema: z.string().openapi({ format: "binary" }),
      },
      "text/csv": { schema: z.string() },
    },
  },
} as const;

/** Import files are limited to 10 MB, as the file reader is; API Gateway's own limit is the same. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export const importUploadLimit = bodyLimit({
  maxSize: MAX_IMPORT_BYTES + 64 * 1024,
  onError: () => {
    throw new InvalidError("File too large", [{ field: "file", message: "Tệp quá lớn (tối đa 10 MB)" }]);
  },
});

/** Reads an uploaded file into a preview job; shared by the API and the console form. */
export async function previewUpload(
  deps: WebDeps,
  c: Parameters<typeof principalOf>[0],
  form: Record<string, unknown>,
) {
  const group = SignerGroupSchema.safeParse(form.group);
  if (!group.success)
    throw new InvalidError("Invalid group", [{ field: "group", message: "Chọn nhóm đối tượng" }]);
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) {
    throw new InvalidError("Missing file", [{ field: "file", message: "Chọn tệp XLSX hoặc CSV để nhập" }]);
  }
  const table = await readTable(new Uint8Array(await file.arrayBuffer()));
  if (!table.ok) throw new InvalidError("Unreadable file", [{ field: "file", message: table.error }]);
  return deps.imports.preview(principalOf(c), { group: group.data, fileName: file.name, table });
}

export function registerImportsApi(app: OpenAPIHono<AppEnv>, deps: WebDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties/export",
      tags: ["Parties"],
      summary: "The filtered list as XLSX or CSV (formula-like cells neutralised)",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { query: PartyListQuery.omit({ limit: true, cursor: true }).extend({ format: FormatQuery }) },
      responses: { ...fileResponse, ...validationError, ...protectedErrors },
    }),
    async (c) => {
      const { format, ...filter } = withoutLang(c.req.valid("query"));
      return attachment(await exportParties(deps, principalOf(c), filter, format)) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/parties/template",
      tags: ["Imports"],
      summary: "The import template of a signer group, with Vietnamese headers",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { query: z.strictObject({ group: z.enum(SIGNER_GROUPS), format: FormatQuery, ...LangQuery }) },
      responses: { ...fileResponse, ...validationError, ...protectedErrors },
    }),
    async (c) => {
      const { group, format } = c.req.valid("query");
      return attachment(await importTemplate(group, format)) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/imports",
      tags: ["Imports"],
      summary: "Upload a party list (XLSX or CSV) and get its preview",
      description:
        "Every row is validated and matched by identifier; nothing is written until the import is committed. Errors name the row and column, in Vietnamese.",
      security: SECURITY,
      middleware: [requires("parties.write"), importUploadLimit] as const,
      request: {
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: z.object({
                group: z.enum(SIGNER_GROUPS),
                file: z.any().openapi({ type: "string", format: "binary" }),
              }),
            },
          },
        },
      },
      responses: {
        201: { description: "The preview", content: { "application/json": { schema: ImportJobResponse } } },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await previewUpload(deps, c, await c.req.parseBody()), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/imports",
      tags: ["Imports"],
      summary: "Recent imports of the caller's agency and province",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      responses: {
        200: {
          description: "Imports",
          content: { "application/json": { schema: z.object({ items: z.array(ImportJobResponse) }) } },
        },
        ...protectedErrors,
      },
    }),
    async (c) => c.json({ items: await deps.imports.list(principalOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/imports/{id}",
      tags: ["Imports"],
      summary: "An import: its preview, errors, status and progress",
      security: SECURITY,
      middleware: [requires("parties.read")] as const,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        200: { description: "The import", content: { "application/json": { schema: ImportJobResponse } } },
        404: { description: "No such import in the caller's scope" },
        ...protectedErrors,
      },
    }),
    async (c) => c.json(await deps.imports.get(principalOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/imports/{id}/commit",
      tags: ["Imports"],
      summary: "Write the accepted rows of a previewed import, all or nothing",
      description: "Runs in the background; poll the import for its progress. A second commit gives 409.",
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        202: { description: "Queued", content: { "application/json": { schema: ImportJobResponse } } },
        404: { description: "No such import in the caller's scope" },
        ...validationError,
        ...protectedErrors,
        ...conflictError,
      },
    }),
    async (c) => c.json(await deps.imports.commit(principalOf(c), c.req.valid("param").id), 202),
  );
}
