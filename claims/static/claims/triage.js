// Triage at keyboard speed: one claim is "current" (highlighted and focused); single keys
// act on it. The keys are listed on the page. Every action is an ordinary button or link,
// so the page works without this file.
(function () {
  "use strict";

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  }

  function current() {
    var active = document.activeElement && document.activeElement.closest("[data-card]");
    return active || document.querySelector("[data-card].current");
  }

  function select(card) {
    if (!card) return;
    cards().forEach(function (each) { each.classList.remove("current"); });
    card.classList.add("current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = cards();
    if (!list.length) return;
    var index = list.indexOf(current());
    select(list[Math.min(list.length - 1, Math.max(0, index === -1 ? 0 : index + step))]);
  }

  function press(card, key) {
    var target = card && card.querySelector('[data-key="' + key + '"]');
    if (target) target.click();
    return Boolean(target);
  }

  function typing(element) {
    return element && (element.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(element.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var card = current();
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": handled = press(card, "accept"); break;
      case "d": handled = press(card, "dismiss"); break;
      case "u": handled = press(card, "undo"); break;
      case "o": handled = press(card, "open"); break;
      case "Enter":
        handled = Boolean(card) && event.target === card && press(card, "open");
        break;
      case "x": {
        var box = card && card.querySelector('input[type="checkbox"][name="claims"]');
        if (box) box.checked = !box.checked;
        handled = Boolean(box);
        break;
      }
      case "s": {
        var details = card && card.querySelector("details[data-assign]");
        if (details) {
          details.open = true;
          details.querySelector("select").focus();
        }
        handled = Boolean(details);
        break;
      }
      case "?": {
        var help = document.getElementById("shortcuts");
        if (help) { help.open = true; help.querySelector("summary").focus(); }
        break;
      }
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  // The skip link lands on the first claim itself.
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-skip-first-claim]")) return;
    var first = cards()[0];
    if (!first) return;
    event.preventDefault();
    select(first);
  });

  // After htmx swaps a card (accepted, dismissed, undone), keep working on the same place.
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = event.detail.elt && event.detail.elt.closest ? event.detail.elt : null;
    var card = swapped && swapped.matches && swapped.matches("[data-card]") ? swapped : null;
    if (!card && event.detail.target && event.detail.target.id) {
      card = document.getElementById(event.detail.target.id);
    }
    if (card && card.matches("[data-card]")) {
      select(card);
      swappedCardId = card.id;
    }
  });

  // The focus can still be lost once htmx settles (it was on the element the swap removed).
  // Then the card just swapped takes it back; a key pressed meanwhile ("j", "k") wins.
  var swappedCardId = null;
  document.addEventListener("htmx:afterSettle", function () {
    if (!swappedCardId) return;
    var card = document.getElementById(swappedCardId);
    swappedCardId = null;
    var focused = document.activeElement;
    if (card && (!focused || focused === document.body || !focused.isConnected)) select(card);
  });

  // Undo lasts a minute: then the button goes, so nobody presses it to a refusal.
  function expireUndo(root) {
    (root || document).querySelectorAll("form[data-undo-seconds]").forEach(function (form) {
      if (form.dataset.timer) return;
      form.dataset.timer = "1";
      setTimeout(function () { form.remove(); }, Number(form.dataset.undoSeconds) * 1000);
    });
  }
  document.addEventListener("htmx:afterSettle", function () { expireUndo(); });
  expireUndo();

  // A due date in the past is refused by the server; say so as soon as it is typed.
  document.addEventListener("input", function (event) {
    var field = event.target.closest("[data-past-warning]");
    if (!field) return;
    var warning = document.getElementById(field.dataset.pastWarning);
    if (warning) warning.hidden = !(field.value && field.min && field.value < field.min);
  });
})();
