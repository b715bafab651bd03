import { describe, expect, it } from "vitest";
import { InvalidError } from "../errors";
import { checkResolvedHost, isPublicAddress, parseCaptureUrl } from "./url-safety";

describe("URL safety", () => {
  it("refuses private, loopback, link-local, metadata and reserved addresses, v4 and v6", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "fc00::1",
      "::ffff:127.0.0.1",
      "::ffff:0:10.0.0.1",
      "::ffff:0:169.254.169.254",
      "100::1",
      "2001::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "2001:2::1",
      "2001:10::1",
      "fec0::1",
      "3fff::1",
      "5f00::1",
      "::2",
      "::ffff:169.254.169.254",
      "64:ff9b::a9fe:a9fe",
      "2001:db8::1",
      "not an address",
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ["203.113.1.1", "8.8.8.8", "172.32.0.1", "2404:6800:4005::200e", "::ffff:8.8.8.8"]) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it("decides per hop on the resolved addresses, with an allowlist of exact host:port origins", () => {
    const none = new Set<string>();
    expect(checkResolvedHost(new URL("https://shop.example.vn/a"), ["203.113.1.1"], none)).toEqual({
      ok: true,
    });
    expect(checkResolvedHost(new URL("https://evil.example/"), ["203.113.1.1", "10.0.0.1"], none).ok).toBe(
      false,
    );
    expect(checkResolvedHost(new URL("http://metadata.google.internal/"), ["203.113.1.1"], none).ok).toBe(
      false,
    );
    expect(checkResolvedHost(new URL("http://localhost:4000/"), ["127.0.0.1"], none).ok).toBe(false);
    expect(checkResolvedHost(new URL("ftp://example.com/"), ["203.113.1.1"], none).ok).toBe(false);
    expect(checkResolvedHost(new URL("https://nowhere.invalid/"), [], none).ok).toBe(false);
    const demo = new Set(["127.0.0.1:4000"]);
    expect(checkResolvedHost(new URL("http://127.0.0.1:4000/shop"), ["127.0.0.1"], demo)).toEqual({
      ok: true,
    });
    expect(checkResolvedHost(new URL("http://127.0.0.1:4001/"), ["127.0.0.1"], demo).ok).toBe(false);
  });

  it("accepts http(s) URLs typed by staff and names the field otherwise", () => {
    expect(parseCaptureUrl(" https://Shopee.vn/shop/1#top ")).toEqual({
      url: "https://shopee.vn/shop/1",
      host: "shopee.vn",
    });
    for (const bad of [
      "javascript:alert(1)",
      "file:///etc/passwd",
      "https://user:pw@example.com/",
      "not a url",
    ]) {
      expect(() => parseCaptureUrl(bad), bad).toThrow(InvalidError);
    }
    // WHATWG URL parsing turns odd IPv4 forms into the plain address, which the check then refuses.
    expect(parseCaptureUrl("http://0x7f.1/").host).toBe("127.0.0.1");
  });
});
