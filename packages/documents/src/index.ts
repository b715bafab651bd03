export { type CertificateOptions, createCaptureCertificateRenderer } from "./certificate";
export { FONT_FILES, type FontStyle, loadFonts } from "./fonts";
export { createUploadedPdfInspector, MAX_UPLOAD_BYTES, type TrustedAuthority } from "./inspect";
export { createPledgeRenderer, type RendererOptions } from "./render";
export { createCoverageReportRenderer, formatPercent } from "./report";
export { createReviewReportRenderers, MAX_VIOLATION_ROWS } from "./review-report";
export {
  type AuthorityCertificate,
  type AuthorityIdentity,
  authorityCertificate,
  certificateFromCredentials,
  createPdfSealer,
  DOCUMENT_CODE_PATTERN,
  generateAuthorityCredentials,
  type SealerOptions,
  SIGNATURE_LENGTH,
  sealReason,
} from "./seal";
export { sampleDocumentInput, signaturePng, vietnameseAlphabet } from "./test-fixtures";
