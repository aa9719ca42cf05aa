// Small behaviours shared by every page; each works without this script too.
// - The account menu (<details>) closes on Escape or a click elsewhere.
// - The unread badge on the menu follows the one inside it (live updates change that).
// - A form with data-confirm asks first in a <dialog>: "Delete this reply?". Without
//   JavaScript the form simply posts, as before.
(function () {
  "use strict";

  // A refused form: its summary of problems (templates/form_errors.html) is read
  // first, with focus, unless a crisis card already holds it.
  var errorSummary = !document.querySelector("#crisis-resources[data-focus]") &&
    document.querySelector("[data-error-summary]");
  function focusSummary() {
    if (document.activeElement && document.activeElement !== document.body) return;
    errorSummary.focus();
    errorSummary.scrollIntoView({ block: "start" });
  }
  if (errorSummary) {
    focusSummary();
    window.addEventListener("load", function () { setTimeout(focusSummary, 0); });
  }

  var menu = document.querySelector(".account-menu");
  if (menu) {
    var summary = menu.querySelector("summary");
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    var inner = document.getElementById("notification-count");
    if (inner && window.MutationObserver) {
      new MutationObserver(function () {
        var count = parseInt(inner.textContent, 10) || 0;
        var outer = summary.querySelector(".badge");
        if (!outer) {
          outer = document.createElement("span");
          outer.className = "badge";
          outer.setAttribute("aria-hidden", "true");
          summary.appendChild(document.createTextNode(" "));
          summary.appendChild(outer);
        }
        outer.textContent = String(count);
        outer.hidden = inner.hidden || !count;
      }).observe(inner, { childList: true, characterData: true, subtree: true, attributes: true });
    }
  }

  function button(text, className, value) {
    var b = document.createElement("button");
    b.type = "submit";
    b.value = value;
    b.className = className;
    b.textContent = text;
    return b;
  }

  function confirmFirst(form) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-h");
    dialog.setAttribute("aria-describedby", "confirm-dialog-text");
    var heading = document.createElement("h2");
    heading.id = "confirm-dialog-h";
    heading.textContent = form.dataset.confirmTitle || "Are you sure?";
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    text.textContent = form.dataset.confirm;
    var choices = document.createElement("form");
    choices.method = "dialog";
    choices.className = "confirm-choices";
    var keep = button(form.dataset.confirmNo || "Cancel", "secondary", "cancel");
    var go = button(form.dataset.confirmYes || "Yes", "danger", "confirm");
    choices.appendChild(go);
    choices.appendChild(keep);
    dialog.appendChild(heading);
    dialog.appendChild(text);
    dialog.appendChild(choices);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      var confirmed = dialog.returnValue === "confirm";
      dialog.remove();
      if (confirmed) form.submit(); // the same POST as without this script
    });
    dialog.showModal();
    keep.focus(); // the safe choice is the default one
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.confirm || typeof HTMLDialogElement !== "function") return;
    event.preventDefault();
    confirmFirst(form);
  });
})();
