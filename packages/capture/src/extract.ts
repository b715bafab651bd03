import type { ExtractedItem } from "@pledgewatch/core";

/** What the in-page extraction returns, before it is checked (page content is hostile). */
export interface RawExtraction {
  items: Partial<ExtractedItem>[];
  next?: string | null;
}

/**
 * Runs inside the page (serialised by page.evaluate, so self-contained): structured data first —
 * JSON-LD Product/Offer (also inside ItemList and @graph), schema.org microdata (Product, SocialMediaPosting,
 * BlogPosting, Article), then OpenGraph for a page that describes one thing — and the next-page link.
 */
export function genericExtractor(): RawExtraction {
  const items: Partial<ExtractedItem>[] = [];
  const text = (v: unknown): string | undefined => {
    if (typeof v === "string") return v.trim() || undefined;
    if (typeof v === "number") return String(v);
    if (Array.isArray(v)) return text(v[0]);
    if (v && typeof v === "object" && "name" in v) return text((v as { name: unknown }).name);
    return undefined;
  };
  const priceOf = (offers: unknown): { price?: string; currency?: string } => {
    const list = Array.isArray(offers) ? offers : offers ? [offers] : [];
    for (const o of list) {
      if (!o || typeof o !== "object") continue;
      const offer = o as Record<string, unknown>;
      const price = text(offer.price) ?? text(offer.lowPrice);
      if (price) return { price, currency: text(offer.priceCurrency) };
    }
    return {};
  };
  const absolute = (u: string | undefined) => {
    if (!u) return undefined;
    try {
      return new URL(u, location.href).toString();
    } catch {
      return undefined;
    }
  };
  const typesOf = (node: Record<string, unknown>): string[] => {
    const t = node["@type"];
    return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === "string");
  };
  const fromLd = (node: unknown, depth: number) => {
    if (!node || typeof node !== "object" || depth > 6) return;
    if (Array.isArray(node)) {
      for (const n of node) fromLd(n, depth + 1);
      return;
    }
    const obj = node as Record<string, unknown>;
    const types = typesOf(obj);
    if (types.includes("Product")) {
      const { price, currency } = priceOf(obj.offers);
      const offers = Array.isArray(obj.offers) ? obj.offers[0] : obj.offers;
      const seller =
        offers && typeof offers === "object" ? text((offers as Record<string, unknown>).seller) : undefined;
      items.push({
        kind: "listing",
        title: text(obj.name),
        text: text(obj.description),
        price: price as unknown as number,
        currency,
        seller: seller ?? text(obj.brand),
        category: text(obj.category),
        url: absolute(text(obj.url)),
        image: absolute(text(obj.image)),
        source: "json-ld",
      });
    } else if (
      types.some((t) => ["SocialMediaPosting", "BlogPosting", "Article", "NewsArticle"].includes(t))
    ) {
      items.push({
        kind: "post",
        title: text(obj.headline) ?? text(obj.articleBody)?.slice(0, 120),
        text: text(obj.articleBody) ?? text(obj.text),
        seller: text(obj.author),
        url: absolute(text(obj.url)),
        source: "json-ld",
      });
    }
    for (const key of ["@graph", "itemListElement", "item", "mainEntity"]) fromLd(obj[key], depth + 1);
  };
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]')).slice(
    0,
    50,
  )) {
    try {
      fromLd(JSON.parse(script.textContent ?? ""), 0);
    } catch {
      // malformed JSON-LD is common; the rest of the page still counts
    }
  }

  const prop = (scope: Element, name: string): string | undefined => {
    const el = Array.from(scope.querySelectorAll(`[itemprop="${name}"]`)).find(
      (e) => e.parentElement?.closest("[itemscope]") === scope || e.closest("[itemscope]") === scope,
    );
    if (!el) return undefined;
    const v =
      el.getAttribute("content") ?? el.getAttribute("href") ?? el.getAttribute("src") ?? el.textContent;
    return v?.trim() || undefined;
  };
  for (const scope of Array.from(document.querySelectorAll("[itemscope][itemtype]")).slice(0, 500)) {
    const type = scope.getAttribute("itemtype") ?? "";
    if (/schema\.org\/Product$/.test(type)) {
      const offer = scope.querySelector('[itemprop="offers"]');
      items.push({
        kind: "listing",
        title: prop(scope, "name"),
        text: prop(scope, "description"),
        price: (offer
          ? (offer.querySelector('[itemprop="price"]')?.getAttribute("content") ??
            offer.querySelector('[itemprop="price"]')?.textContent)
          : prop(scope, "price")) as unknown as number,
        currency: offer?.querySelector('[itemprop="priceCurrency"]')?.getAttribute("content") ?? undefined,
        seller: prop(scope, "seller") ?? prop(scope, "brand"),
        category: prop(scope, "category"),
        url: absolute(prop(scope, "url")),
        image: absolute(prop(scope, "image")),
        source: "microdata",
      });
    } else if (/schema\.org\/(SocialMediaPosting|BlogPosting|Article)$/.test(type)) {
      const body = prop(scope, "articleBody") ?? prop(scope, "text");
      const sponsored = /được tài trợ|sponsored|quảng cáo/i.test(
        scope.querySelector("[data-label]")?.textContent ?? "",
      );
      items.push({
        kind: sponsored ? "ad" : "post",
        title: prop(scope, "headline") ?? body?.slice(0, 120),
        text: body,
        seller: prop(scope, "author"),
        url: absolute(prop(scope, "url")),
        source: "microdata",
      });
    }
  }

  if (items.length === 0) {
    const og = (p: string) =>
      document.querySelector(`meta[property="${p}"]`)?.getAttribute("content")?.trim() || undefined;
    const title = og("og:title");
    if (title) {
      const type = og("og:type") ?? "";
      items.push({
        kind: type.includes("product") ? "listing" : type.includes("article") ? "post" : "listing",
        title,
        text: og("og:description"),
        price: og("product:price:amount") as unknown as number,
        currency: og("product:price:currency"),
        url: absolute(og("og:url")),
        image: absolute(og("og:image")),
        source: "opengraph",
      });
    }
  }
  const nextEl = document.querySelector('link[rel="next"], a[rel="next"]');
  return { items, next: absolute(nextEl?.getAttribute("href") ?? undefined) ?? null };
}

/** A site extractor: runs in the page like genericExtractor, for a site whose pages carry no structured data. */
export interface SiteExtractor {
  name: string;
  extract: () => RawExtraction;
}

/**
 * The demo marketplace's social feed ("Chợ Phố demo"): posts are plain HTML articles, as on the social
 * networks, with the author, the text, and a "Được tài trợ" label on ads.
 */
export const demoSocialExtractor: SiteExtractor = {
  name: "demo-social",
  extract: () => {
    const items: Partial<ExtractedItem>[] = [];
    for (const post of Array.from(document.querySelectorAll("article.feed-post")).slice(0, 200)) {
      const body = post.querySelector(".post-body")?.textContent?.trim();
      const link = post.querySelector("a.post-link")?.getAttribute("href");
      items.push({
        kind: post.querySelector(".sponsored") ? "ad" : "post",
        title: body?.slice(0, 120),
        text: body,
        seller: post.querySelector(".post-author")?.textContent?.trim(),
        url: link ? new URL(link, location.href).toString() : undefined,
        source: "demo-social",
      });
    }
    const next = document.querySelector("a.feed-more")?.getAttribute("href");
    return { items, next: next ? new URL(next, location.href).toString() : null };
  },
};

/** Parses "350.000 ₫", "1,200,000", 350000 into VND; undefined for anything else. */
export function parseVnd(value: unknown, currency?: string): number | undefined {
  if (currency && !/^(vnd|₫|đ)$/i.test(currency.trim())) return undefined;
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== "string") return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s) && !/^\d{1,3}\.\d{3}$/.test(s)) return Math.round(Number(s));
  const digits = s.replace(/[^\d]/g, "");
  if (!digits || digits.length > 13) return undefined;
  return Number(digits);
}

const clip = (s: unknown, max: number): string | undefined => {
  if (typeof s !== "string") return undefined;
  const t = s
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return t ? t.slice(0, max) : undefined;
};

/** Checks what a page returned (hostile content): known kinds only, bounded strings, VND prices, http(s) URLs. */
export function cleanExtraction(
  raw: RawExtraction,
  pageUrl: string,
): { items: ExtractedItem[]; next?: string } {
  const httpUrl = (u: unknown) => {
    if (typeof u !== "string") return undefined;
    try {
      const url = new URL(u, pageUrl);
      return url.protocol === "http:" || url.protocol === "https:"
        ? url.toString().slice(0, 2000)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const items: ExtractedItem[] = [];
  const seen = new Set<string>();
  for (const r of Array.isArray(raw.items) ? raw.items.slice(0, 500) : []) {
    const title = clip(r.title, 500);
    if (!title || !["listing", "ad", "post"].includes(String(r.kind))) continue;
    const url = httpUrl(r.url);
    const key = `${r.kind}|${url ?? title.toLowerCase()}`;
    if (seen.has(key)) continue; // the same product in JSON-LD and microdata
    seen.add(key);
    const price = parseVnd(r.price, typeof r.currency === "string" ? r.currency : undefined);
    const item: ExtractedItem = {
      kind: r.kind as ExtractedItem["kind"],
      title,
      source: clip(r.source, 40) ?? "unknown",
    };
    const text = clip(r.text, 5000);
    const seller = clip(r.seller, 300);
    const category = clip(r.category, 200);
    const image = httpUrl(r.image);
    if (text) item.text = text;
    if (price !== undefined) item.price = price;
    if (seller) item.seller = seller;
    if (category) item.category = category;
    if (url) item.url = url;
    if (image) item.image = image;
    items.push(item);
  }
  const next = httpUrl(raw.next ?? undefined);
  return next ? { items, next } : { items };
}
