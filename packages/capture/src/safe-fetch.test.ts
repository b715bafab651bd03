import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CaptureRefusedError } from "@pledgewatch/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safeFetch } from "./safe-fetch";

const limits = { maxBytes: 100_000, timeoutMs: 5_000, maxRedirects: 3 };

describe("safeFetch redirects", () => {
  let server: Server;
  let origin: string;
  let allowlist: Set<string>;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/to-file") {
        res.writeHead(302, { location: "file:///etc/passwd" });
        res.end();
        return;
      }
      if (req.url === "/to-loopback") {
        res.writeHead(302, { location: "http://127.0.0.1:9/secret" });
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
    allowlist = new Set([`127.0.0.1:${port}`]);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses a redirect to file: by its scheme, before resolving its empty host name", async () => {
    const resolved: string[] = [];
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const error = await safeFetch(`${origin}/to-file`, {
        allowlist,
        limits,
        resolver: async (hostname) => {
          resolved.push(hostname);
          return ["127.0.0.1"];
        },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaptureRefusedError);
      expect((error as CaptureRefusedError).refusal).toBe("scheme");
      expect((error as CaptureRefusedError).url).toBe("file:///etc/passwd");
      // Only the first hop was resolved; the file: hop never reached the resolver.
      expect(resolved).toEqual(["127.0.0.1"]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("names a redirect to a non-public address as such", async () => {
    const error = await safeFetch(`${origin}/to-loopback`, { allowlist, limits }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureRefusedError);
    expect((error as CaptureRefusedError).refusal).toBe("non_public");
  });

  it("follows nothing when the first URL is fine", async () => {
    const response = await safeFetch(`${origin}/`, { allowlist, limits });
    expect(response.status).toBe(200);
  });
});
