/* The portal's service worker (served at /sw.js by cppcc_portal.pwa).
   Static files: from the phone first. Pages with an offline form: from the network, kept on
   the phone, and from the phone when there is no network. Every POST goes to the network
   untouched: static/js/offline.js keeps a form on the phone while offline and sends it later. */
"use strict";
const VERSION = "{{ version }}";
const STATIC_CACHE = "cppcc-static-" + VERSION;
const PAGE_CACHE = "cppcc-pages-" + VERSION;
const STATIC_FILES = {{ static_files|safe }};
const OFFLINE_PAGES = {{ offline_pages|safe }}.map((source) => new RegExp(source));
const STATIC_PREFIX = {{ static_prefix|safe }};
const OFFLINE_TEXT = "<!doctype html><html lang=\"zh-hans\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>当前离线</title><body style=\"font-family:sans-serif;padding:2rem\"><h1>当前没有网络</h1><p>这个页面还没有保存在手机上。联网后再打开；已填写的社情民意、微建议、提案草稿和调研报告会在联网后自动发送。</p></body></html>";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(STATIC_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((key) => key.startsWith("cppcc-") && key !== STATIC_CACHE && key !== PAGE_CACHE).map((key) => caches.delete(key))
    )).then(() => self.clients.claim())
  );
});

function keepsPage(url) {
  return url.origin === self.location.origin && OFFLINE_PAGES.some((pattern) => pattern.test(url.pathname));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === "/accounts/logout/") caches.delete(PAGE_CACHE);  // the next person sees none of it
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && !response.redirected && keepsPage(url)) {
          const copy = response.clone();
          caches.open(PAGE_CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request, { cacheName: PAGE_CACHE }).then(
        (hit) => hit || new Response(OFFLINE_TEXT, { headers: { "Content-Type": "text/html; charset=utf-8" } })
      ))
    );
  }
});
