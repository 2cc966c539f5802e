// The door's service worker, scoped to one event's check-in page (it is
// served from beside it). It keeps that page and the static files it uses,
// so the page reloads without a network; every other request, the JSON of
// the door included, goes to the network untouched. Signing out clears it
// (Clear-Site-Data on the sign-out answer).
"use strict";
var CACHE = "agora-door-v1";
var scope = new URL(self.registration.scope).pathname;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

// The page names what it needs (itself, its scripts and styles) once loaded.
self.addEventListener("message", function (ev) {
  var urls = (ev.data && ev.data.cache) || [];
  urls = urls.filter(function (u) { return ours(new URL(u, self.location.origin)); });
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(urls); }).catch(function () {}));
});

function isPage(url) { return url.pathname === scope; }
function isStatic(url) { return url.pathname.indexOf("/static/") === 0; }
function ours(url) { return url.origin === self.location.origin && (isPage(url) || isStatic(url)); }

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || !ours(url)) {
    return;
  }
  if (isStatic(url)) {
    // Hashed names: what is cached never changes.
    ev.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
        return res;
      });
    }));
    return;
  }
  // The page: the network first (fresh counts and token), the copy offline.
  ev.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected) { var copy = res.clone(); caches.open(CACHE).then(function (c) { c.put(req, copy); }); }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) { return hit || caches.match(url.pathname, { ignoreSearch: true }); }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
