// Reactions: the bars' forms work without this script (a form post and a redirect).
// With it, a click toggles in place (JSON), counts follow `reaction.changed` frames
// from the page's circle socket (static/js/socket.js dispatches them as
// `circle:reaction.changed` events), and chat messages that arrive live (their bar
// drawn by the server) have their counts asked. The markup is the server's alone.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function barsFor(kind, id) {
    return document.querySelectorAll('[data-reaction-bar][data-kind="' + kind + '"][data-id="' + id + '"]');
  }

  function show(bar, counts, people, mine) {
    var total = 0;
    Array.prototype.forEach.call(bar.querySelectorAll("[data-reaction]"), function (node) {
      var kind = node.dataset.reaction;
      var n = counts[kind] || 0;
      total += n;
      var count = node.querySelector("[data-count]");
      if (count) count.textContent = node.tagName === "BUTTON" ? (n ? String(n) : "") : String(n);
      if (node.tagName !== "BUTTON") node.hidden = !n;
      if (mine && node.tagName === "BUTTON") {
        var on = mine.indexOf(kind) !== -1;
        node.setAttribute("aria-pressed", on ? "true" : "false");
        node.classList.toggle("reaction-mine", on);
      }
    });
    var heard = bar.querySelector("[data-heard-text]");
    if (heard && typeof people === "number") heard.textContent = people + (people === 1 ? " person" : " people") + " heard you";
    var who = bar.querySelector("[data-who]");
    if (who) who.hidden = !total;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reaction-form")) return;
    var button = event.submitter;
    if (!button || !button.dataset.reaction) return;
    event.preventDefault();
    // Busy, not disabled: a disabled button loses the keyboard's focus.
    if (button.dataset.busy) return;
    button.dataset.busy = "1";
    var data = new FormData(form);
    data.set("reaction", button.dataset.reaction);
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      var bar = form.closest("[data-reaction-bar]");
      if (!result.ok) { bar.setAttribute("data-error", result.body.error || "Not saved."); announce(bar, result.body.error || "That reaction was not saved."); return; }
      var pressed = button.getAttribute("aria-pressed") === "true";
      button.setAttribute("aria-pressed", result.body.on ? "true" : "false");
      button.classList.toggle("reaction-mine", !!result.body.on);
      show(bar, result.body.counts, result.body.people);
      // A thread page's line of counts under the post follows (thread_controls.js).
      document.dispatchEvent(new CustomEvent("reactions:counted", {
        detail: { kind: bar.dataset.kind, id: parseInt(bar.dataset.id, 10), counts: result.body.counts }
      }));
      if (pressed === !!result.body.on) return;
    }).catch(function () {
      form.submit(); // no script path: the form post still works
    }).then(function () { delete button.dataset.busy; });
  });

  function announce(bar, text) {
    var line = bar.querySelector(".reaction-error");
    if (!line) {
      line = document.createElement("p");
      line.className = "reaction-error";
      line.setAttribute("role", "alert");
      bar.appendChild(line);
    }
    line.textContent = text;
  }

  document.addEventListener("circle:reaction.changed", function (event) {
    var frame = event.detail;
    Array.prototype.forEach.call(barsFor(frame.kind, frame.id), function (bar) {
      show(bar, frame.counts, frame.people);
    });
  });

  // --- chat messages added by chat.js after the page loaded -----------------------
  var chat = document.getElementById("chat");
  var log = document.getElementById("chat-log");
  var toCount = [];
  var countTimer = null;

  // A message that arrives live comes with its bar drawn by the server
  // (circles/chat_html.py, via static/js/chat.js): only its counts are asked.
  function equip(li) {
    if (!li.dataset || !li.dataset.messageId) return;
    if (li.classList.contains("chat-msg-removed") || li.querySelector(".chat-tombstone")) {
      var stale = li.querySelector("[data-reaction-bar]");
      if (stale) stale.remove();
      return;
    }
    if (li.dataset.live !== "1" || !li.querySelector("[data-reaction-bar]")) return;
    li.dataset.live = "counted";
    toCount.push(li.dataset.messageId);
    clearTimeout(countTimer);
    countTimer = setTimeout(fetchCounts, 150);
  }

  function fetchCounts() {
    var ids = toCount.splice(0, 200);
    if (!ids.length) return;
    fetch(chat.dataset.reactUrl + "?kind=message&ids=" + ids.join(","), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body) return;
      Object.keys(body.counts).forEach(function (id) {
        Array.prototype.forEach.call(barsFor("message", id), function (bar) {
          show(bar, body.counts[id], null, body.mine[id] || []);
        });
      });
    }).catch(function () {});
  }

  if (chat && log) {
    Array.prototype.forEach.call(log.querySelectorAll("li[data-message-id]"), equip);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "childList" && record.target === log) {
          Array.prototype.forEach.call(record.addedNodes, function (node) { if (node.nodeType === 1) equip(node); });
        } else {
          var li = record.target.closest && record.target.closest("li[data-message-id]");
          if (li && li.parentNode === log) equip(li);
        }
      });
    }).observe(log, { childList: true, subtree: true });
  }
})();
