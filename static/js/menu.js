// The menu bar's headings open a list of pages (<details name="mainnav">, one open at a time).
// A click anywhere else or Esc closes the open one, as people expect of a menu; without this
// script the menu still works, it only stays open until its heading is clicked again.
(function () {
  "use strict";
  function openSections() {
    return document.querySelectorAll("details[data-nav-section][open]");
  }
  document.addEventListener("click", function (event) {
    openSections().forEach(function (section) {
      if (!section.contains(event.target)) {
        section.removeAttribute("open");
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openSections().forEach(function (section) {
      section.removeAttribute("open");
      var summary = section.querySelector("summary");
      if (summary) {
        summary.focus();
      }
    });
  });
})();
