import { DIRECT_DOWNLOAD_MAX_BYTES, type DownloadHeaders, type DownloadLinks } from "@pledgewatch/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "./env";
import { CSP, largeDownloadsThroughLinks } from "./uploads";

function app() {
  const handed: { body: Uint8Array; headers: DownloadHeaders }[] = [];
  const links: DownloadLinks = {
    origin: "https://uploads.s3.ap-southeast-1.amazonaws.com",
    async link(body, headers) {
      handed.push({ body, headers });
      return `https://uploads.s3.ap-southeast-1.amazonaws.com/downloads/${handed.length}?X-Amz-Signature=abc`;
    },
  };
  const web = new Hono<AppEnv>();
  web.use(largeDownloadsThroughLinks(links));
  const file = (size: number) => {
    const body = new Uint8Array(size).fill(7);
    return new Response(body, {
      headers: {
        "content-type": "image/png",
        "content-disposition": 'inline; filename="anh-chup.png"',
        "cache-control": "private, max-age=3600",
      },
    });
  };
  web.get("/large", () => file(DIRECT_DOWNLOAD_MAX_BYTES + 1));
  web.get("/limit", () => file(DIRECT_DOWNLOAD_MAX_BYTES));
  web.post("/large", () => file(DIRECT_DOWNLOAD_MAX_BYTES + 1));
  web.get("/page", (c) => {
    c.header("Content-Security-Policy", CSP);
    return c.html("<img src=/large>");
  });
  return { web, handed };
}

describe("large downloads on AWS", () => {
  it("hands a file over the limit to a link, with its type, disposition and caching, and sends no body", async () => {
    const { web, handed } = app();
    const res = await web.request("/large");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      "https://uploads.s3.ap-southeast-1.amazonaws.com/downloads/1?X-Amz-Signature=abc",
    );
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(handed).toHaveLength(1);
    expect(handed[0]?.body.length).toBe(DIRECT_DOWNLOAD_MAX_BYTES + 1);
    expect(handed[0]?.headers).toEqual({
      contentType: "image/png",
      contentDisposition: 'inline; filename="anh-chup.png"',
      cacheControl: "private, max-age=3600",
    });
  });

  it("sends a file within the limit itself, and leaves other methods alone", async () => {
    const { web, handed } = app();
    const within = await web.request("/limit");
    expect(within.status).toBe(200);
    expect((await within.arrayBuffer()).byteLength).toBe(DIRECT_DOWNLOAD_MAX_BYTES);
    expect((await web.request("/large", { method: "POST" })).status).toBe(200);
    expect(handed).toEqual([]);
  });

  it("lets pages show images from the links' origin, and nothing else more", async () => {
    const { web } = app();
    const csp = (await web.request("/page")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("img-src 'self' data: https://uploads.s3.ap-southeast-1.amazonaws.com;");
    expect(csp.replace(" https://uploads.s3.ap-southeast-1.amazonaws.com", "")).toBe(CSP);
  });
});
