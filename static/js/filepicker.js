// A Chinese file picker: Chromium draws <input type=file> with its own English “Choose File”
// whatever the page's language. Every file input is hidden (still focusable, still in its
// form, still carrying Bootstrap's validation classes) behind a Bootstrap input group:
// a button labelled “选择文件” and the chosen file names (“未选择文件” until one is chosen).
// Without JavaScript the browser's own control stays.
(function () {
  "use strict";

  var counter = 0;

  function describe(input) {
    var files = input.files ? Array.prototype.slice.call(input.files) : [];
    if (!files.length) {
      return "未选择文件";
    }
    if (files.length > 3) {
      return "已选择 " + files.length + " 个文件：" + files[0].name + " 等";
    }
    return files.map(function (file) { return file.name; }).join("，");
  }

  function enhance(input) {
    if (input.hasAttribute("data-file-picker")) {
      return;
    }
    input.setAttribute("data-file-picker", "");
    if (!input.id) {
      counter += 1;
      input.id = "file-picker-" + counter;
    }
    var group = document.createElement("div");
    group.className = "input-group file-picker";
    var button = document.createElement("label");
    button.className = "btn btn-outline-secondary file-picker-button";
    button.htmlFor = input.id;
    button.textContent = "选择文件";
    var name = document.createElement("span");
    name.className = "form-control text-truncate file-picker-name";
    name.setAttribute("aria-live", "polite");
    name.textContent = describe(input);
    if (input.classList.contains("is-invalid")) {
      name.classList.add("is-invalid");
    }
    group.appendChild(button);
    group.appendChild(name);
    input.parentNode.insertBefore(group, input);
    input.classList.add("visually-hidden-focusable-input");
    input.addEventListener("change", function () {
      name.textContent = describe(input);
      name.classList.toggle("text-secondary", !(input.files && input.files.length));
    });
    name.classList.toggle("text-secondary", !(input.files && input.files.length));
    // The form's reset button empties the input without a change event.
    if (input.form) {
      input.form.addEventListener("reset", function () {
        window.setTimeout(function () { name.textContent = describe(input); }, 0);
      });
    }
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input[type=file]"), enhance);
  }

  enhanceAll(document);
  // Forms that htmx swaps in later get the same picker.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
