/**
 * The console's stylesheet, kept in code so the Lambda bundle needs no asset copying. Colours meet WCAG AA
 * contrast on white (checked by the browser test's axe-core run).
 */
export const APP_CSS = `
:root { --ink: #1b1f24; --muted: #4a5561; --brand: #0b5394; --brand-dark: #083d6d; --bg: #f5f7fa; --danger: #a4161a; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.5; }
a { color: var(--brand); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip-link:focus { left: 1rem; z-index: 10; }
.site-header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 1rem; padding: .75rem 1.5rem; background: var(--brand-dark); color: #fff; }
.site-header a { color: #fff; }
.brand a { font-weight: 700; font-size: 1.25rem; text-decoration: none; margin-right: .75rem; }
.tagline { font-size: .9rem; }
.site-header ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; align-items: center; }
.nav-group { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem; padding-left: .75rem; border-left: 1px solid rgba(255,255,255,.35); }
.nav-group-label { font-size: .75rem; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: #fff; }
.site-header .nav-group ul { gap: .75rem; }
.inline-form { display: inline; margin: 0; }
.link-button { background: none; border: 0; color: #fff; text-decoration: underline; font: inherit; cursor: pointer; padding: 0; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
.card { background: #fff; border: 1px solid #d5dbe1; border-radius: 6px; padding: 1rem 1.5rem; margin-bottom: 1.5rem; }
.narrow { max-width: 28rem; margin: 2rem auto; }
form label { display: block; margin-top: .75rem; font-weight: 600; }
form label.choice { display: flex; align-items: center; gap: .5rem; margin-top: .5rem; font-weight: 400; cursor: pointer; }
.choice input[type=radio], .choice input[type=checkbox] { flex: none; width: 1.25rem; height: 1.25rem; margin: 0; }
form input:not([type]), form input[type=email], form input[type=password], form input[type=text], form input[type=url], form input[type=number], select { width: 100%; padding: .5rem; border: 1px solid #6b7683; border-radius: 4px; font: inherit; }
button { margin-top: 1rem; background: var(--brand); color: #fff; border: 0; border-radius: 4px; padding: .6rem 1.2rem; font: inherit; cursor: pointer; }
button:hover { background: var(--brand-dark); }
.filters { display: flex; gap: .75rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
.filters label { margin: 0; }
.filters select { width: auto; }
.filters input[type=number] { width: 7rem; }
.filters button { margin: 0; }
.alert { border-left: 4px solid var(--danger); background: #fdecea; color: var(--danger); padding: .5rem 1rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.facts dt { font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; }
mark { background: #fde68a; color: var(--ink); padding: 0 .1em; }
.screenshot { max-width: 100%; border: 1px solid #d5dbe1; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #d5dbe1; vertical-align: top; }
th { background: #e8edf2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
a.button { display: inline-block; background: var(--brand); color: #fff; padding: .5rem 1rem; border-radius: 4px; text-decoration: none; margin: .25rem 0; }
a.button.secondary, button.secondary { background: #fff; color: var(--brand); border: 1px solid var(--brand); }
button.danger { background: var(--danger); }
.field { margin-bottom: .75rem; }
.field.wide { flex: 1 1 20rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0; }
.field-error { color: var(--danger); font-weight: 600; margin: .25rem 0; }
[aria-invalid="true"] { border-color: var(--danger) !important; border-width: 2px !important; }
.notice { border-left: 4px solid #2e7d32; background: #e8f5e9; padding: .5rem 1rem; }
fieldset { border: 1px solid #d5dbe1; border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
textarea, input[type=date], input[type=tel], input[type=search], input[type=file], select[multiple] { width: 100%; padding: .5rem; border: 1px solid #6b7683; border-radius: 4px; font: inherit; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9rem; word-break: break-all; }
.table-wrap { overflow-x: auto; }
/* Codes (tax codes, document codes) never break inside: one code, one line. */
.code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9rem; white-space: nowrap; }
/* On a phone a .stack table becomes one card per row, each cell labelled by its column (data-label). */
@media (max-width: 40rem) {
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  table.stack { background: none; }
  table.stack tr { background: #fff; border: 1px solid #d5dbe1; border-radius: 6px; margin-bottom: .75rem; }
  table.stack td { border-bottom: 1px solid #eef1f4; overflow-wrap: anywhere; }
  table.stack td:last-child { border-bottom: 0; }
  table.stack td::before { content: attr(data-label); display: block; font-size: .85rem; font-weight: 600; color: var(--muted); }
  /* A long identifier (a profile URL) may wrap inside its card; a tax or document code fits on its line. */
  table.stack .code { white-space: normal; }
}
.columns { columns: 2 18rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.inline-block { margin-top: 1.5rem; }
progress { width: 100%; height: 1.5rem; }
.pledge-text .pledge-title { font-weight: 700; text-align: center; }
.pledge-text ol li { margin-bottom: .5rem; }
.signature-pad { display: block; width: 100%; max-width: 600px; aspect-ratio: 3 / 1; height: auto; border: 2px dashed #6b7683; border-radius: 4px; background: #fff; touch-action: none; cursor: crosshair; }
.field.checkbox { display: flex; gap: .5rem; align-items: flex-start; flex-wrap: wrap; margin-top: 1rem; }
.field.checkbox label { margin: 0; font-weight: 400; flex: 1; }
.field.checkbox input { width: 1.5rem; height: 1.5rem; margin: .1rem 0 0; }
.field.checkbox .field-error { flex-basis: 100%; }
.mail-body { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #d5dbe1; padding: 1rem; font-family: inherit; }
.link-list { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .75rem; }
@media (max-width: 40rem) { main { padding: 1rem .75rem; } .card { padding: .75rem 1rem; } .facts { grid-template-columns: 1fr; } button { width: 100%; } }
.chart { width: 100%; max-width: 48rem; height: auto; }
.chart text { font: 12px system-ui, sans-serif; fill: #1b2430; }
.chart .track { fill: #e8ebee; }
.chart .good { fill: #2e7d32; }
.chart .fair { fill: #b26a00; }
.chart .poor { fill: #c62828; }
.chart .target { stroke: #1b2430; stroke-width: 1.5; stroke-dasharray: 4 3; }
.chart .axis { stroke: #6b7683; stroke-width: 1; }
.pct-good { color: #1b5e20; font-weight: 600; }
.pct-fair { color: #8a5200; font-weight: 600; }
.pct-poor { color: #b71c1c; font-weight: 600; }
.inline-form { display: inline; }
@media print { .site-header nav, form, .skip-link { display: none; } .chart { max-width: 100%; } }
.site-footer { text-align: center; color: var(--muted); padding: 1rem; font-size: .9rem; }
.break { word-break: break-all; }
.muted { color: var(--muted); font-size: .9rem; }
.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .8rem; word-break: break-all; }
.screenshot { display: block; max-width: 100%; max-height: 40rem; object-fit: cover; object-position: top; border: 1px solid #d5dbe1; margin-top: .75rem; }
`;

/**
 * The signing page's only script: a drawn signature on a canvas (mouse, pen and touch through pointer
 * events), copied into a hidden field as a PNG data URL on submit, and a submit button that disables
 * itself so a double click sends one request (the server signs once regardless). First, the field marked
 * autofocus gets the focus once the page has loaded: a browser skips autofocus, and moves the focus to
 * the fragment's target, when the URL's fragment places the page (the code step after "Gửi mã xác
 * thực"); the page stays where the fragment put it.
 */
export const SIGNATURE_JS = `"use strict";
(function () {
  // After load: scrolling to the fragment focuses its target (or the page), so focus goes after it.
  window.addEventListener("load", function () {
    var first = document.querySelector("[autofocus]");
    if (first && document.activeElement !== first) first.focus({ preventScroll: true });
  });
})();
(function () {
  var canvas = document.getElementById("signature-pad");
  var field = document.getElementById("drawn-signature");
  var form = document.getElementById("sign-form");
  var clear = document.getElementById("signature-clear");
  if (!canvas || !field || !form) return;
  var ctx = canvas.getContext("2d");
  var drawing = false, drawn = false, last = null;
  ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#0b1f4d";
  function point(e) {
    var r = canvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) * (canvas.width / r.width), y: (e.clientY - r.top) * (canvas.height / r.height) };
  }
  canvas.addEventListener("pointerdown", function (e) {
    drawing = true; last = point(e); canvas.setPointerCapture(e.pointerId); e.preventDefault();
    ctx.beginPath(); ctx.arc(last.x, last.y, 1.5, 0, Math.PI * 2); ctx.fillStyle = ctx.strokeStyle; ctx.fill();
    drawn = true;
  });
  canvas.addEventListener("pointermove", function (e) {
    if (!drawing) return;
    var p = point(e);
    ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
    last = p; drawn = true; e.preventDefault();
  });
  function stop() { drawing = false; last = null; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  if (clear) clear.addEventListener("click", function () {
    ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; field.value = "";
  });
  var sent = false;
  form.addEventListener("submit", function (e) {
    if (sent) { e.preventDefault(); return; }
    field.value = drawn ? canvas.toDataURL("image/png") : "";
    sent = true;
    var button = document.getElementById("sign-submit");
    if (button) { button.setAttribute("aria-disabled", "true"); }
  });
})();
`;

/**
 * Keyboard shortcuts of the review console (same-origin script: the CSP allows no inline script).
 * Queue: j/k move between cases, Enter opens (the focused link), x ticks the case for bulk dismissal.
 * Case: c claims, v goes to the confirmation form, d to the dismissal form. Ignored while typing.
 */
export const REVIEW_JS = `"use strict";
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
  var links = Array.prototype.slice.call(document.querySelectorAll("#queue a.case-link"));
  var current = links.indexOf(document.activeElement);
  function focusAt(i) { if (links[i]) { links[i].focus(); event.preventDefault(); } }
  if (event.key === "j") return focusAt(current < 0 ? 0 : Math.min(current + 1, links.length - 1));
  if (event.key === "k") return focusAt(current < 0 ? 0 : Math.max(current - 1, 0));
  if (event.key === "x" && current >= 0) {
    var row = links[current].closest("tr");
    var box = row && row.querySelector("input[type=checkbox]");
    if (box) { box.checked = !box.checked; event.preventDefault(); }
    return;
  }
  var claim = document.getElementById("action-claim");
  if (event.key === "c" && claim) { claim.click(); event.preventDefault(); return; }
  var type = document.getElementById("f-type");
  if (event.key === "v" && type) { type.focus(); event.preventDefault(); return; }
  var dismiss = document.getElementById("f-dismiss");
  if (event.key === "d" && dismiss) { dismiss.focus(); event.preventDefault(); }
});
`;
