import {
  CeasePartySchema,
  ChangeOwnerSchema,
  ConflictError,
  can,
  type ImportJob,
  InvalidError,
  PartyInputSchema,
  PartyUpdateSchema,
  type Principal,
  SIGNER_GROUPS,
  type SignerGroup,
  SignerGroupSchema,
  UPLOAD_LIMITS,
  type UploadForm,
} from "@pledgewatch/core";
import type { Context, Hono } from "hono";
import { importUploadLimit, previewFile, previewUpload } from "../api/imports";
import { PartyListQuery } from "../api/parties";
import type { AppEnv, PartyFilterInput, WebDeps } from "../env";
import { issuesFromZod } from "../errors";
import { attachment, exportParties, importTemplate } from "../files";
import type { Messages } from "../i18n";
import { consoleForm, type FormBody, principalOf, requires } from "../middleware";
import { fieldErrors } from "../pages/form-errors";
import { ImportJobPage, ImportsPage } from "../pages/imports";
import { pageContext } from "../pages/page-context";
import { PartiesPage } from "../pages/parties";
import { formValuesOf, NewPartyPage, type PartyFormValues, PartyPage } from "../pages/party";
import { allowFormTo } from "../uploads";

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The party form's fields → the input object the API takes. Empty fields are left out. */
function partyFields(form: FormBody): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [
    "name",
    "group",
    "ward",
    "refCode",
    "taxCode",
    "pressLicence",
    "practisingCertificate",
    "status",
    "statusReason",
    "obligatedFrom",
    "notes",
  ]) {
    const value = text(form[key]);
    if (value) out[key] = value;
  }
  const provinces = form.provinces;
  out.provinces = (Array.isArray(provinces) ? provinces : provinces ? [provinces] : []).filter(
    (p) => typeof p === "string",
  );
  const profiles = text(form.profiles).split(/\s+/).filter(Boolean);
  if (profiles.length > 0) out.profiles = profiles;
  const contact = {
    name: text(form["contact.name"]),
    title: text(form["contact.title"]) || undefined,
    email: text(form["contact.email"]) || undefined,
    phone: text(form["contact.phone"]) || undefined,
  };
  if (contact.name || contact.email || contact.phone)
    out.contacts = [{ ...contact, name: contact.name || text(form.name) }];
  return out;
}

function formValues(form: FormBody): PartyFormValues {
  const values: PartyFormValues = {};
  for (const [key, value] of Object.entries(form)) {
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === "string");
  }
  return values;
}

function consoleFilter(c: Context<AppEnv>): PartyFilterInput & { cursor?: string | undefined } {
  const parsed = PartyListQuery.omit({ limit: true }).safeParse(
    Object.fromEntries(
      Object.entries(c.req.query()).filter(
        ([key, value]) => value !== "" && key !== "lang" && key !== "format",
      ),
    ),
  );
  return parsed.success ? parsed.data : {};
}

export function registerPartyConsole(app: Hono<AppEnv>, deps: WebDeps) {
  app.get("/console/parties", requires("parties.read"), async (c) => {
    const { cursor, ...filter } = consoleFilter(c);
    const result = await deps.parties.list(principalOf(c), { ...filter, cursor, limit: 50 });
    return c.html(
      <PartiesPage
        page={pageContext(c)}
        result={result}
        filter={filter}
        cursor={cursor}
        currentQuarter={deps.signing.currentQuarter()}
        invitedNotice={c.req.query("invited") === "1"}
      />,
    );
  });

  app.get("/console/parties/export", requires("parties.read"), async (c) => {
    const { cursor: _ignored, ...filter } = consoleFilter(c);
    const format = c.req.query("format") === "csv" ? "csv" : "xlsx";
    return attachment(await exportParties(deps, principalOf(c), filter, format));
  });

  app.get("/console/parties/new", requires("parties.write"), (c) =>
    c.html(
      <NewPartyPage
        page={pageContext(c)}
        values={{ provinces: [principalOf(c).province], status: "active" }}
        errors={{}}
      />,
    ),
  );

  app.post("/console/parties/new", requires("parties.write"), consoleForm({ all: true }), async (c) => {
    const form = c.get("form");
    const parsed = PartyInputSchema.safeParse(partyFields(form));
    try {
      if (!parsed.success)
        throw new InvalidError("Invalid party", issuesFromZod(parsed.error, partyFields(form)));
      const party = await deps.parties.create(principalOf(c), parsed.data);
      return c.redirect(`/console/parties/${encodeURIComponent(party.id)}?saved=1`, 303);
    } catch (error) {
      const errors = formErrors(error, c.get("t"));
      if (!errors) throw error;
      return c.html(<NewPartyPage page={pageContext(c)} values={formValues(form)} errors={errors} />, 400);
    }
  });

  const showParty = async (
    c: Context<AppEnv>,
    actor: Principal,
    id: string,
    override?: { values: PartyFormValues; errors: Record<string, string> },
  ) => {
    const party = await deps.parties.get(actor, id);
    const history = await deps.parties.history(actor, id);
    const signing = can(actor, "pledges.read", { agency: party.agency, provinces: party.provinces })
      ? await deps.signing.ofParty(actor, id)
      : undefined;
    const notice = c.req.query("pledge");
    const t = c.get("t");
    const notices: Record<string, string> = {
      invited: t.pledges.invited,
      resent: t.pledges.resent,
      revoked: t.pledges.revoked,
      pledgeRevoked: t.pledges.pledgeRevoked,
    };
    return (
      <PartyPage
        page={pageContext(c)}
        party={party}
        history={history}
        pledges={
          signing
            ? {
                currentQuarter: deps.signing.currentQuarter(),
                invitations: signing.invitations,
                pledges: signing.pledges,
              }
            : undefined
        }
        pledgeNotice={notice ? notices[notice] : undefined}
        values={override?.values ?? formValuesOf(party)}
        errors={override?.errors ?? {}}
        saved={c.req.query("saved") === "1"}
      />
    );
  };

  app.get("/console/parties/:id", requires("parties.read"), async (c) =>
    c.html(await showParty(c, principalOf(c), c.req.param("id"))),
  );

  app.post("/console/parties/:id", requires("parties.write"), consoleForm({ all: true }), async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const { group: _fixed, ...fields } = partyFields(form);
    const candidate = { ...fields, version: Number(text(form.version)) };
    const parsed = PartyUpdateSchema.safeParse(candidate);
    try {
      if (!parsed.success) throw new InvalidError("Invalid party", issuesFromZod(parsed.error, candidate));
      await deps.parties.update(principalOf(c), id, parsed.data);
      return c.redirect(`/console/parties/${encodeURIComponent(id)}?saved=1`, 303);
    } catch (error) {
      const errors = formErrors(error, c.get("t"));
      if (!errors) throw error;
      return c.html(await showParty(c, principalOf(c), id, { values: formValues(form), errors }), 400);
    }
  });

  app.post("/console/parties/:id/cease", requires("parties.write"), consoleForm(), async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const parsed = CeasePartySchema.safeParse({
      version: Number(text(form.version)),
      reason: text(form.reason),
    });
    if (!parsed.success) throw new InvalidError("Invalid request", issuesFromZod(parsed.error));
    await deps.parties.cease(principalOf(c), id, parsed.data);
    return c.redirect(`/console/parties/${encodeURIComponent(id)}?saved=1`, 303);
  });

  app.post("/console/parties/:id/owner", requires("parties.reassign"), consoleForm(), async (c) => {
    const form = c.get("form");
    const id = c.req.param("id");
    const parsed = ChangeOwnerSchema.safeParse({
      version: Number(text(form.version)),
      agency: text(form.agency),
      reason: text(form.ownerReason),
    });
    if (!parsed.success) throw new InvalidError("Invalid request", issuesFromZod(parsed.error));
    await deps.parties.changeOwner(principalOf(c), id, parsed.data);
    return c.redirect(`/console/parties/${encodeURIComponent(id)}?saved=1`, 303);
  });

  /** On AWS the page's form sends the XLSX straight to S3, for the group chosen (bound in the policy). */
  async function importsPage(c: Context<AppEnv>, errors: Record<string, string>, status: 200 | 400 = 200) {
    const jobs = await deps.imports.list(principalOf(c));
    let upload: { group: SignerGroup; form: UploadForm } | undefined;
    if (deps.uploads) {
      const chosen = SignerGroupSchema.safeParse(c.req.query("group"));
      const group = chosen.success ? chosen.data : (SIGNER_GROUPS[0] as SignerGroup);
      const redirect = `${deps.publicBaseUrl ?? ""}/console/imports/uploaded?group=${encodeURIComponent(group)}`;
      const uploader = principalOf(c).staffId;
      upload = { group, form: await deps.uploads.offer("import", { redirect, uploader }) };
      allowFormTo(c, upload.form);
    }
    return c.html(<ImportsPage page={pageContext(c)} jobs={jobs} errors={errors} upload={upload} />, status);
  }

  /** A file read into a preview: its page, or the imports page again with the file's errors. */
  async function showPreview(c: Context<AppEnv>, preview: () => Promise<ImportJob>) {
    try {
      const job = await preview();
      return c.redirect(`/console/imports/${encodeURIComponent(job.id)}`, 303);
    } catch (error) {
      const errors = formErrors(error, c.get("t"));
      if (!errors) throw error;
      return importsPage(c, errors, 400);
    }
  }

  app.get("/console/imports", requires("parties.write"), (c) => importsPage(c, {}));

  // Where S3 sends the browser back after an XLSX went to the uploads bucket (AWS): read once, previewed.
  app.get("/console/imports/uploaded", requires("parties.write"), async (c) => {
    const uploader = principalOf(c).staffId;
    const file = deps.uploads
      ? await deps.uploads.take("import", c.req.query("key") ?? "", { uploader })
      : null;
    if (!file) return importsPage(c, { file: c.get("t").imports.uploadMissing }, 400);
    return showPreview(c, () =>
      previewFile(deps, c, {
        group: c.req.query("group"),
        fileName: file.fileName,
        bytes: file.bytes,
        maxBytes: UPLOAD_LIMITS.import.maxBytes,
      }),
    );
  });

  app.get("/console/imports/template", requires("parties.read"), async (c) => {
    const group = SignerGroupSchema.safeParse(c.req.query("group"));
    if (!group.success)
      throw new InvalidError("Invalid group", [{ field: "group", message: "Nhóm không hợp lệ" }]);
    return attachment(await importTemplate(group.data, c.req.query("format") === "csv" ? "csv" : "xlsx"));
  });

  app.post("/console/imports", requires("parties.write"), importUploadLimit(deps), consoleForm(), (c) =>
    showPreview(c, () => previewUpload(deps, c, c.get("form"))),
  );

  app.get("/console/imports/:id", requires("parties.read"), async (c) =>
    c.html(
      <ImportJobPage page={pageContext(c)} job={await deps.imports.get(principalOf(c), c.req.param("id"))} />,
    ),
  );

  app.post("/console/imports/:id/commit", requires("parties.write"), consoleForm(), async (c) => {
    const id = c.req.param("id");
    await deps.imports.commit(principalOf(c), id);
    return c.redirect(`/console/imports/${encodeURIComponent(id)}`, 303);
  });
}

/** Errors a form shows next to its fields (validation, a taken identifier, a stale version). */
function formErrors(error: unknown, t: Messages): Record<string, string> | undefined {
  if (error instanceof InvalidError) return fieldErrors(error.issues, t);
  if (error instanceof ConflictError) return { "": error.message };
  return undefined;
}
