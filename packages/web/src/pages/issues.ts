import type { FieldIssue } from "@pledgewatch/core";
import type { Messages } from "../i18n";

/**
 * A field's name for people: the catalogue's name of its dotted path ("contacts.0.email" → the name of
 * "contacts.email", else of "email"); the path itself only when the catalogue has none.
 */
export function fieldName(t: Messages, field: string): string {
  const names = t.fieldNames as Record<string, string>;
  const parts = field.split(".").filter((part) => !/^\d+$/.test(part));
  return names[parts.join(".")] ?? names[parts.at(-1) ?? ""] ?? field;
}

/** One validation issue as a sentence: "<field name>: <message>", the message from the catalogue by code. */
export function issueText(t: Messages, issue: FieldIssue & { code?: string | undefined }): string {
  const messages = t.issueMessages as Record<string, string>;
  const message = (issue.code ? messages[issue.code] : undefined) ?? issue.message;
  return issue.field ? `${fieldName(t, issue.field)}: ${message}` : message;
}
