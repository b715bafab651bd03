/** The demo market's HTML helpers: escaping, a JavaScript literal safe in <script>, the page layout. */

export const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

export function layout(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${esc(title)} · Chợ Phố (demo)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;color:#222}
header{background:#ee4d2d;color:#fff;padding:12px 24px}header a{color:#fff;text-decoration:none;font-weight:bold}
main{max-width:1000px;margin:0 auto;padding:16px}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}
.card{background:#fff;border-radius:6px;padding:12px;box-shadow:0 1px 2px #0002}
.price{color:#ee4d2d;font-weight:bold}.pager a{margin-right:8px}
.feed-post{background:#fff;border-radius:8px;padding:12px;margin:10px 0}.sponsored{color:#666;font-size:.85em}
.post-author{font-weight:bold}
</style>${head}</head>
<body><header><a href="/">Chợ Phố</a> — sàn thương mại điện tử thử nghiệm của Pledgewatch (dữ liệu giả lập)</header>
<main>${body}</main></body></html>`;
}

/** A string as a JavaScript literal that is safe inside a <script> element. */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
