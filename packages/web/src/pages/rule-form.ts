import type { FieldIssue, Rule, RuleKind } from "@pledgewatch/core";
import type { FormBody } from "../middleware";

/** The rule form's values, by field name (lists as one line per entry). */
export type RuleFormValues = Record<string, string>;

const lines = (v: string | undefined) =>
  (v ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
const joinLines = (list: readonly string[]) => list.join("\n");

/** Fields of each kind, besides the common ones, in form order. */
export const KIND_FIELDS: Record<
  RuleKind,
  { name: string; type: "lines" | "number" | "groups" | "pairs"; label?: string }[]
> = {
  phrase: [{ name: "phrases", type: "lines" }],
  near: [
    { name: "first", type: "lines" },
    { name: "second", type: "lines" },
    { name: "window", type: "number" },
    { name: "context", type: "lines" },
  ],
  together: [{ name: "groups", type: "groups" }],
  missing: [
    { name: "when", type: "lines" },
    { name: "whenCategories", type: "lines" },
    { name: "required", type: "lines" },
  ],
  price: [
    { name: "maxRatio", type: "number" },
    { name: "excluded", type: "lines" },
    { name: "excludedAnywhere", type: "lines" },
    { name: "excludedUnlessNew", type: "lines" },
    { name: "newGoods", type: "lines" },
  ],
  "seller-watch": [{ name: "entries", type: "pairs" }],
  "brand-watch": [
    { name: "brands", type: "pairs" },
    { name: "claims", type: "lines" },
  ],
  "product-watch": [
    { name: "entries", type: "pairs", label: "productEntries" },
    { name: "context", type: "lines" },
  ],
  discount: [
    { name: "markers", type: "lines" },
    { name: "maxRatio", type: "number" },
  ],
  lookalike: [
    { name: "brands", type: "lines", label: "lookalikeBrands" },
    { name: "allowed", type: "lines" },
  ],
};

export function ruleToValues(rule: Rule): RuleFormValues {
  const values: RuleFormValues = {
    id: rule.id,
    kind: rule.kind,
    agency: rule.agency,
    flagType: rule.flagType ?? "",
    title: rule.title,
    enabled: rule.enabled ? "on" : "",
    weight: String(rule.weight),
    legalBasis: rule.legalBasis,
    explanation: rule.explanation,
    kinds: rule.kinds.join(","),
    expectedVersion: String(rule.version),
    "except.before": joinLines(rule.except.before),
    "except.after": joinLines(rule.except.after),
    "except.window": String(rule.except.window),
    "except.anywhere": joinLines(rule.except.anywhere),
    "except.categories": joinLines(rule.except.categories),
  };
  // Each kind's own fields, as KIND_FIELDS lists them: the form and this stay one list.
  const fields = rule as unknown as Record<string, unknown>;
  for (const field of KIND_FIELDS[rule.kind]) {
    const value = fields[field.name];
    if (field.type === "lines") values[field.name] = joinLines(value as string[]);
    else if (field.type === "number") values[field.name] = String(value);
    else if (field.type === "groups") values[field.name] = (value as string[][]).map(joinLines).join("\n\n");
    else if (rule.kind === "brand-watch") {
      values[field.name] = joinLines(
        rule.brands.map((b) => `${b.brand} | ${b.authorisedSellers.join("; ")}`),
      );
    } else
      values[field.name] = joinLines(
        (value as { name: string; note: string }[]).map((e) => `${e.name} | ${e.note}`),
      );
  }
  return values;
}

export function valuesFromForm(form: FormBody): RuleFormValues {
  const values: RuleFormValues = {};
  for (const [key, value] of Object.entries(form)) {
    if (key === "_csrf") continue;
    if (Array.isArray(value)) values[key] = value.filter((v) => typeof v === "string").join(",");
    else if (typeof value === "string") values[key] = value;
  }
  return values;
}

const num = (v: string | undefined) =>
  v === undefined || v.trim() === "" ? Number.NaN : Number(v.replace(",", "."));

/** The form's values as a rule candidate, for RuleSchema to judge (its issues name these fields). */
export function ruleFromValues(values: RuleFormValues, version: number): unknown {
  const kind = values.kind as RuleKind;
  const rule: Record<string, unknown> = {
    id: (values.id ?? "").trim(),
    kind,
    version,
    agency: values.agency,
    ...(values.flagType ? { flagType: values.flagType } : {}),
    title: values.title ?? "",
    enabled: values.enabled === "on",
    weight: num(values.weight),
    legalBasis: values.legalBasis ?? "",
    explanation: values.explanation ?? "",
    kinds: (values.kinds ?? "").split(",").filter((k) => k !== ""),
    except: {
      before: lines(values["except.before"]),
      after: lines(values["except.after"]),
      window: num(values["except.window"] || "6"),
      anywhere: lines(values["except.anywhere"]),
      categories: lines(values["except.categories"]),
    },
  };
  for (const field of KIND_FIELDS[kind] ?? []) {
    const raw = values[field.name];
    if (field.type === "lines") rule[field.name] = lines(raw);
    else if (field.type === "number") rule[field.name] = num(raw);
    else if (field.type === "groups") {
      rule[field.name] = (raw ?? "")
        .split(/\r?\n\s*\r?\n/)
        .map(lines)
        .filter((g) => g.length > 0);
    } else if (field.name === "entries") {
      rule.entries = lines(raw).map((l) => {
        const [name = "", ...note] = l.split("|");
        return { name: name.trim(), note: note.join("|").trim() };
      });
    } else if (field.name === "brands") {
      rule.brands = lines(raw).map((l) => {
        const [brand = "", sellers = ""] = l.split("|");
        return {
          brand: brand.trim(),
          authorisedSellers: sellers
            .split(";")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
        };
      });
    }
  }
  return rule;
}

/** "except.before.3" → "except.before", "entries.0.name" → "entries": the form field of an issue. */
export function formField(issue: FieldIssue): string {
  const parts = issue.field.split(".");
  const cut = parts.findIndex((p) => /^\d+$/.test(p));
  return (cut === -1 ? parts : parts.slice(0, cut)).join(".");
}
