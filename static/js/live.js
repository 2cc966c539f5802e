// live.js follows a live board: an element with data-live-stream (the
// server-sent-event stream) and data-live-fragment (its refreshed content)
// is re-filled from the fragment whenever the board changes. EventSource
// reconnects by itself and the server replays what was missed. Focus stays
// where it was (by element id), and a polite live region says the list
// changed, without moving anyone's focus.
(function () {
  "use strict";
  var kinds = ["post", "vote", "moderation", "pin", "merge", "poll", "answer", "board", "code", "resync"];
  function follow(el) {
    if (!window.EventSource || !window.fetch) return;
    var busy = false, again = false, last = 0, timer = null;
    var status = el.getAttribute("data-live-status") ? document.getElementById(el.getAttribute("data-live-status")) : null;
    function refresh() {
      if (busy) { again = true; return; }
      var wait = 300 - (Date.now() - last);
      if (wait > 0) { if (!timer) timer = setTimeout(function () { timer = null; refresh(); }, wait); return; }
      busy = true; last = Date.now();
      fetch(el.getAttribute("data-live-fragment"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var active = document.activeElement, id = active && el.contains(active) ? active.id : "";
          el.innerHTML = html;
          if (id && document.getElementById(id)) document.getElementById(id).focus();
          if (status) { status.textContent = ""; status.textContent = status.getAttribute("data-updated") || ""; }
          el.setAttribute("data-refreshed", String(Date.now()));
        })
        .catch(function () {})
        .then(function () { busy = false; if (again) { again = false; refresh(); } });
    }
    var es = new EventSource(el.getAttribute("data-live-stream"));
    kinds.forEach(function (k) { es.addEventListener(k, refresh); });
  }
  function start() {
    var els = document.querySelectorAll("[data-live-stream]");
    for (var i = 0; i < els.length; i++) follow(els[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
