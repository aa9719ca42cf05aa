// The one crisis card on the page. A page's card (drawn by the server at the top of
// <main>, data-focus) takes focus; a live one (the `crisis` frame of the chat socket
// or /ws/me/, whose `html` the server drew with the same partial, role="alert") is
// announced without taking focus, so nothing being typed is lost.
// The chat and /ws/me/ scripts call window.crisisCard.show(frame) on a `crisis` frame.
(function () {
  "use strict";

  function focusPageCard() {
    var card = document.querySelector("#crisis-resources[data-focus]");
    if (!card) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    card.focus();
    card.scrollIntoView({ block: "start" });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(frame) {
    if (!frame || !frame.html) return;
    var holder = document.createElement("template");
    holder.innerHTML = frame.html; // drawn by the server from escaped text and links
    var card = holder.content.querySelector("#crisis-resources");
    if (!card) return;
    card.removeAttribute("data-focus");
    card.setAttribute("role", "alert");
    var misread = card.querySelector("form.crisis-misread");
    if (misread && !misread.querySelector("input[name=csrfmiddlewaretoken]")) {
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrfToken();
      misread.appendChild(token);
    }
    var old = document.getElementById("crisis-resources");
    if (old) old.remove();
    var slot = document.getElementById("crisis-slot");
    var main = document.getElementById("main");
    if (slot) slot.appendChild(card);
    else if (main) main.insertBefore(card, main.querySelector("h1") || main.firstChild);
  }

  window.crisisCard = { show: show };
  focusPageCard();
  // Asked again once the page has loaded: scrolling to a #post-<id> link clears focus.
  window.addEventListener("load", function () { setTimeout(focusPageCard, 0); });
})();
