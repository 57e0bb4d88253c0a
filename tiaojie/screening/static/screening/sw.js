/* Service worker of the field app: the app's shell is cached so that the page opens without a
   network; the reports themselves wait in IndexedDB (field.js), never in this cache.
   Served by screening.views.field.field_worker, which fills in __SHELL__ and __VERSION__. */
"use strict";
const CACHE = "tiaojie-__VERSION__";
const SHELL = __SHELL__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { credentials: "same-origin" })))).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("tiaojie-") && k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // reports go to the network, or stay queued
  const url = new URL(request.url);
  if (!SHELL.includes(url.pathname)) return;
  // Network first (fresh rounds when online), the cached shell when offline.
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    }).catch(() => caches.match(url.pathname))
  );
});
