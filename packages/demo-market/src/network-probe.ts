import type { ServerResponse } from "node:http";
import { esc, jsString, layout } from "./html";

/**
 * The page /duong-ra-mang (issue 19, item 7): every way a page's scripts and markup can send a request —
 * a service worker, a dedicated worker, preconnect, dns-prefetch, prefetch and preload hints, beacons,
 * fetch with keepalive, images, an iframe, EventSource and WebSocket — each tried twice: towards `to` (an
 * internal address in the test) and towards the market's own probe, `/thu-mang/ghi?from=<kind>`. A test
 * then sees both that nothing reached the inside and which kinds went through the capture's own fetch.
 * Returns whether it answered.
 */
export function serveNetworkProbe(
  path: string,
  url: URL,
  at: { base: string; to: string; probes: string[] },
  res: ServerResponse,
): boolean {
  const { base, to, probes } = at;
  const html = (status: number, body: string) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end(body);
    return true;
  };
  if (path === "/duong-ra-mang") {
    const probe = (from: string) => `${base}/thu-mang/ghi?from=${from}`;
    const hints = ["preconnect", "dns-prefetch", "prefetch", "preload"]
      .map(
        (rel) =>
          `<link rel="${rel}" href="${esc(to)}"${rel === "preload" ? ' as="fetch" crossorigin' : ""}><link rel="${rel}" href="${esc(probe(rel))}"${rel === "preload" ? ' as="fetch" crossorigin' : ""}>`,
      )
      .join("");
    const script = `addEventListener("DOMContentLoaded",function(){var out=document.getElementById("ketqua");function note(k,v){var li=document.createElement("li");li.textContent=k+": "+v;out.appendChild(li)}
  var to=${jsString(to)};function probe(f){return ${jsString(`${base}/thu-mang/ghi?from=`)}+f}
  function tryIt(k,f){try{var r=f();if(r&&r.then){r.then(function(){note(k,"được")},function(e){note(k,"bị chặn")})}else{note(k,r===false?"bị chặn":"được")}}catch(e){note(k,"bị chặn")}}
  tryIt("service worker",function(){if(!navigator.serviceWorker)throw new Error("none");return navigator.serviceWorker.register("/thu-mang/sw.js?to="+encodeURIComponent(to)).then(function(r){if(!r)throw new Error("blocked")})});
  tryIt("worker",function(){var w=new Worker("/thu-mang/worker.js?to="+encodeURIComponent(to));w.onmessage=function(m){note("worker",m.data)};return true});
  tryIt("beacon vào trong",function(){return navigator.sendBeacon(to,"x")});
  tryIt("beacon",function(){return navigator.sendBeacon(probe("beacon"),"x")});
  tryIt("fetch vào trong",function(){return fetch(to,{mode:"no-cors"})});
  tryIt("fetch",function(){return fetch(probe("fetch"))});
  tryIt("keepalive",function(){return fetch(probe("keepalive"),{method:"POST",body:"x",keepalive:true})});
  tryIt("ảnh vào trong",function(){var i=new Image();i.src=to;return true});
  tryIt("ảnh",function(){var i=new Image();i.src=probe("image");return true});
  tryIt("EventSource vào trong",function(){var e=new EventSource(to);setTimeout(function(){e.close()},500);return true});
  tryIt("WebSocket vào trong",function(){var u=new URL(to);var s=new WebSocket("ws://"+u.host+"/ws");return true});
  })`;
    return html(
      200,
      layout(
        "Đường ra mạng",
        `<h1>Trang thử mọi đường ra mạng</h1><ul id="ketqua"></ul><img src="${esc(to)}" alt=""><iframe src="${esc(to)}" title="khung"></iframe>`,
        `${hints}<script>${script.replace(/</g, "\\u003c")}</script>`,
      ),
    );
  }
  if (path === "/thu-mang/ghi") {
    probes.push(url.searchParams.get("from") ?? "");
    res.writeHead(204, { "access-control-allow-origin": "*" });
    res.end();
    return true;
  }
  if (path === "/thu-mang/sw.js" || path === "/thu-mang/worker.js") {
    // A service worker would fetch on the page's behalf after it loads; a dedicated worker fetches too.
    const from = path.endsWith("sw.js") ? "service-worker" : "worker";
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
    res.end(
      `var to=${jsString(to)};fetch(to,{mode:"no-cors"}).catch(function(){});fetch(${jsString(`${base}/thu-mang/ghi?from=${from}`)}).then(function(){typeof postMessage==="function"&&postMessage("được")},function(){typeof postMessage==="function"&&postMessage("bị chặn")});`,
    );
    return true;
  }
  return false;
}
