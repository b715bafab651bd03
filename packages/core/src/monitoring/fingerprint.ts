import { createHash } from "node:crypto";
import { foldVietnamese } from "../text/fold";
import type { ExtractedItem } from "./model";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The stable part of a URL: no fragment, no tracking parameters, parameters sorted. */
export function canonicalUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.hash = "";
    for (const key of [...url.searchParams.keys()]) {
      if (/^(utm_|fbclid|gclid|spm|ref$|sp_atk|xptdk)/i.test(key)) url.searchParams.delete(key);
    }
    url.searchParams.sort();
    url.hostname = url.hostname.toLowerCase().replace(/^www\./, "");
    return url.toString();
  } catch {
    return raw.trim();
  }
}

/**
 * The identity of a listing or post, across captures: its own URL when it has one, otherwise what it
 * says and who says it, on that site. Price, description and images are left out, so a listing whose
 * price changed is the same item seen again, not a new one.
 */
export function itemFingerprint(platform: string, host: string, item: ExtractedItem): string {
  const identity = item.url
    ? `url|${canonicalUrl(item.url)}`
    : `text|${host}|${foldVietnamese(item.seller ?? "")}|${foldVietnamese(item.title)}`;
  return `i${sha256(`${platform.toLowerCase()}|${item.kind}|${identity}`).slice(0, 32)}`;
}

/** The key of one URL's in-flight lock. */
export function urlKey(url: string): string {
  return sha256(canonicalUrl(url)).slice(0, 40);
}
