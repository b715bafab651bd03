import {
  ConflictError,
  EvaluationScopeSchema,
  type FieldIssue,
  InvalidError,
  PREVIEW_DEFAULT,
  PREVIEW_MAX,
  type Principal,
  type ReferencePrice,
  RULE_KINDS,
  type Rule,
  type RuleKind,
  WATCHLIST_MAX_ENTRIES,
  type WatchlistProblem,
  watchlistFromTable,
} from "@pledgewatch/core";
import { readTable } from "@pledgewatch/sheets";
import type { Context, Hono } from "hono";
import type { AppEnv, WebDeps } from "../env";
import { format, type Messages } from "../i18n";
import { consoleForm, principalOf, requires } from "../middleware";
import { issueMessage } from "../pages/issues";
import { pageContext } from "../pages/page-context";
import {
  formField,
  type RuleFormValues,
  ruleFromValues,
  ruleToValues,
  valuesFromForm,
} from "../pages/rule-form";
import { EvaluationsPage, ReferencePricesPage, RulePage, RulesPage } from "../pages/rules";

function formErrors(error: unknown, t: Messages): Record<string, string> | undefined {
  if (error instanceof InvalidError) {
    const out: Record<string, string> = {};
    for (const issue of error.issues as FieldIssue[]) out[formField(issue)] ??= issueMessage(t, issue);
    if (Object.keys(out).length === 0) out[""] = error.message;
    return out;
  }
  if (error instanceof ConflictError) return { "": error.message };
  return undefined;
}

function newRuleValues(kind: RuleKind, principal: Principal): RuleFormValues {
  return {
    id: "",
    kind,
    agency: principal.agency,
    title: "",
    enabled: "on",
    weight: "0.6",
    legalBasis: "",
    explanation: "Tin có “{evidence}”.",
    kinds: "",
    expectedVersion: "0",
    "except.window": "6",
    ...(kind === "near" ? { window: "4" } : {}),
    ...(kind === "price" ? { maxRatio: "0.35" } : {}),
  };
}

const sourceOf = (rule: Rule | undefined) => (rule?.kind === "product-watch" ? rule.source : undefined);

/** A watchlist file's size limit: the regulators' lists are a few hundred rows. */
const WATCHLIST_MAX_BYTES = 2 * 1024 * 1024;

function watchlistProblem(t: Messages, problem: WatchlistProblem): string {
  const m = t.rules.watchlistProblems;
  switch (problem.code) {
    case "no_name_column":
      return format(m.noNameColumn, { columns: problem.columns.join(", ") || "—" });
    case "empty":
      return m.empty;
    case "too_many":
      return format(m.tooMany, { max: problem.max, found: problem.found });
    case "rows_without_name":
      return format(m.rowsWithoutName, { rows: problem.rows.join(", ") });
  }
}

const previewLimit = (values: RuleFormValues) => {
  const n = Number(values.limit);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, PREVIEW_MAX) : PREVIEW_DEFAULT;
};

/**
 * The rules page: the rule set, each rule's confirmed share in the caller's own queue (90 days), and the
 * latest re-evaluation after a rule change.
 */
async function rulesList(c: Context<AppEnv>, deps: WebDeps) {
  const principal = principalOf(c);
  const ruleSet = await deps.flagging.ruleSet(principal);
  const metrics = await deps.reviewMetrics.metrics(principal, {
    from: new Date(deps.clock.now().getTime() - 90 * 86_400_000).toISOString(),
  });
  return c.html(
    <RulesPage
      page={pageContext(c)}
      ruleSet={ruleSet}
      canCreate={deps.flagging.canEdit(principal, principal.agency)}
      shares={new Map(metrics.rules.map((r) => [r.ruleId, r]))}
      reevaluation={(await deps.reevaluation.latest()) ?? undefined}
    />,
  );
}

/** A stored rule's page, as saved (with a save's notice or a file's error). */
async function storedRulePage(
  c: Context<AppEnv>,
  flagging: WebDeps["flagging"],
  id: string,
  extra: { saved?: number; errors?: Record<string, string> },
  status: 200 | 400 | 409 = 200,
) {
  const principal = principalOf(c);
  const found = await flagging.getRule(principal, id);
  return c.html(
    <RulePage
      page={pageContext(c)}
      principal={principal}
      ruleId={found.rule.id}
      kind={found.rule.kind}
      values={ruleToValues(found.rule)}
      errors={extra.errors ?? {}}
      editable={flagging.canEdit(principal, found.rule.agency)}
      history={found.history}
      saved={extra.saved}
      source={sourceOf(found.rule)}
    />,
    status,
  );
}

/** A product watchlist refreshed from the regulator's file (CSV or XLSX): all rows or nothing. */
function registerWatchlistUpload(app: Hono<AppEnv>, deps: WebDeps) {
  const { flagging } = deps;
  app.post("/console/rules/:id/watchlist", requires("rules.write"), consoleForm(), async (c) => {
    const principal = principalOf(c);
    const id = c.req.param("id");
    const form = c.get("form");
    const t = c.get("t");
    const file = form.file;
    const fail = (message: string, status: 400 | 409) =>
      storedRulePage(c, flagging, id, { errors: { file: message } }, status);
    if (!(file instanceof File) || file.size === 0) return fail(t.rules.watchlistProblems.noFile, 400);
    const table = await readTable(new Uint8Array(await file.arrayBuffer()), {
      maxBytes: WATCHLIST_MAX_BYTES,
      maxRows: WATCHLIST_MAX_ENTRIES,
    });
    if (!table.ok) return fail(table.error, 400);
    const list = watchlistFromTable(table.headers, table.rows);
    if (!list.ok) return fail(watchlistProblem(t, list.problem), 400);
    try {
      const saved = await flagging.loadWatchlist(
        principal,
        id,
        { entries: list.entries, file: file.name, rows: list.rows },
        Number(form.expectedVersion),
      );
      return c.redirect(
        `/console/rules/${encodeURIComponent(id)}?saved=${saved.rule.version}#watchlist`,
        303,
      );
    } catch (error) {
      if (error instanceof ConflictError) return fail(t.rules.watchlistProblems.stale, 409);
      if (error instanceof InvalidError) {
        return fail(error.issues.map((issue) => issueMessage(t, issue)).join("; ") || error.message, 400);
      }
      throw error;
    }
  });
}

/** The rules console: list, one rule with its history, edit (leads of its agency, admins), preview. */
export function registerRulesConsole(app: Hono<AppEnv>, deps: WebDeps) {
  const { flagging } = deps;

  app.get("/console/rules", requires("rules.read"), (c) => rulesList(c, deps));

  const kindOf = (value: unknown): RuleKind => {
    const kind = RULE_KINDS.find((k) => k === value);
    if (!kind)
      throw new InvalidError("Invalid rule kind", [
        { field: "kind", message: `one of ${RULE_KINDS.join(", ")}` },
      ]);
    return kind;
  };

  app.get("/console/rules/new", requires("rules.write"), (c) => {
    const principal = principalOf(c);
    const kind = kindOf(c.req.query("kind") ?? "phrase");
    return c.html(
      <RulePage
        page={pageContext(c)}
        principal={principal}
        ruleId={null}
        kind={kind}
        values={newRuleValues(kind, principal)}
        errors={{}}
        editable
        history={[]}
      />,
    );
  });

  /** Shows the form again after a failed save or with a preview. */
  const again = async (
    c: Context<AppEnv>,
    ruleId: string | null,
    values: RuleFormValues,
    extra: { errors?: Record<string, string>; preview?: Awaited<ReturnType<typeof flagging.preview>> },
    status: 200 | 400 | 409,
  ) => {
    const principal = principalOf(c);
    const kind = kindOf(values.kind);
    const found = ruleId === null ? null : await flagging.getRule(principal, ruleId);
    const editable = flagging.canEdit(
      principal,
      (found?.rule.agency ?? values.agency ?? principal.agency) as never,
    );
    return c.html(
      <RulePage
        page={pageContext(c)}
        principal={principal}
        ruleId={ruleId}
        kind={kind}
        values={values}
        errors={extra.errors ?? {}}
        editable={editable}
        history={found?.history ?? []}
        preview={extra.preview}
        source={sourceOf(found?.rule)}
      />,
      status,
    );
  };

  const save = (ruleId: string | null) => async (c: Context<AppEnv>) => {
    const form = c.get("form");
    const values = valuesFromForm(form);
    if (ruleId !== null) values.id = ruleId;
    const expected = ruleId === null ? 0 : Number(values.expectedVersion);
    try {
      const candidate = ruleFromValues({ ...values, kind: kindOf(values.kind) }, Math.max(expected, 1));
      const saved = await flagging.saveRule(
        principalOf(c),
        candidate,
        Number.isInteger(expected) ? expected : -1,
      );
      return c.redirect(
        `/console/rules/${encodeURIComponent(saved.rule.id)}?saved=${saved.rule.version}`,
        303,
      );
    } catch (error) {
      const errors = formErrors(error, c.get("t"));
      if (!errors) throw error;
      return again(c, ruleId, values, { errors }, error instanceof ConflictError ? 409 : 400);
    }
  };

  const preview = (ruleId: string | null) => async (c: Context<AppEnv>) => {
    const form = c.get("form");
    const values = valuesFromForm(form);
    if (ruleId !== null) values.id = ruleId;
    try {
      const candidate = ruleFromValues(
        { ...values, kind: kindOf(values.kind) },
        Math.max(Number(values.expectedVersion) || 1, 1),
      );
      const result = await flagging.preview(principalOf(c), candidate, previewLimit(values));
      return again(c, ruleId, values, { preview: result }, 200);
    } catch (error) {
      const errors = formErrors(error, c.get("t"));
      if (!errors) throw error;
      return again(c, ruleId, values, { errors }, 400);
    }
  };

  const ruleForm = consoleForm({ all: true });
  app.post("/console/rules/new", requires("rules.write"), ruleForm, save(null));
  app.post("/console/rules/new/preview", requires("rules.read"), ruleForm, preview(null));

  app.get("/console/rules/:id", requires("rules.read"), (c) => {
    const saved = Number(c.req.query("saved"));
    return storedRulePage(c, flagging, c.req.param("id"), {
      ...(Number.isInteger(saved) && saved > 0 ? { saved } : {}),
    });
  });

  registerWatchlistUpload(app, deps);

  app.post("/console/rules/:id", requires("rules.write"), ruleForm, (c) => save(c.req.param("id"))(c));
  app.post("/console/rules/:id/preview", requires("rules.read"), ruleForm, (c) =>
    preview(c.req.param("id"))(c),
  );

  const catalogueText = (items: readonly ReferencePrice[]) =>
    items.map((e) => `${e.id} | ${e.name} | ${e.match.join(" + ")} | ${e.price}`).join("\n");
  const catalogueFrom = (text: string) =>
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .map((line) => {
        const [id = "", name = "", match = "", price = ""] = line.split("|").map((part) => part.trim());
        return {
          id,
          name,
          match: match
            .split("+")
            .map((m) => m.trim())
            .filter((m) => m !== ""),
          price: Number(price.replace(/[.\s,đ]/g, "")),
        };
      });
  const priceOwners = async (principal: Principal) => {
    const set = await flagging.ruleSet(principal);
    const owners = set.rules.filter((r) => r.kind === "price").map((r) => r.agency);
    return {
      set,
      editable:
        owners.length > 0 ? owners.every((a) => flagging.canEdit(principal, a)) : principal.role === "admin",
    };
  };

  app.get("/console/reference-prices", requires("rules.read"), async (c) => {
    const principal = principalOf(c);
    const { set, editable } = await priceOwners(principal);
    const saved = Number(c.req.query("saved"));
    return c.html(
      <ReferencePricesPage
        page={pageContext(c)}
        version={set.version}
        text={catalogueText(set.catalogue)}
        editable={editable}
        errors={{}}
        saved={Number.isInteger(saved) && saved > 0 ? saved : undefined}
      />,
    );
  });

  app.post("/console/reference-prices", requires("rules.write"), consoleForm(), async (c) => {
    const form = c.get("form");
    const principal = principalOf(c);
    const text = typeof form.items === "string" ? form.items : "";
    try {
      const saved = await flagging.saveCatalogue(
        principal,
        catalogueFrom(text),
        Number(form.expectedRuleSetVersion),
      );
      return c.redirect(`/console/reference-prices?saved=${saved.ruleSetVersion}`, 303);
    } catch (error) {
      if (!(error instanceof InvalidError || error instanceof ConflictError)) throw error;
      const t = c.get("t");
      const errors: Record<string, string> = {};
      if (error instanceof InvalidError) {
        // One message for the one field, naming each wrong line.
        errors.items = error.issues
          .map((issue) => {
            const [index, ...rest] = issue.field.split(".");
            return format(t.rules.catalogueLine, {
              line: Number(index) + 1,
              message: `${rest.join(".")}: ${issueMessage(t, issue)}`,
            });
          })
          .slice(0, 10)
          .join("; ");
      } else errors[""] = error.message;
      const { set, editable } = await priceOwners(principal);
      return c.html(
        <ReferencePricesPage
          page={pageContext(c)}
          version={set.version}
          text={text}
          editable={editable}
          errors={errors}
        />,
        error instanceof ConflictError ? 409 : 400,
      );
    }
  });

  app.get("/console/evaluations", requires("evaluations.read"), async (c) => {
    const raw = c.req.query("agency") ?? "";
    const scope = raw === "" ? undefined : EvaluationScopeSchema.safeParse(raw).data;
    if (raw !== "" && scope === undefined) {
      throw new InvalidError("Invalid filter", [{ field: "agency", message: "CT, VHTT, YT or none" }]);
    }
    const records = await flagging.latestEvaluations(principalOf(c), { scope, limit: 100 });
    return c.html(
      <EvaluationsPage
        page={pageContext(c)}
        records={records}
        scope={raw}
        ruleTitles={await flagging.ruleTitles()}
      />,
    );
  });
}
