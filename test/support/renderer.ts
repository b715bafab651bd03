import type { PageRenderer, RenderedPage } from "@pledgewatch/core";
import { signaturePng } from "@pledgewatch/documents";

/**
 * A page renderer without a browser, for tests of what happens after a capture: each URL is answered with
 * the text and items `pageFor` gives it (a screenshot of a few bytes, HTML made from the text). A
 * `pageFor` that throws is a capture that fails or is refused with that error.
 */
export function stubRenderer(
  pageFor: (url: string) => Pick<RenderedPage, "text" | "items"> & { html?: string },
): PageRenderer {
  return {
    async render(url) {
      const page = pageFor(url);
      return {
        requestedUrl: url,
        finalUrl: url,
        httpStatus: 200,
        redirects: [],
        fetchedAt: new Date(),
        userAgent: "test",
        html: page.html ?? `<html><body><p>${page.text}</p></body></html>`,
        text: page.text,
        screenshot: signaturePng(),
        items: page.items,
      };
    },
  };
}
