// /circles/<slug>/?message=<id> (a search result, a saved item): bring that chat
// message into view and mark it, once the chat has it.
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  var wanted = new URLSearchParams(location.search).get("message");
  if (!log || !wanted || !/^\d+$/.test(wanted)) return;
  var tries = 0;
  function find() {
    var li = log.querySelector('li[data-message-id="' + wanted + '"]');
    if (li) {
      li.classList.add("chat-msg-target");
      li.setAttribute("tabindex", "-1");
      li.scrollIntoView({ block: "center" });
      li.focus({ preventScroll: true });
      return;
    }
    if (++tries < 20) { setTimeout(find, 250); return; }
    var note = document.createElement("p");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = "That message is older than the chat shown here, or no longer available.";
    log.insertAdjacentElement("beforebegin", note);
  }
  find();
})();
