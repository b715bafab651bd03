import type {
  CaptureCertificateRenderer,
  DocumentSealer,
  PeriodicReviewReportData,
  PledgeDocumentRenderer,
  QuickCaseReportData,
  SealCredentials,
  UploadedPdfInspector,
} from "@pledgewatch/core";
import type { CertificateOptions } from "./certificate";
import type { RendererOptions } from "./render";
import type { SealerOptions } from "./seal";

/**
 * The document factories of this package, each loading its module (pdf-lib, fontkit, node-forge, qrcode,
 * the fonts) on its first call instead of when the platform is composed. A Lambda function imports the
 * platform on every cold start and most invocations draw no PDF: evaluating these libraries up front cost
 * about a tenth of the API's import time (docs/benchmarks.md). The platform composes from this module
 * only, never from the index: one static import of a factory's module would bring its evaluation back to
 * start-up.
 *
 * A factory whose module fails to load fails each call (the promise is not kept), so a retry can succeed.
 */
export function onFirstCall<A extends unknown[], R>(
  load: () => Promise<(...args: A) => Promise<R>>,
): (...args: A) => Promise<R> {
  let loaded: Promise<(...args: A) => Promise<R>> | undefined;
  return async (...args) => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return (await loaded)(...args);
  };
}

export function lazyPledgeRenderer(options: RendererOptions = {}): PledgeDocumentRenderer {
  return onFirstCall(async () => (await import("./render")).createPledgeRenderer(options));
}

export function lazyCoverageReportRenderer(
  options: RendererOptions = {},
): ReturnType<typeof import("./report").createCoverageReportRenderer> {
  return onFirstCall(async () => (await import("./report")).createCoverageReportRenderer(options));
}

export function lazyCaptureCertificateRenderer(options: CertificateOptions = {}): CaptureCertificateRenderer {
  return onFirstCall(async () => (await import("./certificate")).createCaptureCertificateRenderer(options));
}

export function lazyReviewReportRenderers(options: RendererOptions = {}): {
  periodic: (data: PeriodicReviewReportData) => Promise<Uint8Array>;
  quick: (data: QuickCaseReportData) => Promise<Uint8Array>;
} {
  const renderers = onFirstCall(async () => {
    const made = (await import("./review-report")).createReviewReportRenderers(options);
    return async () => made;
  });
  return {
    periodic: async (data) => (await renderers()).periodic(data),
    quick: async (data) => (await renderers()).quick(data),
  };
}

export function lazyPdfSealer(credentials: SealCredentials, options: SealerOptions = {}): DocumentSealer {
  return onFirstCall(async () => (await import("./seal")).createPdfSealer(credentials, options));
}

export function lazyUploadedPdfInspector(
  authority: Parameters<typeof import("./inspect").createUploadedPdfInspector>[0],
): UploadedPdfInspector {
  return onFirstCall(async () => (await import("./inspect")).createUploadedPdfInspector(authority));
}
