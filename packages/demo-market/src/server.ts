import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type DemoPost,
  type DemoProduct,
  type DemoShop,
  FASHION_SHOP,
  FEED_ADS,
  HEALTH_SHOP,
  KOL_FEED,
  SEARCH_RESULTS,
} from "./catalogue";
import { esc, jsString, layout } from "./html";
import { serveNetworkProbe } from "./network-probe";

const vnd = (n: number) => `${n.toLocaleString("vi-VN")} ₫`;
export const SHOP_PAGE_SIZE = 8;
export const FEED_PAGE_SIZE = 3;

function productJsonLd(shop: DemoShop, products: DemoProduct[], base: string): string {
  const list = {
    "@context": "https://schema.org",
    "@type": "ItemList",
    itemListElement: products.map((prod, i) => ({
      "@type": "ListItem",
      position: i + 1,
      item: {
        "@type": "Product",
        name: prod.name,
        description: prod.description,
        category: prod.category,
        url: `${base}/san-pham/${prod.slug}`,
        offers: {
          "@type": "Offer",
          price: prod.price,
          priceCurrency: "VND",
          seller: { "@type": "Organization", name: shop.name },
        },
      },
    })),
  };
  // `</` inside a JSON-LD string would end the script element early.
  return `<script type="application/ld+json">${JSON.stringify(list).replace(/</g, "\\u003c")}</script>`;
}

function shopPage(shop: DemoShop, page: number, base: string): string {
  const pages = Math.ceil(shop.products.length / SHOP_PAGE_SIZE);
  const current = Math.min(Math.max(page, 1), pages);
  const slice = shop.products.slice((current - 1) * SHOP_PAGE_SIZE, current * SHOP_PAGE_SIZE);
  const next = current < pages ? `/shop/${shop.slug}?page=${current + 1}` : undefined;
  const cards = slice
    .map(
      (prod) =>
        `<div class="card"><a href="/san-pham/${prod.slug}">${esc(prod.name)}</a><div class="price">${vnd(prod.price)}</div><p>${esc(prod.description)}</p></div>`,
    )
    .join("");
  const pager = `<p class="pager">Trang ${current}/${pages} ${current > 1 ? `<a href="/shop/${shop.slug}?page=${current - 1}" rel="prev">‹ Trước</a>` : ""}${next ? `<a href="${next}" rel="next">Sau ›</a>` : ""}</p>`;
  return layout(
    shop.name,
    `<h1>${esc(shop.name)}</h1><p>${esc(shop.intro)}</p><div class="grid">${cards}</div>${pager}`,
    `${productJsonLd(shop, slice, base)}${next ? `<link rel="next" href="${next}">` : ""}`,
  );
}

function microdataShop(shop: DemoShop): string {
  const cards = shop.products
    .map(
      (prod) => `<div class="card" itemscope itemtype="https://schema.org/Product">
<a itemprop="url" href="/san-pham/${prod.slug}"><span itemprop="name">${esc(prod.name)}</span></a>
<meta itemprop="category" content="${esc(prod.category)}">
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span class="price" itemprop="price" content="${prod.price}">${vnd(prod.price)}</span><meta itemprop="priceCurrency" content="VND"></div>
<p itemprop="description">${esc(prod.description)}</p><meta itemprop="seller" content="${esc(shop.name)}"></div>`,
    )
    .join("");
  return layout(
    shop.name,
    `<h1>${esc(shop.name)}</h1><p>${esc(shop.intro)}</p><div class="grid">${cards}</div>`,
  );
}

const SEARCH_SCRIPT = `
(async function () {
  var q = new URLSearchParams(location.search).get("q") || "";
  var box = document.getElementById("results");
  await new Promise(function (r) { setTimeout(r, 150); });
  var res = await fetch("/api/search?q=" + encodeURIComponent(q));
  var data = await res.json();
  box.textContent = "";
  data.items.forEach(function (it) {
    var card = document.createElement("div");
    card.className = "card";
    card.setAttribute("itemscope", "");
    card.setAttribute("itemtype", "https://schema.org/Product");
    var a = document.createElement("a"); a.href = "/san-pham/" + it.slug; a.setAttribute("itemprop", "url");
    var name = document.createElement("span"); name.setAttribute("itemprop", "name"); name.textContent = it.name; a.appendChild(name);
    var offer = document.createElement("div"); offer.setAttribute("itemprop", "offers"); offer.setAttribute("itemscope", ""); offer.setAttribute("itemtype", "https://schema.org/Offer");
    var price = document.createElement("span"); price.className = "price"; price.setAttribute("itemprop", "price"); price.setAttribute("content", String(it.price)); price.textContent = it.price.toLocaleString("vi-VN") + " ₫";
    offer.appendChild(price);
    var desc = document.createElement("p"); desc.setAttribute("itemprop", "description"); desc.textContent = it.description;
    card.appendChild(a); card.appendChild(offer); card.appendChild(desc);
    box.appendChild(card);
  });
  document.getElementById("count").textContent = data.items.length + " kết quả";
})();
`;

function feedPage(title: string, posts: DemoPost[], page: number, pathBase: string): string {
  const pages = Math.max(1, Math.ceil(posts.length / FEED_PAGE_SIZE));
  const current = Math.min(Math.max(page, 1), pages);
  const slice = posts.slice((current - 1) * FEED_PAGE_SIZE, current * FEED_PAGE_SIZE);
  const articles = slice
    .map(
      (post) => `<article class="feed-post">
<div class="post-author">${esc(post.author)}</div>${post.sponsored ? '<div class="sponsored">Được tài trợ</div>' : ""}
<p class="post-body">${esc(post.text)}</p><a class="post-link" href="/bai-viet/${post.id}">Xem bài viết</a></article>`,
    )
    .join("");
  const more =
    current < pages
      ? `<a class="feed-more" href="${pathBase}?page=${current + 1}">Xem thêm bài viết</a>`
      : "";
  return layout(title, `<h1>${esc(title)}</h1>${articles}${more}`);
}

function productPage(prod: DemoProduct, base: string): string {
  const head = `<meta property="og:type" content="product"><meta property="og:title" content="${esc(prod.name)}">
<meta property="og:description" content="${esc(prod.description)}"><meta property="og:url" content="${base}/san-pham/${prod.slug}">
<meta property="product:price:amount" content="${prod.price}"><meta property="product:price:currency" content="VND">`;
  return layout(
    prod.name,
    `<h1>${esc(prod.name)}</h1><p class="price">${vnd(prod.price)}</p><p>${esc(prod.description)}</p>`,
    head,
  );
}

const ALL_PRODUCTS = [...FASHION_SHOP.products, ...HEALTH_SHOP.products, ...SEARCH_RESULTS];

/** The page that tampers with in-page extraction (/trich-xuat-gia): what it shows, and what it fakes. */
export const TAMPERED_PAGE = {
  realTitle: "Áo khoác gió thật mã AK-THAT-2026",
  realText: "Nội dung thật của trang bán áo khoác.",
  fakeTitle: "Sản phẩm bịa do trang chèn vào",
  fakeText: "Văn bản bịa do trang chèn vào",
};

export interface DemoMarket {
  url: string;
  /** `host:port`, for the capture allowlist. */
  origin: string;
  port: number;
  /** Takes a page down (the platform complied with a takedown request): it answers 410 from then on. */
  takeDown(path: string): void;
  /** What reached the market's probe (`/thu-mang/ghi?from=…`) from the page /duong-ra-mang, in order. */
  probes(): string[];
  stop(): Promise<void>;
}

/** The demo marketplace on its own port (127.0.0.1): npm start, the tests and the bench crawl it. */
export async function startDemoMarket(options: { port?: number; host?: string } = {}): Promise<DemoMarket> {
  const host = options.host ?? "127.0.0.1";
  const hanging = new Set<ServerResponse>();
  const takenDown = new Set<string>();
  const probes: string[] = [];
  let base = "";
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", base);
    const page = Number(url.searchParams.get("page") ?? "1") || 1;
    const html = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
      res.end(body);
    };
    const path = url.pathname;
    if (takenDown.has(path)) {
      return html(410, layout("Đã gỡ", "<h1>Nội dung đã bị gỡ theo yêu cầu của cơ quan chức năng</h1>"));
    }
    if (path === "/") {
      return html(
        200,
        layout(
          "Trang chủ",
          `<h1>Chợ Phố</h1><ul>
<li><a href="/shop/${FASHION_SHOP.slug}">${esc(FASHION_SHOP.name)}</a> (nhiều trang, JSON-LD)</li>
<li><a href="/shop/${HEALTH_SHOP.slug}">${esc(HEALTH_SHOP.name)}</a> (microdata)</li>
<li><a href="/tim-kiem?q=gia+dung">Tìm kiếm</a> (hiển thị bằng JavaScript)</li>
<li><a href="/kol/${KOL_FEED.slug}">${esc(KOL_FEED.name)}</a> (bài viết KOL)</li>
<li><a href="/bang-tin">Bảng tin</a> (quảng cáo được tài trợ)</li></ul>
<h2>Trang thử độ an toàn của trình thu thập</h2><ul>
<li><a href="/cua-so-bat-len">Cửa sổ bật lên</a> (window.open)</li>
<li><a href="/tab-moi">Mở thẻ mới</a> (liên kết target=_blank do script bấm)</li>
<li><a href="/du-doan-tai-truoc">Quy tắc tải trước</a> (speculation rules: prefetch, prerender)</li>
<li><a href="/webrtc">WebRTC</a> (STUN, TURN)</li>
<li><a href="/duong-ra-mang">Đường ra mạng</a> (service worker, worker, preconnect, beacon, fetch, EventSource)</li></ul>`,
        ),
      );
    }
    const shop = /^\/shop\/([a-z0-9-]+)$/.exec(path)?.[1];
    if (shop === FASHION_SHOP.slug) return html(200, shopPage(FASHION_SHOP, page, base));
    if (shop === HEALTH_SHOP.slug) return html(200, microdataShop(HEALTH_SHOP));
    if (path === "/tim-kiem") {
      return html(
        200,
        layout(
          "Tìm kiếm",
          `<h1>Kết quả tìm kiếm</h1><p id="count">Đang tải…</p><div class="grid" id="results"></div>`,
          '<script src="/assets/search.js" defer></script>',
        ),
      );
    }
    if (path === "/assets/search.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      return res.end(SEARCH_SCRIPT);
    }
    if (path === "/api/search") {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      return res.end(JSON.stringify({ items: SEARCH_RESULTS }));
    }
    if (path === `/kol/${KOL_FEED.slug}`)
      return html(200, feedPage(KOL_FEED.name, KOL_FEED.posts, page, path));
    if (path === "/bang-tin")
      return html(200, feedPage("Bảng tin", [...FEED_ADS, ...KOL_FEED.posts.slice(0, 2)], page, path));
    const slug = /^\/san-pham\/([a-z0-9-]+)$/.exec(path)?.[1];
    const prod = ALL_PRODUCTS.find((x) => x.slug === slug);
    if (prod) return html(200, productPage(prod, base));
    const post = /^\/bai-viet\/([a-z0-9-]+)$/.exec(path)?.[1];
    const found = [...KOL_FEED.posts, ...FEED_ADS].find((x) => x.id === post);
    if (found) return html(200, feedPage(found.author, [found], 1, path));
    // ---- pages for the tests of the capture worker's limits ----------------------------------------
    if (path === "/redirect") {
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/" });
      return res.end();
    }
    if (path === "/qua-tai") {
      // Rate limited: the site names when to come back.
      return html(429, layout("Quá tải", "<h1>Quá nhiều yêu cầu</h1><p>Vui lòng thử lại sau.</p>"), {
        "retry-after": "120",
      });
    }
    if (path === "/cam-truy-cap") {
      // Blocked, without saying for how long.
      return html(403, layout("Từ chối", "<h1>Từ chối truy cập</h1>"));
    }
    if (path === "/cham-mai") {
      // Never finishes: the head arrives, the body never ends.
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.write("<!doctype html><html><head><title>Đang tải…</title></head><body><p>Đang tải");
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (path === "/treo") {
      // Loads, then a script spins for ever: the renderer hangs on this page.
      return html(
        200,
        layout("Trang treo", "<p>Trang này làm treo trình duyệt.</p>", "<script>for(;;){}</script>"),
      );
    }
    // ---- hostile pages: each tries to leave the page it is captured on (issue 24, items 1 and 3) -----
    // `to` is where it tries to go (the market's home page by default): a test points it at a listener
    // that must receive nothing.
    const to = url.searchParams.get("to") ?? `${base}/`;
    if (path === "/trich-xuat-gia") {
      // Its scripts replace JSON.parse and the innerText getter, so that an extractor running in the page's
      // own world would read a made-up listing and a made-up text instead of what the page shows.
      const ld = JSON.stringify({
        "@context": "https://schema.org",
        "@type": "Product",
        name: TAMPERED_PAGE.realTitle,
        offers: { "@type": "Offer", price: 350000, priceCurrency: "VND" },
      });
      const fake = JSON.stringify({
        "@type": "Product",
        name: TAMPERED_PAGE.fakeTitle,
        offers: { price: 1 },
      });
      return html(
        200,
        layout(
          "Trích xuất giả",
          `<h1>${esc(TAMPERED_PAGE.realTitle)}</h1><p>${esc(TAMPERED_PAGE.realText)}</p><script type="application/ld+json">${ld.replace(/</g, "\\u003c")}</script>`,
          `<script>JSON.parse=function(){return ${fake.replace(/</g, "\\u003c")}};Object.defineProperty(HTMLElement.prototype,"innerText",{get:function(){return ${jsString(TAMPERED_PAGE.fakeText)}}});</script>`,
        ),
      );
    }
    if (path === "/cua-so-bat-len") {
      // window.open at load and again a moment later, as pop-up advertising does.
      return html(
        200,
        layout(
          "Cửa sổ bật lên",
          "<h1>Khuyến mãi bật lên</h1><p>Trang này mở cửa sổ quảng cáo mới.</p>",
          `<script>window.open(${jsString(to)});setTimeout(function(){window.open(${jsString(to)},"_blank","popup")},200)</script>`,
        ),
      );
    }
    if (path === "/tab-moi") {
      // A target=_blank link clicked by script (and one with rel=noopener), as redirect farms do.
      return html(
        200,
        layout(
          "Mở thẻ mới",
          `<h1>Ưu đãi trong thẻ mới</h1><p><a id="a1" href="${esc(to)}" target="_blank">Xem ưu đãi</a> <a id="a2" href="${esc(to)}" target="_blank" rel="noopener">Ưu đãi khác</a></p>`,
          `<script>addEventListener("load",function(){document.getElementById("a1").click();setTimeout(function(){document.getElementById("a2").click()},100)})</script>`,
        ),
      );
    }
    if (path === "/du-doan-tai-truoc") {
      // Speculation rules: the browser itself would prefetch and prerender `to`.
      const rules = JSON.stringify({
        prefetch: [{ source: "list", urls: [to] }],
        prerender: [{ source: "list", urls: [`${to}${to.includes("?") ? "&" : "?"}prerender=1`] }],
      });
      return html(
        200,
        layout(
          "Tải trước",
          `<h1>Trang có quy tắc tải trước</h1><p><a href="${esc(to)}">Liên kết</a></p>`,
          `<script type="speculationrules">${rules.replace(/</g, "\\u003c")}</script>`,
        ),
        { "speculation-rules": `"${base}/quy-tac-tai-truoc.json?to=${encodeURIComponent(to)}"` },
      );
    }
    if (path === "/quy-tac-tai-truoc.json") {
      res.writeHead(200, { "content-type": "application/speculationrules+json" });
      return res.end(JSON.stringify({ prefetch: [{ source: "list", urls: [to] }] }));
    }
    if (serveNetworkProbe(path, url, { base, to, probes }, res)) return;
    if (path === "/webrtc") {
      // STUN and TURN towards `stun` (host:port): WebRTC would send UDP and TCP from the browser.
      const target = url.searchParams.get("stun") ?? "127.0.0.1:3478";
      const servers = JSON.stringify([
        { urls: `stun:${target}` },
        { urls: `turn:${target}?transport=udp`, username: "u", credential: "p" },
        { urls: `turn:${target}?transport=tcp`, username: "u", credential: "p" },
      ]);
      return html(
        200,
        layout(
          "WebRTC",
          `<h1>Trò chuyện trực tiếp</h1><p id="rtc">đang kết nối</p>`,
          `<script>try{var pc=new RTCPeerConnection({iceServers:${servers.replace(/</g, "\\u003c")}});pc.createDataChannel("x");pc.createOffer().then(function(o){return pc.setLocalDescription(o)}).catch(function(){});}catch(e){document.getElementById("rtc")&&(document.getElementById("rtc").textContent="không có WebRTC")}</script>`,
        ),
      );
    }
    if (path === "/trang-5mb") {
      const row = `<p>${"Hàng tồn kho thanh lý giá rẻ, số lượng có hạn. ".repeat(20)}</p>\n`;
      const body = row.repeat(Math.ceil((5 * 1024 * 1024) / Buffer.byteLength(row)));
      return html(200, layout("Trang rất lớn", body));
    }
    if (path === "/qua-tai")
      return html(429, layout("Quá tải", "<p>Quá nhiều yêu cầu.</p>"), { "retry-after": "120" });
    html(404, layout("Không tìm thấy", "<h1>Không tìm thấy trang</h1>"));
  };
  const server: Server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  return {
    url: base,
    origin: `${host}:${port}`,
    port,
    takeDown(path: string) {
      takenDown.add(new URL(path, base).pathname);
    },
    probes() {
      return [...probes];
    },
    async stop() {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The demo targets npm start seeds: each kind of page the pipeline handles. */
export function demoTargets(baseUrl: string) {
  return [
    {
      url: `${baseUrl}/shop/${FASHION_SHOP.slug}`,
      kind: "shop",
      label: FASHION_SHOP.name,
      platform: "chopho",
      schedule: "hourly",
      pageLimit: 5,
    },
    {
      url: `${baseUrl}/shop/${HEALTH_SHOP.slug}`,
      kind: "shop",
      label: HEALTH_SHOP.name,
      platform: "chopho",
      schedule: "daily",
      pageLimit: 1,
    },
    {
      url: `${baseUrl}/tim-kiem?q=gia+dung`,
      kind: "search",
      label: "Tìm kiếm “gia dụng”",
      platform: "chopho",
      schedule: "daily",
      pageLimit: 1,
    },
    {
      url: `${baseUrl}/kol/${KOL_FEED.slug}`,
      kind: "profile",
      label: KOL_FEED.name,
      platform: "chopho-social",
      schedule: "daily",
      pageLimit: 3,
    },
    {
      url: `${baseUrl}/bang-tin`,
      kind: "website",
      label: "Bảng tin (quảng cáo)",
      platform: "chopho-social",
      schedule: "daily",
      pageLimit: 2,
    },
  ] as const;
}
