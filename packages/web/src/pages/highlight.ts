import type { Reason } from "@pledgewatch/core";

export interface Segment {
  text: string;
  /** The rules whose evidence covers this segment (empty: plain text). */
  rules: string[];
}

/**
 * Cuts a field's text into segments at every reason's evidence offsets (UTF-16, in the NFC form the
 * rules used), each segment knowing which rules' evidence covers it. Pure text out: the page escapes it.
 */
export function highlightSegments(
  raw: string,
  field: Reason["field"],
  reasons: readonly Reason[],
): Segment[] {
  const text = raw.normalize("NFC");
  const ranges = reasons.filter(
    (r) => r.field === field && r.start !== null && r.end !== null && r.start < r.end && r.end <= text.length,
  );
  const cuts = [
    ...new Set([0, text.length, ...ranges.flatMap((r) => [r.start as number, r.end as number])]),
  ].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i] as number;
    const to = cuts[i + 1] as number;
    const rules = ranges
      .filter((r) => (r.start as number) <= from && (r.end as number) >= to)
      .map((r) => r.rule);
    segments.push({ text: text.slice(from, to), rules: [...new Set(rules)] });
  }
  return segments;
}
