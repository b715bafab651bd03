import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import {
  type CaptureAllowlist,
  CaptureFailedError,
  CaptureRefusedError,
  checkUrlSafety,
} from "@pledgewatch/core";

export interface FetchLimits {
  /** Bytes of one response body; a bigger one fails with "too_large". */
  maxBytes: number;
  /** Time for one response, headers and body. */
  timeoutMs: number;
  maxRedirects: number;
}

export interface SafeResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Every URL before the final one. */
  redirects: string[];
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => {
  if (isIP(hostname)) return [hostname];
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
]);

/**
 * One GET (or the request the page makes) through URL safety: the host is resolved, every address
 * checked (checkUrlSafety), and the connection made to the checked address only (a pinned lookup:
 * no second resolution that a rebinding name could answer differently). Redirects are followed here, hop
 * by hop, each hop checked the same way; the body is read up to `maxBytes`, all within `timeoutMs`.
 */
export async function safeFetch(
  rawUrl: string,
  options: {
    allowlist: CaptureAllowlist;
    resolver?: Resolver;
    limits: FetchLimits;
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | undefined;
    signal?: AbortSignal;
  },
): Promise<SafeResponse> {
  const resolver = options.resolver ?? systemResolver;
  const redirects: string[] = [];
  let url = new URL(rawUrl);
  let method = options.method ?? "GET";
  let body = options.body;
  const deadline = Date.now() + options.limits.timeoutMs;
  for (let hop = 0; ; hop++) {
    // Scheme first: resolving the empty host of a `file:` redirect is an error (and a DEP0118 warning).
    const verdict = await checkUrlSafety(url, resolver, options.allowlist);
    if (!verdict.ok) throw new CaptureRefusedError(verdict.reason, url.toString(), verdict.code);
    const { addresses } = verdict;
    const response = await request(url, addresses[0] ?? url.hostname.replace(/^\[|\]$/g, ""), {
      method,
      headers: options.headers ?? {},
      body,
      maxBytes: options.limits.maxBytes,
      timeoutMs: Math.max(1, deadline - Date.now()),
      signal: options.signal,
    });
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location) {
      if (hop >= options.limits.maxRedirects) {
        throw new CaptureFailedError(`more than ${options.limits.maxRedirects} redirects`, "network");
      }
      redirects.push(url.toString());
      url = new URL(location, url);
      if (response.status !== 307 && response.status !== 308) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    return {
      url: url.toString(),
      status: response.status,
      headers: response.headers,
      body: response.body,
      redirects,
    };
  }
}

function request(
  url: URL,
  address: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body: Buffer | undefined;
    maxBytes: number;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
  },
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const family = isIP(address) === 6 ? 6 : 4;
  // The connection goes to the address that was checked, whatever the name resolves to now.
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if ((opts as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers)) {
    const key = k.toLowerCase();
    if (!HOP_BY_HOP.has(key) && key !== "host" && key !== "content-length" && key !== "accept-encoding")
      headers[key] = v;
  }
  return new Promise((resolve, reject) => {
    const lib = url.protocol === "https:" ? https : http;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const req = lib.request(
      url,
      {
        method: options.method,
        headers: { ...headers, "accept-encoding": "identity" },
        lookup: pinned,
        agent: false,
      },
      (res) => {
        const declared = Number(res.headers["content-length"] ?? "0");
        if (declared > options.maxBytes) {
          fail(
            new CaptureFailedError(
              `response of ${declared} bytes exceeds the ${options.maxBytes}-byte limit`,
              "too_large",
            ),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            fail(new CaptureFailedError(`response exceeds the ${options.maxBytes}-byte limit`, "too_large"));
            return;
          }
          chunks.push(chunk);
        });
        res.on("error", (e) => fail(new CaptureFailedError(e.message, "network")));
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined || HOP_BY_HOP.has(k)) continue;
            out[k] = Array.isArray(v) ? v.join(k === "set-cookie" ? "\n" : ", ") : v;
          }
          resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
        });
      },
    );
    const timer = setTimeout(
      () => fail(new CaptureFailedError(`no complete answer within ${options.timeoutMs} ms`, "timeout")),
      options.timeoutMs,
    );
    options.signal?.addEventListener("abort", () => fail(new CaptureFailedError("aborted", "timeout")), {
      once: true,
    });
    req.on("error", (e) => fail(new CaptureFailedError(e.message, "network")));
    if (options.body) req.write(options.body);
    req.end();
  });
}
