import {
  type CaptureAllowlist,
  CaptureFailedError,
  CaptureRefusedError,
  type PageRenderer,
  type RenderedPage,
} from "@pledgewatch/core";
import type { Browser, Page, Request, Route } from "playwright-core";
import { type BrowserPool, createBrowserPool } from "./browser";
import { cleanExtraction, genericExtractor, type RawExtraction, type SiteExtractor } from "./extract";
import { type Resolver, type SafeResponse, safeFetch } from "./safe-fetch";

export interface RenderLimits {
  /** The whole page: fetch, render, screenshot, extraction. */
  pageTimeoutMs: number;
  /** One request (the document or a sub-resource). */
  requestTimeoutMs: number;
  /** The HTML document. */
  maxDocumentBytes: number;
  /** Everything the page loads together. */
  maxTotalBytes: number;
  maxRequests: number;
  maxRedirects: number;
  /** A taller page is screenshotted down to this height. */
  maxScreenshotHeight: number;
  /** Time given to scripts after "load" for content they render (network idle, capped). */
  settleMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  pageTimeoutMs: 45_000,
  requestTimeoutMs: 15_000,
  maxDocumentBytes: 4 * 1024 * 1024,
  maxTotalBytes: 25 * 1024 * 1024,
  maxRequests: 300,
  maxRedirects: 5,
  maxScreenshotHeight: 12_000,
  settleMs: 2_000,
};

export const CAPTURE_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Pledgewatch-Capture/1.0 (+giam-sat; co quan quan ly nha nuoc)";

export interface BrowserRendererOptions {
  allowlist: CaptureAllowlist;
  resolver?: Resolver;
  limits?: Partial<RenderLimits>;
  /** Site extractors by host (`host` or `host:port`). */
  siteExtractors?: Record<string, SiteExtractor>;
  userAgent?: string;
  pool?: BrowserPool;
}

/**
 * The capture worker's browser: every request the page makes goes through safeFetch (URL safety on
 * every hop, pinned addresses, size and time limits) and is fulfilled from its answer, so Chromium itself
 * never opens a connection. Service workers and WebSockets are blocked; downloads are refused.
 */
const BROWSER_GONE = /browser (has been )?closed|browser has disconnected/i;

export function createBrowserRenderer(options: BrowserRendererOptions): PageRenderer & {
  pool: BrowserPool;
  close(): Promise<void>;
} {
  const limits: RenderLimits = { ...DEFAULT_RENDER_LIMITS, ...options.limits };
  const pool = options.pool ?? createBrowserPool();
  const userAgent = options.userAgent ?? CAPTURE_USER_AGENT;

  async function renderIn(browser: Browser, url: string, signal: AbortSignal): Promise<RenderedPage> {
    const fetchedAt = new Date();
    const main = await safeFetch(url, {
      allowlist: options.allowlist,
      ...(options.resolver ? { resolver: options.resolver } : {}),
      limits: {
        maxBytes: limits.maxDocumentBytes,
        timeoutMs: limits.requestTimeoutMs,
        maxRedirects: limits.maxRedirects,
      },
      headers: {
        "user-agent": userAgent,
        accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
        "accept-language": "vi-VN,vi;q=0.9",
      },
      signal,
    });
    const context = await browser.newContext({
      userAgent,
      viewport: { width: 1280, height: 900 },
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
      serviceWorkers: "block",
      acceptDownloads: false,
    });
    const abortContext = () => void context.close().catch(() => {});
    signal.addEventListener("abort", abortContext, { once: true });
    try {
      let bytes = main.body.length;
      let requests = 1;
      let mainServed = false;
      await context.routeWebSocket(/.*/, (ws) => ws.close({ code: 1008, reason: "blocked" }));
      // The page's own means of reaching out past the interception, removed before any of its scripts
      // run (every frame): pop-ups and WebRTC (issue 24, items 1 and 3).
      await context.addInitScript(NEUTER_SCRIPT);
      const handleRoute = async (route: Route) => {
        const request = route.request();
        if (!mainServed && request.isNavigationRequest() && request.url() === main.url) {
          mainServed = true;
          await fulfill(route, main);
          return;
        }
        if (request.isNavigationRequest() && isTopLevelOrDetached(request)) {
          // The page tries to go elsewhere (a script redirect) or to open another page (a pop-up, a new
          // tab: its navigation has no frame yet): the capture is of this page.
          await route.abort("blockedbyclient");
          return;
        }
        if (++requests > limits.maxRequests || bytes >= limits.maxTotalBytes) {
          await route.abort("blockedbyclient");
          return;
        }
        try {
          const response = await safeFetch(request.url(), {
            allowlist: options.allowlist,
            ...(options.resolver ? { resolver: options.resolver } : {}),
            method: request.method(),
            headers: await request.allHeaders(),
            body: request.postDataBuffer() ?? undefined,
            limits: {
              maxBytes: Math.min(limits.maxDocumentBytes, limits.maxTotalBytes - bytes),
              timeoutMs: limits.requestTimeoutMs,
              maxRedirects: limits.maxRedirects,
            },
            signal,
          });
          bytes += response.body.length;
          await fulfill(route, response);
        } catch {
          await route.abort(signal.aborted ? "aborted" : "blockedbyclient").catch(() => {});
        }
      };
      await context.route("**/*", async (route: Route) => {
        try {
          await handleRoute(route);
        } catch {
          // One request of one capture went wrong (the page closed, a pop-up's request with no frame…):
          // it is refused; nothing escapes to the process.
          await route.abort("blockedbyclient").catch(() => {});
        }
      });
      const page = await context.newPage();
      // Any page but ours — a pop-up, a target=_blank tab — is closed at once.
      context.on("page", (opened) => {
        if (opened !== page) void opened.close().catch(() => {});
      });
      const crashed = new Promise<never>((_, reject) =>
        page.once("crash", () => reject(new CaptureFailedError("the page crashed the renderer", "crashed"))),
      );
      crashed.catch(() => {});
      const work = (async () => {
        await page.goto(main.url, { waitUntil: "load", timeout: limits.requestTimeoutMs * 2 });
        await page.waitForLoadState("networkidle", { timeout: limits.settleMs }).catch(() => {});
        const html = await page.content();
        // The text as a person sees it (rendered, hidden parts left out) is the evidence, hence innerText.
        // Everything read from the page is read in a world of our own: the page's scripts cannot change it.
        const host = new URL(main.url).host.toLowerCase();
        const site = options.siteExtractors?.[host] ?? options.siteExtractors?.[new URL(main.url).hostname];
        const world = await isolatedWorld(page);
        let text: string;
        let height: number;
        let generic: RawExtraction;
        let specific: RawExtraction | undefined;
        try {
          text = String((await world.evaluate(`document.body ? document.body.innerText : ""`)) ?? "");
          height = Number(await world.evaluate("document.documentElement.scrollHeight")) || 0;
          generic = (await world.evaluate(inPage(genericExtractor))) as RawExtraction;
          specific = site ? ((await world.evaluate(inPage(site.extract))) as RawExtraction) : undefined;
        } finally {
          await world.close();
        }
        const screenshot =
          height > limits.maxScreenshotHeight
            ? await page.screenshot({
                fullPage: true,
                clip: { x: 0, y: 0, width: 1280, height: limits.maxScreenshotHeight },
                type: "png",
              })
            : await page.screenshot({ fullPage: true, type: "png" });
        const raw: RawExtraction = {
          items: [...(specific?.items ?? []), ...(generic.items ?? [])],
          next: specific?.next ?? generic.next ?? null,
        };
        const clean = cleanExtraction(raw, main.url);
        return {
          requestedUrl: url,
          finalUrl: main.url,
          httpStatus: main.status,
          redirects: main.redirects,
          fetchedAt,
          userAgent,
          html,
          text,
          screenshot: new Uint8Array(screenshot),
          items: clean.items,
          nextUrl: clean.next,
          ...(main.headers["retry-after"] ? { retryAfter: main.headers["retry-after"] } : {}),
        } satisfies RenderedPage;
      })();
      return await Promise.race([work, crashed]);
    } finally {
      signal.removeEventListener("abort", abortContext);
      await context.close().catch(() => {});
    }
  }

  return {
    pool,
    async render(url) {
      return pool.use(async (browser) => {
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(
              new CaptureFailedError(`the page did not finish within ${limits.pageTimeoutMs} ms`, "timeout"),
            );
          }, limits.pageTimeoutMs);
        });
        try {
          return await Promise.race([renderIn(browser, url, controller.signal), timeout]);
        } catch (error) {
          if (error instanceof CaptureRefusedError || error instanceof CaptureFailedError) throw error;
          // A browser process that died (killed, out of memory) shows first as "Browser closed" on the
          // pending call; its disconnect event may come a moment later.
          const message = error instanceof Error ? error.message : String(error);
          if (!browser.isConnected() || (!controller.signal.aborted && BROWSER_GONE.test(message)))
            throw new CaptureFailedError("the browser crashed", "crashed");
          throw new CaptureFailedError(
            error instanceof Error ? (error.message.split("\n")[0] ?? "render failed") : String(error),
            "network",
          );
        } finally {
          clearTimeout(timer);
        }
      });
    },
    close: () => pool.close(),
  };
}

/**
 * A function's source to run in the page, wrapped so that helpers a bundler adds (esbuild's `__name`)
 * are defined locally: the page's own globals are not trusted, nor needed.
 */
/**
 * An isolated world of the page's main frame (CDP Page.createIsolatedWorld, what extensions' content
 * scripts get), opened once per page: the same DOM, but none of the page's JavaScript. A hostile page that
 * replaces JSON.parse, a DOM method or the innerText getter changes nothing of what is read there, as it
 * would in the page's own world (page.evaluate). `close` detaches its CDP session.
 */
async function isolatedWorld(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { frameTree } = await cdp.send("Page.getFrameTree");
    const { executionContextId } = await cdp.send("Page.createIsolatedWorld", {
      frameId: frameTree.frame.id,
      worldName: "pledgewatch-extraction",
      grantUniveralAccess: false,
    });
    return {
      async evaluate(expression: string): Promise<unknown> {
        const out = await cdp.send("Runtime.evaluate", {
          expression,
          contextId: executionContextId,
          returnByValue: true,
          awaitPromise: true,
        });
        if (out.exceptionDetails) {
          throw new Error(
            `extraction failed: ${out.exceptionDetails.exception?.description ?? out.exceptionDetails.text}`,
          );
        }
        return out.result.value;
      },
      close: () => cdp.detach().catch(() => {}),
    };
  } catch (error) {
    await cdp.detach().catch(() => {});
    throw error;
  }
}

function inPage(fn: () => RawExtraction): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(); })()`;
}

/** True for a navigation of the top-level page, or of a page that has no frame yet (a pop-up). */
function isTopLevelOrDetached(request: Request): boolean {
  try {
    return request.frame().parentFrame() === null;
  } catch {
    return true;
  }
}

/**
 * Runs first in every frame of a captured page: window.open returns null (no pop-up) and the WebRTC
 * constructors are gone (no STUN or TURN from the browser's own sockets).
 */
const NEUTER_SCRIPT = `(() => {
  const refuse = () => null;
  try { Object.defineProperty(window, "open", { value: refuse, writable: false, configurable: false }); } catch {}
  for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "RTCIceCandidate", "RTCSessionDescription", "RTCRtpSender", "RTCRtpReceiver", "RTCRtpTransceiver"]) {
    try { delete window[name]; } catch {}
    try { Object.defineProperty(window, name, { value: undefined, writable: false, configurable: false }); } catch {}
  }
})();`;

async function fulfill(route: Route, response: SafeResponse) {
  const headers = { ...response.headers };
  // The body is handed over whole and decoded; these would make Chromium misread it.
  delete headers["content-encoding"];
  delete headers["content-length"];
  delete headers["set-cookie"];
  await route.fulfill({ status: response.status, headers, body: response.body });
}
