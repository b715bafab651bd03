import { vietnamDateTime } from "@pledgewatch/core";
import { en } from "./en";
import { type Messages, vi } from "./vi";

export type { Messages };
export const LANGUAGES = ["vi", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const catalogues: Record<Language, Messages> = { vi, en };

export function messages(lang: Language): Messages {
  return catalogues[lang];
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Fills `{name}` placeholders. Values are plain text; JSX escapes them when rendered. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}

/** Dates are always shown in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:mm, in both languages. */
export function formatDateTime(_lang: Language, date: Date): string {
  return vietnamDateTime(date);
}
