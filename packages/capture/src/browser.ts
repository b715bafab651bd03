import chromium from "@sparticuz/chromium";
import type { Browser, BrowserServer } from "playwright-core";
import { processTreeRss } from "./process-memory";

/**
 * Flags on top of @sparticuz/chromium's own. Three of its defaults are dropped: --single-process (a
 * crashing page would take the whole browser and every other page with it), --disable-web-security and
 * --allow-running-insecure-content (crawled pages are hostile; same-origin rules stay on).
 */
export const REQUIRED_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--mute-audio",
];
export const DROPPED_FLAGS: ReadonlySet<string> = new Set([
  "--single-process",
  "--disable-web-security",
  "--allow-running-insecure-content",
]);

/**
 * WebRTC's STUN and TURN use the browser's own sockets, not the interception either: no UDP that a
 * proxy would not carry (there is none), and the page's RTCPeerConnection is removed (renderer.ts).
 */
export const WEBRTC_FLAGS = ["--force-webrtc-ip-handling-policy=disable_non_proxied_udp"];

/**
 * The browser's own network goes nowhere (issue 24, item 3): every request a page makes is intercepted
 * and fulfilled from safeFetch (renderer.ts), so anything Chromium would fetch by itself, outside the
 * interception — a speculative prefetch or prerender, a preconnect, a TURN relay over TCP — goes to a
 * proxy on a closed port, loopback included (`<-loopback>` drops Chromium's implicit bypass), and names
 * resolve to nothing. Speculation rules reached a loopback listener before this (test/e2e/capture-hostile).
 */
export const NO_NETWORK_FLAGS = [
  "--proxy-server=http://127.0.0.1:1",
  "--proxy-bypass-list=<-loopback>",
  "--host-resolver-rules=MAP * ~NOTFOUND",
];

export function chromiumArgs(): string[] {
  const args = chromium.args.filter((a) => !DROPPED_FLAGS.has(a));
  for (const flag of REQUIRED_FLAGS) if (!args.includes(flag)) args.push(flag);
  args.push(...WEBRTC_FLAGS, ...NO_NETWORK_FLAGS);
  return args;
}

export interface BrowserPoolOptions {
  /** Path of the Chromium binary. @default @sparticuz/chromium's, unpacked from node_modules */
  executablePath?: () => Promise<string>;
  /** Recycle the browser after this many pages. @default 200 */
  maxPagesPerBrowser?: number;
  /** Recycle the browser when its processes together use more than this. @default 900 MB */
  maxRssBytes?: number;
}

export interface BrowserStats {
  launches: number;
  pages: number;
  /** Highest resident memory seen of one browser (all its processes), in bytes. */
  peakRssBytes: number;
}

interface Instance {
  server: BrowserServer;
  browser: Browser;
  pid: number;
  pages: number;
  active: number;
  retiring: boolean;
}

/**
 * One warm browser reused across jobs (a Lambda instance keeps it between invocations), replaced when it
 * has served many pages, grows past a memory limit, or disconnects (a crash). A retiring browser closes
 * once its last page is done; new pages already go to its successor.
 */
export function createBrowserPool(options: BrowserPoolOptions = {}) {
  const maxPages = options.maxPagesPerBrowser ?? 200;
  const maxRss = options.maxRssBytes ?? 900 * 1024 * 1024;
  const stats: BrowserStats = { launches: 0, pages: 0, peakRssBytes: 0 };
  let current: Instance | undefined;
  let launching: Promise<Instance> | undefined;
  const all = new Set<Instance>();

  async function launch(): Promise<Instance> {
    // Loaded on the first launch: Playwright's client is large, and the capture worker's cold start (and
    // every process that composes the platform without capturing) need not evaluate it.
    const { chromium: playwright } = await import("playwright-core");
    const server = await playwright.launchServer({
      executablePath: await (options.executablePath ?? (() => chromium.executablePath()))(),
      args: chromiumArgs(),
      // Playwright turns Chromium's pop-up blocker off; a crawled page's window.open stays blocked.
      ignoreDefaultArgs: ["--disable-popup-blocking"],
      headless: true,
      // Playwright's own signal handlers would exit the process before its owner has shut down (npm start
      // stops DynamoDB Local after the browser): the owner closes the pool. Playwright still kills the
      // browser when the process exits.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const browser = await playwright.connect(server.wsEndpoint());
    const instance: Instance = {
      server,
      browser,
      pid: server.process().pid ?? 0,
      pages: 0,
      active: 0,
      retiring: false,
    };
    stats.launches++;
    all.add(instance);
    browser.on("disconnected", () => {
      instance.retiring = true;
      if (current === instance) current = undefined;
      void server.kill().catch(() => {});
      all.delete(instance);
    });
    return instance;
  }

  async function retire(instance: Instance) {
    instance.retiring = true;
    if (current === instance) current = undefined;
    if (instance.active === 0) {
      all.delete(instance);
      await instance.browser.close().catch(() => {});
      await instance.server.close().catch(() => instance.server.kill());
    }
  }

  function measure(instance: Instance): number {
    const rss = instance.pid ? processTreeRss(instance.pid) : 0;
    if (rss > stats.peakRssBytes) stats.peakRssBytes = rss;
    return rss;
  }

  return {
    stats,
    /** Runs `work` with a browser; the browser is checked for recycling afterwards. */
    async use<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
      if (!current || current.retiring || !current.browser.isConnected()) {
        launching ??= launch().finally(() => {
          launching = undefined;
        });
        current = await launching;
      }
      const instance = current;
      instance.active++;
      try {
        return await work(instance.browser);
      } finally {
        instance.active--;
        instance.pages++;
        stats.pages++;
        const rss = measure(instance);
        if (
          instance.retiring ||
          !instance.browser.isConnected() ||
          instance.pages >= maxPages ||
          rss > maxRss
        ) {
          await retire(instance);
        }
      }
    },
    /** The process ids of the running browsers (diagnostics; the tests kill one to crash it). */
    browserPids(): number[] {
      return [...all].map((i) => i.pid).filter((pid) => pid > 0);
    },
    /** Kills a browser that stopped answering (a page that hangs it); the next page gets a new one. */
    async kill(browser: Browser) {
      for (const instance of all) {
        if (instance.browser === browser) {
          instance.retiring = true;
          if (current === instance) current = undefined;
          all.delete(instance);
          await instance.server.kill().catch(() => {});
        }
      }
    },
    async close() {
      current = undefined;
      await Promise.all(
        [...all].map(async (i) => {
          await i.browser.close().catch(() => {});
          await i.server.close().catch(() => i.server.kill());
        }),
      );
      all.clear();
    },
  };
}

export type BrowserPool = ReturnType<typeof createBrowserPool>;
