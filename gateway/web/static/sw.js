/* Councils' service worker: the site installs and, without a connection, still shows its
   styles and an offline page. Only the static files and that page are kept: never a ballot,
   a form or a member's page, which always come from the network. */
"use strict";

var CACHE = "councils-__VERSION__";
var OFFLINE = "/offline";
var KEEP = __ASSETS__.concat([OFFLINE]);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // Without the member's cookie: what is kept is the same for everyone.
    return cache.addAll(KEEP.map(function (url) {
      return new Request(url, {credentials: "omit"});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("councils-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (KEEP.indexOf(url.pathname) !== -1 && url.pathname !== OFFLINE) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request);
    }));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE);
    }));
  }
});
