/* Install the portal as a phone app: register the service worker served at /sw.js. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      /* Without it the portal works as before; only offline pages are missing. */
    });
  });
})();
