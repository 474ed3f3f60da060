/* Forms a member fills in on the road (社情民意, 微建议, 提案草稿, 调研报告) carry
   data-offline="<what>". Without a network the form is kept on the phone (IndexedDB) instead of
   being lost; when the phone is back online (the "online" event, or the next page opened) each
   kept form is sent once and then removed. The form's one-time form_token makes the server file
   it once even if an answer was lost and it is sent again. */
(function () {
  "use strict";
  var DB_NAME = "cppcc-outbox";
  var STORE = "posts";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  var keep = function (item) { return withStore("readwrite", function (store) { return store.add(item); }); };
  var drop = function (id) { return withStore("readwrite", function (store) { return store.delete(id); }); };
  var all = function () { return withStore("readonly", function (store) { return store.getAll(); }); };

  function banner() {
    var box = document.getElementById("offline-outbox");
    if (!box) {
      box = document.createElement("div");
      box.id = "offline-outbox";
      box.setAttribute("role", "status");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    return box;
  }

  function say(kind, text, link) {
    var line = document.createElement("div");
    line.className = "alert alert-" + kind + " py-2 offline-note";
    line.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.className = "ms-2";
      anchor.textContent = "查看";
      line.appendChild(anchor);
    }
    var box = banner();
    box.appendChild(line);
    box.scrollIntoView({ block: "start" });
    return line;
  }

  function newToken() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function titleOf(form) {
    var field = form.querySelector("[name=title]");
    return (field && field.value.trim()) || form.getAttribute("data-offline");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline") || navigator.onLine) return;
    event.preventDefault();
    var entries = [];
    new FormData(form).forEach(function (value, name) { entries.push([name, value]); });
    var what = form.getAttribute("data-offline");
    var title = titleOf(form);
    keep({
      url: form.action || window.location.href,
      page: window.location.href,
      what: what,
      title: title,
      entries: entries,
      savedAt: new Date().toISOString(),
    }).then(function (id) {
      form.reset();
      /* The next one written on this page is another item: it gets a token of its own. */
      var token = form.querySelector("[name=form_token]");
      if (token) token.value = token.defaultValue = newToken();
      say("warning", "当前没有网络：" + what + "《" + title + "》已保存在本机，联网后自动发送。").setAttribute("data-outbox", id);
    }, function () {
      say("danger", "当前没有网络，且本机无法保存，请联网后再提交。");
    });
  });

  function freshToken(page) {
    /* A kept page may hold an old CSRF token (the session changed): read a fresh one. */
    return fetch(page, { credentials: "same-origin" }).then(function (response) { return response.text(); })
      .then(function (html) {
        var match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
        return match ? match[1] : null;
      });
  }

  function post(item, token) {
    var body = new FormData();
    item.entries.forEach(function (pair) {
      body.append(pair[0], pair[0] === "csrfmiddlewaretoken" && token ? token : pair[1]);
    });
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" });
  }

  function send(item) {
    return post(item).then(function (response) {
      if (response.status !== 403) return response;
      return freshToken(item.page).then(function (token) { return token ? post(item, token) : response; });
    }).then(function (response) {
      if (response.status >= 500) return null;  // the server is unwell: try again later
      var kept = document.querySelector('[data-outbox="' + item.id + '"]');
      if (kept) kept.remove();
      if (response.ok && response.redirected) {
        say("success", "已发送离线保存的" + item.what + "《" + item.title + "》。", response.url);
        return drop(item.id);
      }
      say("danger", item.what + "《" + item.title + "》未能发送（内容不完整或无权提交），请重新填写。");
      return drop(item.id);
    }, function () { return null; });  // still no network: keep it
  }

  var flushing = false;
  function flush() {
    if (!navigator.onLine || flushing || !window.indexedDB) return Promise.resolve();
    flushing = true;
    var run = function () {
      return all().then(function (items) {
        return items.reduce(function (previous, item) {
          return previous.then(function () { return send(item); });
        }, Promise.resolve());
      });
    };
    /* One tab sends at a time, so two open pages do not send the same form together. */
    var locked = navigator.locks ? navigator.locks.request("cppcc-outbox", run) : run();
    return locked.then(function () { flushing = false; }, function () { flushing = false; });
  }

  window.addEventListener("online", flush);
  window.setInterval(flush, 20000);  // a network back without an "online" event (flaky mobile data)
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush);
  else flush();
})();
