// The portal's own behaviour, kept out of the pages so the Content-Security-Policy can forbid
// inline scripts. Each rule is a data attribute on the element it concerns.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (year and term pickers).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  // <button data-confirm="…">: ask before a destructive action; cancel keeps the page as it is.
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-confirm]");
    if (trigger && !window.confirm(trigger.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // <input type="checkbox" data-check-all="NAME">: ticks or clears every checkbox named NAME in its form.
  document.addEventListener("change", function (event) {
    var master = event.target.closest("input[data-check-all]");
    if (!master || !master.form) {
      return;
    }
    var name = master.getAttribute("data-check-all");
    master.form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = master.checked;
    });
  });

  // <span data-count-checked="NAME">: shows how many checkboxes named NAME are ticked in its form
  // (the preview of an invitation by group: the count follows the people removed).
  function updateCounts() {
    document.querySelectorAll("[data-count-checked]").forEach(function (counter) {
      var name = counter.getAttribute("data-count-checked");
      var scope = counter.closest("form") || document;
      // data-count-more: people sent but not listed (a long preview lists its first people only).
      var more = parseInt(counter.getAttribute("data-count-more") || "0", 10) || 0;
      counter.textContent = scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]:checked').length + more;
    });
  }
  document.addEventListener("change", updateCounts);
  document.addEventListener("DOMContentLoaded", updateCounts);
  // Member pickers (members/picker.py): a ticked search match joins the chosen members, so the
  // next search keeps it; a single picker keeps only the newest choice. Enter in the search box
  // searches instead of submitting the form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var results = box.closest("[data-picker-results]");
    if (!results || !box.checked) {
      return;
    }
    var chosen = results.closest("[data-picker]").querySelector("[data-picker-chosen]");
    if (box.type === "radio") {
      chosen.replaceChildren();
    }
    chosen.appendChild(box.closest("label"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-picker-search]")) {
      event.preventDefault();
    }
  });
})();
