/**
 * What the signed document shows. Built by the signing use case, rendered to PDF by
 * packages/documents (pdf-lib), which the domain never imports: it receives a renderer and a sealer.
 */
export interface PledgeDocumentInput {
  /** Public code printed on every page and looked up by /verify, e.g. "CK-2026Q1-7KX3M9QP". */
  documentCode: string;
  /** "Quý I/2026". */
  quarterLabel: string;
  /** Issuing authority: the owning agency in the province. */
  authority: { agencyName: string; provinceName: string };
  title: string;
  preamble: string[];
  commitments: string[];
  closing: string;
  templateLabel: string;
  party: {
    name: string;
    groupLabel: string;
    /** e.g. [{label: "Mã số thuế", value: "0101234567"}]. */
    identifiers: { label: string; value: string }[];
    provinces: string;
  };
  signer: { name: string; title: string; email: string };
  /** Platform declarations, in template order. */
  declarations: { label: string; value: string }[];
  typedSignature: string;
  /** PNG of the drawn signature, when the signer drew one. */
  drawnSignaturePng?: Uint8Array | undefined;
  signedAt: Date;
  /** SHA-256 (hex) of the pledge content (see contentHash in signing). */
  contentSha256: string;
  /** Absolute URL of the verification page for this document; also encoded in the QR code. */
  verifyUrl: string;
  /** The audit trail, oldest first. Times are printed in Asia/Ho_Chi_Minh. */
  audit: { at: Date; event: string; ip?: string | undefined; userAgent?: string | undefined }[];
}

export interface SealInfo {
  /** Signer name in the signature dictionary: the issuing authority. */
  name: string;
  /** Reason, which carries the document code so an uploaded copy can be matched. */
  reason: string;
  location: string;
  contactInfo: string;
}

/** Renders the pledge PDF (unsealed). */
export type PledgeDocumentRenderer = (input: PledgeDocumentInput) => Promise<Uint8Array>;

/** Seals a PDF with the issuing authority's certificate (PAdES). Must be the last write to the file. */
export type DocumentSealer = (pdf: Uint8Array, info: SealInfo) => Promise<Uint8Array>;

/** The largest PDF /verify accepts; anything bigger is answered "too large" before it is read. */
export const MAX_VERIFY_UPLOAD_BYTES = 20 * 1024 * 1024;

/** What an uploaded PDF turned out to be. */
export type UploadedPdfVerdict =
  | { kind: "not_pdf" }
  | { kind: "damaged"; detail: string }
  | { kind: "encrypted" }
  | { kind: "unsigned" }
  | { kind: "signed_by_other"; signerName?: string | undefined }
  /** Our seal, but the bytes it covers no longer match, or bytes were added after it. */
  | { kind: "ours_modified"; documentCode?: string | undefined }
  | { kind: "ours_intact"; documentCode: string };

/** Inspects an uploaded PDF against the authority's certificate. Never throws on bad input. */
export type UploadedPdfInspector = (pdf: Uint8Array) => Promise<UploadedPdfVerdict>;
