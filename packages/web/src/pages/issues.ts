import type { FieldIssue } from "@pledgewatch/core";
import { format, type Messages } from "../i18n";

/**
 * A field's name for people: the catalogue's name of its dotted path ("contacts.0.email" → the name of
 * "contacts.email", else of "email"); the path itself only when the catalogue has none.
 */
export function fieldName(t: Messages, field: string): string {
  const names = t.fieldNames as Record<string, string>;
  const parts = field.split(".").filter((part) => !/^\d+$/.test(part));
  return names[parts.join(".")] ?? names[parts.at(-1) ?? ""] ?? field;
}

/** A validation issue's message for people: the catalogue's words for its code, else its own message. */
export function issueMessage(t: Messages, issue: FieldIssue): string {
  const messages = t.issueMessages as Record<string, string>;
  const worded = issue.code ? messages[issue.code] : undefined;
  return worded ? format(worded, { limit: issue.limit ?? "" }) : issue.message;
}

/** One validation issue as a sentence: "<field name>: <message>", the message from the catalogue by code. */
export function issueText(t: Messages, issue: FieldIssue): string {
  const message = issueMessage(t, issue);
  return issue.field ? `${fieldName(t, issue.field)}: ${message}` : message;
}
