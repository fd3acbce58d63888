// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // "Go back" links: the previous page when there is one (the link's address otherwise). A
  // handler here rather than a javascript: address, which the Content-Security-Policy forbids.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-history-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });

  // "Select all" checkboxes for bulk actions.
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-select-all]");
    if (!box) return;
    document.querySelectorAll('input[name="' + box.dataset.selectAll + '"][form="' + box.getAttribute("form") + '"]')
      .forEach(function (each) { each.checked = box.checked; });
  });

  // After htmx replaces a section the focused button is gone: move focus to the first field
  // with an error, else to the section's heading, so keyboard and screen-reader users stay
  // where they were working.
  document.addEventListener("htmx:afterSettle", function (event) {
    var section = document.getElementById(event.detail.target && event.detail.target.id);
    if (!section || section.tagName !== "SECTION") return;
    var target = section.querySelector(".field.invalid input, .field.invalid select, .field.invalid textarea, .alert.conflict") ||
      section.querySelector("h2");
    if (!target) return;
    if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  });

  // Selecting a passage of the article fills the "make a claim" form with its text and
  // offsets. The article's text content is its body exactly, so offsets count characters.
  function offsetIn(root, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(root);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  document.addEventListener("selectionchange", function () {
    var root = document.getElementById("article-body");
    if (!root) return;
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    var form = document.getElementById(root.dataset.passageForm);
    if (!form) return;
    var start = offsetIn(root, range.startContainer, range.startOffset);
    var end = offsetIn(root, range.endContainer, range.endOffset);
    form.elements.text.value = range.toString();
    form.elements.start.value = start;
    form.elements.end.value = end;
  });
})();
