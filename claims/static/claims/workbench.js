// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // "Select all" checkboxes for bulk actions.
  document.addEventListener("change", function (event) {
    var box = event.target.closest("[data-select-all]");
    if (!box) return;
    document.querySelectorAll('input[name="' + box.dataset.selectAll + '"][form="' + box.getAttribute("form") + '"]')
      .forEach(function (each) { each.checked = box.checked; });
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
