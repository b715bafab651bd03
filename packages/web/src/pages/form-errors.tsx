import type { FieldIssue } from "@pledgewatch/core";
import type { Messages } from "../i18n";
import { issueMessage } from "./issues";

/** Field errors keyed by field path, shown next to their inputs and summarised at the top. */
export type FieldErrors = Record<string, string>;

/** With the catalogue `t`, a generic issue (one with a code) is worded in the page's language. */
export function fieldErrors(issues: FieldIssue[], t?: Messages): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    // "contacts.0.email" is the single contact block's "email" field in the form.
    const field = issue.field.replace(/^contacts\.\d+\./, "contact.").replace(/^profiles\.\d+$/, "profiles");
    out[field] ??= t ? issueMessage(t, issue) : issue.message;
  }
  return out;
}

export function ErrorSummary({ title, errors }: { title: string; errors: FieldErrors }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="alert" role="alert" id="form-errors">
      <p>{title}</p>
      <ul>
        {entries.map(([field, message]) => (
          <li>{field ? <a href={`#f-${field.replace(/\./g, "-")}`}>{message}</a> : message}</li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled input with its error, wired with aria-invalid and aria-describedby. */
export function Field({
  name,
  label,
  value,
  errors,
  type = "text",
  required = false,
  hint,
  inputmode,
  autocomplete,
  autofocus = false,
  accept,
}: {
  name: string;
  label: string;
  value?: string | undefined;
  errors: FieldErrors;
  type?: string;
  required?: boolean;
  hint?: string | undefined;
  inputmode?: "numeric" | "email" | "tel" | "text" | undefined;
  autocomplete?: string | undefined;
  /** Focus on load: the field the person came to fill next (a code just sent). */
  autofocus?: boolean;
  /** File types a file field offers first. */
  accept?: string | undefined;
}) {
  const id = `f-${name.replace(/\./g, "-")}`;
  const error = errors[name];
  const describedBy =
    [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {type === "textarea" ? (
        <textarea
          id={id}
          name={name}
          rows={3}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy}
        >
          {value ?? ""}
        </textarea>
      ) : (
        <input
          id={id}
          name={name}
          type={type}
          value={value ?? ""}
          required={required}
          inputmode={inputmode}
          autocomplete={autocomplete}
          autofocus={autofocus || undefined}
          accept={accept}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy}
        />
      )}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
