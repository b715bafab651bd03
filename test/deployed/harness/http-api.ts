import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type LambdaEnvironment, LambdaLimitError } from "./lambda";

/** HTTP API limits: a 10 MB request body, 29 s of integration time. */
export const HTTP_API_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
export const HTTP_API_TIMEOUT_MS = 29_000;

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|[^;]*\+(json|xml))/i;

export interface HttpApiResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** The API Gateway HTTP API (payload 2.0) event of one request, as the $default route sends it. */
export function httpApiEvent(req: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
}) {
  const url = new URL(req.url, "http://placeholder");
  const headers = { ...req.headers };
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/).filter(Boolean) : undefined;
  delete headers.cookie;
  const text = TEXT_TYPES.test(headers["content-type"] ?? "");
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "harness",
      domainName: headers.host ?? "harness.execute-api.ap-southeast-1.amazonaws.com",
      domainPrefix: "harness",
      http: {
        method: req.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: req.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(req.body.length > 0
      ? { body: text ? req.body.toString("utf8") : req.body.toString("base64"), isBase64Encoded: !text }
      : { isBase64Encoded: false }),
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * An HTTP API in front of one function, answering as API Gateway does when the integration fails: 413 for
 * a request over the limits, 502 for a response over 6 MB or a crashed function, 503 past 29 s.
 */
export async function startHttpApi(
  fn: () => LambdaEnvironment,
): Promise<{ url: string; server: Server; latencies: number[]; stop(): Promise<void> }> {
  const latencies: number[] = [];
  const server = createServer(async (req, res) => {
    const fail = (status: number, message: string) => {
      res.writeHead(status, { "content-type": "application/json", apigw: "1" });
      res.end(JSON.stringify({ message }));
    };
    const body = await readBody(req, HTTP_API_BODY_LIMIT_BYTES);
    if (body === null) return fail(413, "Request Entity Too Large");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(",") : v;
    const event = httpApiEvent({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers,
      body,
      sourceIp: "203.0.113.10",
    });
    const t0 = performance.now();
    try {
      const { result } = await fn().invoke<HttpApiResponse>(event, { timeoutMs: HTTP_API_TIMEOUT_MS });
      latencies.push(performance.now() - t0);
      const out: Record<string, string | string[]> = { ...(result.headers ?? {}) };
      for (const [k, values] of Object.entries(result.multiValueHeaders ?? {})) out[k] = values;
      if (result.cookies?.length) out["set-cookie"] = result.cookies;
      res.writeHead(result.statusCode ?? 200, out);
      res.end(
        result.body === undefined
          ? undefined
          : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8"),
      );
    } catch (error) {
      if (error instanceof LambdaLimitError) {
        if (error.code === "RequestEntityTooLarge") return fail(413, "Request Entity Too Large");
        if (error.code === "Timeout") return fail(503, "Service Unavailable");
      }
      fail(502, "Internal Server Error");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    latencies,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
