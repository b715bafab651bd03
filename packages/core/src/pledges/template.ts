import type { PledgeFamily } from "../reference/signer-groups";

/**
 * A pledge text (bản cam kết) for one family. Templates are data in code: a published version never
 * changes (a test pins each published version's hash); a new version is added with `appliesFrom` set to a
 * later quarter, and every pledge records the version it was signed under.
 */
export interface PledgeTemplate {
  family: PledgeFamily;
  /** 1, 2, … per family. */
  version: number;
  /** First quarter this version applies to, as a quarter id "2026-Q1". */
  appliesFrom: string;
  /** Title in capitals, e.g. "BẢN CAM KẾT …". */
  title: string;
  /** Opening paragraphs: the legal bases (căn cứ) and who commits. */
  preamble: string[];
  /** The numbered duties the signer commits to. */
  commitments: string[];
  /** The closing paragraph (responsibility before the law). */
  closing: string;
  /** Where each duty comes from in the provincial plans (shown in docs, not in the document). */
  sources: string[];
  /** Structured declarations collected with the pledge (platform family only). */
  declarations: DeclarationField[];
}

export type DeclarationId =
  | "sellerObligations"
  | "violationTools"
  | "takedownContactName"
  | "takedownContactEmail"
  | "takedownContactPhone"
  | "takedownResponseHours";

export interface DeclarationField {
  id: DeclarationId;
  /** Vietnamese label shown on the form and printed in the document. */
  label: string;
  /** Vietnamese help text under the field. */
  hint: string;
  /**
   * How the value is checked: "text" a free description (at least 10 characters), "name" a person's
   * name (any length a name has, letters first), "email" and "phone" by their own rules, "hours" 1–720.
   */
  kind: "text" | "name" | "email" | "phone" | "hours";
}
