import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  DIRECT_UPLOAD_MAX_BYTES,
  ImportJobSchema,
  InvalidError,
  NotFoundError,
  PayloadTooLargeError,
  SIGNER_GROUPS,
  SignerGroupSchema,
  UPLOAD_LIMITS,
  type UploadInbox,
} from "@pledgewatch/core";
import { readTable } from "@pledgewatch/sheets";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, WebDeps } from "../env";
import { attachment, exportParties, importTemplate } from "../files";
import { principalOf, requires } from "../middleware";
import {
  conflictError,
  FormatQuery,
  fileResponse,
  LangQuery,
  protectedErrors,
  SECURITY,
  validationError,
  withoutLang,
} from "./common";
import { PartyListQuery } from "./parties";

const ImportJobResponse = z.object(ImportJobSchema.shape).openapi("ImportJob");

/** Import files sent with the request are limited to 10 MB locally; on AWS see importUploadLimit. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/**
 * The direct upload's limit: 10 MB locally; on AWS what a Lambda request carries (DIRECT_UPLOAD_MAX_BYTES),
 * larger files going to S3 by the console's form or `POST /api/v1/uploads` (up to 15 MB).
 */
export function importUploadLimit(deps: WebDeps) {
  const maxBytes = deps.uploads ? DIRECT_UPLOAD_MAX_BYTES : MAX_IMPORT_BYTES;
  return bodyLimit({
    maxSize: maxBytes + 64 * 1024,
    onError: () => {
      throw new PayloadTooLargeError(
        deps.uploads
          ? "Tệp lớn hơn 4 MB phải được tải thẳng lên kho lưu trữ: dùng biểu mẫu nhập trên trang Nhập danh sách, hoặc POST /api/v1/uploads rồi POST /api/v1/imports/uploaded (tối đa 15 MB)."
          : "Tệp quá lớn (tối đa 10 MB)",
      );
    },
  });
}

/** Reads a file into a preview job; shared by the API, the console form and the S3 path. */
export async function previewFile(
  deps: WebDeps,
  c: Parameters<typeof principalOf>[0],
  input: { group: unknown; fileName: string; bytes: Uint8Array; maxBytes?: number },
) {
  const group = SignerGroupSchema.safeParse(input.group);
  if (!group.success)
    throw new InvalidError("Invalid group", [{ field: "group", message: "Chọn nhóm đối tượng" }]);
  const table = await readTable(input.bytes, input.maxBytes ? { maxBytes: input.maxBytes } : {});
  if (!table.ok) throw new InvalidError("Unreadable file", [{ field: "file", message: table.error }]);
  return deps.imports.preview(principalOf(c), { group: group.data, fileName: input.fileName, table });
}

/** Reads an uploaded file (multipart, field `file`) into a preview job. */
export async function previewUpload(
  deps: WebDeps,
  c: Parameters<typeof principalOf>[0],
  form: Record<string, unknown>,
) {
  if (!SignerGroupSchema.safeParse(form.group).success)
    throw new InvalidError("Invalid group", [{ field: "group", message: "Chọn nhóm đối tượng" }]);
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) {
    throw new InvalidError("Missing file", [{ field: "file", message: "Chọn tệp XLSX hoặc CSV để nhập" }]);
  }
  return previewFile(deps, c, {
    group: form.group,
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
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
      middleware: [requires("parties.write"), importUploadLimit(deps)] as const,
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

  /** The uploads inbox, or a clear answer where there is none (`npm start`: files go with the request). */
  const inbox = (): UploadInbox => {
    if (!deps.uploads)
      throw new NotFoundError(
        "Nơi này không có kho tải lên: gửi tệp kèm yêu cầu tới POST /api/v1/imports (tối đa 10 MB).",
      );
    return deps.uploads;
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/uploads",
      tags: ["Imports"],
      summary: "A form to upload one large file straight to storage (AWS)",
      description: `For import files over 4 MB (Lambda takes 6 MB per request, base64 included). Post the returned fields, then the file as \`file\` (last), to \`url\` as multipart/form-data within five minutes; the policy binds the key's folder (storage puts the file's name in place of \${filename}), the type (XLSX), the size (15 MB at most) and the caller. Then POST /api/v1/imports/uploaded with the stored key.`,
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: {
        body: {
          required: true,
          content: { "application/json": { schema: z.strictObject({ purpose: z.literal("import") }) } },
        },
      },
      responses: {
        201: {
          description: "The upload form",
          content: {
            "application/json": {
              schema: z
                .object({
                  url: z.string(),
                  fields: z.record(z.string(), z.string()),
                  key: z.string(),
                  maxBytes: z.number().int(),
                  contentType: z.string(),
                  expiresAt: z.string(),
                })
                .openapi("UploadForm"),
            },
          },
        },
        404: { description: "No uploads storage here (npm start): send the file with POST /api/v1/imports" },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) =>
      c.json(await inbox().offer(c.req.valid("json").purpose, { uploader: principalOf(c).staffId }), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/imports/uploaded",
      tags: ["Imports"],
      summary: "Preview a party list uploaded with POST /api/v1/uploads",
      description: `The key is the one storage answered the upload with (the form's key with the file's name in place of \${filename}). Only the caller who asked for the form can take it; the file is read once from storage and removed, and a second call with the same key gives 404. As POST /api/v1/imports otherwise.`,
      security: SECURITY,
      middleware: [requires("parties.write")] as const,
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                key: z.string().min(1).max(200),
                group: z.enum(SIGNER_GROUPS),
                fileName: z
                  .string()
                  .min(1)
                  .max(200)
                  .optional()
                  .describe("Shown in the import list; by default the name the file was posted with"),
              }),
            },
          },
        },
      },
      responses: {
        201: { description: "The preview", content: { "application/json": { schema: ImportJobResponse } } },
        404: { description: "No such upload (expired, already read, or not an import)" },
        ...validationError,
        ...protectedErrors,
      },
    }),
    async (c) => {
      const { key, group, fileName } = c.req.valid("json");
      const file = await inbox().take("import", key, { uploader: principalOf(c).staffId });
      if (!file)
        throw new NotFoundError(
          "Không tìm thấy tệp đã tải lên (có thể đã quá 5 phút, đã được đọc, hoặc không phải tệp XLSX).",
        );
      const job = await previewFile(deps, c, {
        group,
        fileName: fileName ?? file.fileName,
        bytes: file.bytes,
        maxBytes: UPLOAD_LIMITS.import.maxBytes,
      });
      return c.json(job, 201);
    },
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
