// The circle's chat panel. The server is the source of truth: messages carry a
// per-circle `seq` with no gaps, so a missing number means "fetch it", and every
// reconnect asks for what came after the last message seen. A message stays in the
// box until the server confirms it (same client_id), and a resend is stored once.
// On confirmation only the text that was sent leaves the box, so whatever the person
// has started typing since stays. Nothing typed is ever cut: past the limit the box
// shows the count and refuses to send.
(function () {
  "use strict";
  var panel = document.getElementById("chat");
  var socket = window.circlesSocket; // the page's one circle socket (static/js/socket.js)
  if (!panel || !socket) return;
  var slug = panel.dataset.slug;
  var me = parseInt(panel.dataset.me || "0", 10);
  var keeper = panel.dataset.keeper === "1"; // hosts and moderators see sensitive words open
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var statusLine = document.getElementById("chat-status");
  var errorLine = document.getElementById("chat-error");
  var typingLine = document.getElementById("chat-typing");
  var presenceNames = document.getElementById("chat-presence-names");
  var emptyLine = document.getElementById("chat-empty");
  var ignored = new Set(JSON.parse(document.getElementById("chat-ignored").textContent || "[]"));
  // People whose safety case this viewer holds: their words that raised a level
  // offer care in place, as the server draws them.
  var careNode = document.getElementById("chat-care-authors");
  var careAuthors = new Set(JSON.parse((careNode && careNode.textContent) || "[]"));

  var idBySeq = new Map();
  var lastId = parseInt(panel.dataset.lastId || "0", 10);
  var contiguous = 0; // highest seq with nothing missing below it (since page load)
  var MAX_CHARS = parseInt((input && input.dataset.maxChars) || "4000", 10);
  var countLine = document.getElementById("chat-count");
  var pending = new Map(); // client_id -> {body, raw}, until the server confirms it
  var waitingFor = null; // client_id of the text still in the box
  var lastTypingSent = 0;
  var historyAsked = 0;

  Array.prototype.forEach.call(log.querySelectorAll("li[data-seq]"), function (li) {
    idBySeq.set(parseInt(li.dataset.seq, 10), parseInt(li.dataset.messageId, 10));
  });
  if (idBySeq.size) contiguous = Math.max.apply(null, Array.from(idBySeq.keys()));
  socket.seen("circle", lastId); // reconnects catch up from here

  function setStatus(text) { statusLine.textContent = text; }
  function showError(text) { errorLine.textContent = text || ""; }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The site's one time format (static/js/time.js), so live and reloaded agree.
  function timeElement(iso, style) {
    if (window.circlesTime) return window.circlesTime.element(iso, style);
    var time = el("time", "", iso);
    time.setAttribute("datetime", iso);
    return time;
  }

  function characters(text) { return Array.from(text).length; } // as the server counts

  function number(n) { return n.toLocaleString("en-GB"); }

  function updateCount() {
    if (!countLine) return;
    var n = characters(input.value.trim());
    var over = n > MAX_CHARS;
    countLine.hidden = n < MAX_CHARS - 500;
    countLine.classList.toggle("over", over);
    countLine.textContent = number(n) + " of " + number(MAX_CHARS) + " characters" +
      (over ? ": " + number(n - MAX_CHARS) + " too many to send. Shorten it, or send it in two parts." : "");
  }

  // The server confirmed a message: take the text that was sent out of the box if it
  // is still there, and keep anything typed after it.
  function takeSentText(raw) {
    if (!input || !raw) return;
    var value = input.value;
    if (value.slice(0, raw.length) !== raw) return; // edited since: leave it alone
    var caret = input.selectionStart;
    input.value = value.slice(raw.length).replace(/^[ \t]*\n?/, "");
    // The draft follows the box: what was sent leaves it, what is typed after stays.
    if (window.circlesDrafts) {
      if (input.value) input.dispatchEvent(new Event("input"));
      else window.circlesDrafts.clear(input);
    }
    var removed = value.length - input.value.length;
    if (document.activeElement === input) {
      var at = Math.max(0, caret - removed);
      input.setSelectionRange(at, at);
    }
    updateCount();
  }

  // The server sends the words to show (the removed text, also on the panel's
  // data-removed-text, or "Hidden while moderators review it"): the real reason
  // goes to the author alone.
  function tombstoneText(reason) {
    return reason || panel.dataset.removedText;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // --- one message: the server's own markup (circles/chat_html.py) --------------
  // A live frame's `html` is drawn for every reader at once: keep the controls that
  // fit this reader (data-only), put in the page's CSRF token, collapse words that
  // raised `danger` and fold away the words of someone this reader ignores, as the
  // page does.
  var canReact = panel.dataset.canReact === "1";
  var sensitiveTemplate = document.getElementById("sensitive-template");
  var ignoredTemplate = document.getElementById("ignored-template");

  function fits(token, m) {
    var own = m.author_id === me;
    switch (token) {
      case "author": return own;
      case "others": return !own;
      case "keeper": return keeper;
      case "holder": return careAuthors.has(m.author_id);
      case "reactor": return canReact;
      case "onlooker": return !canReact;
      default: return false;
    }
  }

  function personalise(li, m) {
    Array.prototype.forEach.call(li.querySelectorAll("[data-only]"), function (node) {
      var keep = node.dataset.only.split(" ").every(function (token) { return fits(token, m); });
      if (keep) node.removeAttribute("data-only"); else node.remove();
    });
    Array.prototype.forEach.call(li.querySelectorAll('form[method="post"]'), function (f) {
      var token = f.querySelector("input[name=csrfmiddlewaretoken]");
      if (!token) {
        token = el("input");
        token.type = "hidden";
        token.name = "csrfmiddlewaretoken";
        f.insertBefore(token, f.firstChild);
      }
      token.value = csrfToken();
    });
    var body = li.querySelector(":scope > .chat-body");
    var own = m.author_id === me;
    if (body && m.sensitive && !own && !keeper && sensitiveTemplate) {
      var collapsed = sensitiveTemplate.content.firstElementChild.cloneNode(true);
      collapsed.querySelector(".sensitive-body").innerHTML = body.innerHTML;
      body.replaceWith(collapsed);
    } else if (body && !own && ignored.has(m.author_id) && ignoredTemplate) {
      // Nothing but "show": no reactions, save, flag or remove.
      var folded = ignoredTemplate.content.firstElementChild.cloneNode(true);
      folded.querySelector(".ignored-name").textContent = m.author;
      folded.querySelector(".chat-body").innerHTML = body.innerHTML;
      body.replaceWith(folded);
      var controls = li.querySelector(".chat-controls");
      if (controls) controls.remove();
    }
    if (window.circlesTime) {
      Array.prototype.forEach.call(li.querySelectorAll("time[datetime]"), function (t) { window.circlesTime.format(t); });
    }
  }

  function build(m) {
    var holder = document.createElement("template");
    holder.innerHTML = m.html || "";
    var li = holder.content.firstElementChild;
    if (!li || li.tagName !== "LI") { // never expected: the server always sends it
      li = el("li", "chat-msg chat-msg-removed");
      li.dataset.messageId = m.id;
      li.dataset.seq = m.seq;
      li.appendChild(el("p", "chat-tombstone", tombstoneText(m.reason)));
      return li;
    }
    personalise(li, m);
    return li;
  }

  // Removed (or moved out of view) after it was shown: the neutral words in its place.
  function tombstone(li, reason) {
    var hadFocus = li.contains(document.activeElement);
    li.textContent = "";
    li.className = "chat-msg chat-msg-removed";
    li.dataset.reactable = "0";
    li.appendChild(el("p", "chat-tombstone", tombstoneText(reason)));
    if (hadFocus) log.focus({ preventScroll: true }); // the control that had it is gone
  }

  function replace(old, m) {
    var hadFocus = old.contains(document.activeElement);
    var li = build(m);
    old.replaceWith(li);
    if (hadFocus) log.focus({ preventScroll: true });
    return li;
  }

  // --- what a screen reader hears: "Author: words", never the buttons ---------------
  var announcer = document.getElementById("chat-announce");

  function announce(li, m) {
    if (!announcer || m.removed || m.author_id === me || ignored.has(m.author_id)) return;
    var note = li.querySelector(".sensitive summary");
    var body = note || li.querySelector(".chat-body");
    var words = body ? body.textContent.replace(/\s+/g, " ").trim() : "";
    if (!words) return;
    announcer.appendChild(el("p", "", m.author + ": " + words));
    while (announcer.childNodes.length > 3) announcer.removeChild(announcer.firstChild);
  }

  // --- who is typing: gone when their message arrives, or after a quiet spell -------
  var typists = new Map(); // display name -> timer

  function showTypists() {
    var names = Array.from(typists.keys());
    typingLine.textContent = !names.length ? "" : names.length === 1 ? names[0] + " is typing…"
      : names.length === 2 ? names[0] + " and " + names[1] + " are typing…" : "Several people are typing…";
  }

  function typingStopped(name) {
    if (!typists.has(name)) return;
    clearTimeout(typists.get(name));
    typists.delete(name);
    showTypists();
  }

  function typingStarted(name) {
    clearTimeout(typists.get(name));
    typists.set(name, setTimeout(function () { typingStopped(name); }, 5000));
    showTypists();
  }

  // Returns the new element when the message was not on the page yet.
  function add(m) {
    var added = null;
    var existing = log.querySelector('li[data-message-id="' + m.id + '"]');
    if (existing) {
      if (m.removed && !existing.classList.contains("chat-msg-removed")) replace(existing, m);
    } else {
      var stick = nearBottom();
      added = build(m);
      var after = null;
      var items = log.querySelectorAll("li[data-seq]");
      for (var i = items.length - 1; i >= 0; i--) {
        if (parseInt(items[i].dataset.seq, 10) < m.seq) break;
        after = items[i];
      }
      log.insertBefore(added, after);
      if (emptyLine) emptyLine.hidden = true;
      if (stick) log.scrollTop = log.scrollHeight;
    }
    idBySeq.set(m.seq, m.id);
    lastId = Math.max(lastId, m.id);
    socket.seen("circle", m.id);
    while (idBySeq.has(contiguous + 1)) contiguous += 1;
    if (m.client_id && pending.has(m.client_id)) {
      var sent = pending.get(m.client_id);
      pending.delete(m.client_id);
      takeSentText(sent.raw);
      if (m.client_id === waitingFor) {
        waitingFor = null;
        showError("");
        setStatus("Sent.");
      }
    }
    return added;
  }

  function fillGaps() {
    var highest = idBySeq.size ? Math.max.apply(null, Array.from(idBySeq.keys())) : 0;
    if (highest > contiguous && Date.now() - historyAsked > 1000) {
      historyAsked = Date.now();
      send({ type: "chat.history", after: idBySeq.get(contiguous) || 0 });
    }
  }

  function send(frame) {
    return socket.send("circle", frame);
  }

  var handlers = {
    "chat.message": function (f) {
      if (f.message.author) typingStopped(f.message.author);
      var added = add(f.message);
      if (added) announce(added, f.message);
      fillGaps();
    },
    "chat.history": function (f) { f.messages.forEach(add); fillGaps(); },
    "chat.removed": function (f) {
      // Care moves words out of other members' view; their author keeps them.
      if (f.cared && String(f.author_id) === panel.dataset.me) return;
      var li = log.querySelector('li[data-message-id="' + f.id + '"]');
      if (li) tombstone(li, f.reason);
    },
    "chat.cared": function (f) {
      var li = log.querySelector('li[data-message-id="' + f.id + '"]');
      var meta = li && li.querySelector(".chat-meta");
      if (meta && !meta.querySelector(".cared-tag")) meta.appendChild(el("span", "tag cared-tag", "Moved out of other members' view"));
    },
    "chat.restored": function (f) {
      var li = log.querySelector('li[data-message-id="' + f.message.id + '"]');
      if (li) replace(li, f.message); else add(f.message);
    },
    presence: function (f) { presenceNames.textContent = f.members.length ? f.members.join(", ") : "just you"; },
    typing: function (f) { typingStarted(f.author); },
    "slow_mode.changed": function (f) {
      var line = document.getElementById("chat-slow-mode");
      document.getElementById("chat-slow-seconds").textContent = f.seconds;
      line.hidden = !f.seconds;
    },
    muted: function (f) {
      var until = f.until && window.circlesTime ? window.circlesTime.text(new Date(f.until), "exact") : f.until;
      showError(f.until ? "A moderator has muted you here until " + until + ". You can still read." : "You can chat again.");
    },
    crisis: function (f) { window.crisisCard.show(f); },
    error: function (f) {
      // A mute's end, when the server sends it as a moment, reads in the reader's zone.
      if (f.code === "muted" && f.until && window.circlesTime) {
        showError("You are muted in this circle until " + window.circlesTime.text(new Date(f.until), "exact") + ". You can still read.");
      } else {
        showError(f.detail);
      }
      if (f.code !== "unavailable" && waitingFor) {
        pending.delete(waitingFor); // not stored: the text stays in the box
        waitingFor = null;
        setStatus("Not sent. Your text is still in the box.");
      }
    }
  };

  // Its frames arrive as "circle:<type>" events.
  Object.keys(handlers).forEach(function (type) {
    document.addEventListener("circle:" + type, function (event) { handlers[type](event.detail); });
  });
  document.addEventListener("circle:open", function () {
    setStatus("Connected.");
    pending.forEach(function (sent, clientId) {
      send({ type: "chat.send", body: sent.body, client_id: clientId });
    });
  });
  document.addEventListener("circle:lost", function (event) {
    setStatus("Connection lost. Reconnecting in " + Math.ceil(event.detail.delay / 1000) + " s… Your unsent text is kept.");
  });
  document.addEventListener("circle:stopped", function (event) {
    event.preventDefault(); // said here, beside the chat
    if (event.detail.code === 4403) {
      // Also what "Log out everywhere" on another device looks like: not a ban.
      setStatus("Live chat has stopped on this page: you were logged out (for example by “Log out everywhere”) or your access to this circle changed. Reload the page to see where you stand.");
      if (form) form.hidden = true;
      return;
    }
    // Too many sockets open: reconnecting would only be refused again.
    setStatus("Chat is off here: this site is open in too many windows or tabs. Close some of them, then reload this page. Your unsent text is kept.");
  });

  // Remove (hosts and moderators): the reason is typed, never pre-filled. With this
  // script the form posts in place and the `chat.removed` frame takes the words off
  // every open page; without it the form posts and the page comes back.
  function removeError(f, text) {
    var list = f.querySelector(".errorlist");
    var reason = f.querySelector("textarea[name=reason]");
    if (!text) { if (list) list.remove(); reason.removeAttribute("aria-invalid"); return; }
    if (!list) {
      // Read out with the box, which takes focus and is described by it.
      list = el("ul", "errorlist");
      list.id = reason.id + "-error";
      reason.parentNode.insertBefore(list, reason);
    }
    list.textContent = "";
    list.appendChild(el("li", "", text));
    reason.setAttribute("aria-invalid", "true");
    reason.setAttribute("aria-describedby", list.id + " " + reason.id.replace("reason", "help"));
    reason.focus();
  }

  log.addEventListener("submit", function (event) {
    var f = event.target;
    if (!f.classList || !f.classList.contains("chat-remove-form")) return;
    event.preventDefault();
    var reason = f.querySelector("textarea[name=reason]");
    if (!reason.value.trim()) {
      removeError(f, "Give a reason: the author is told it privately. Nothing was removed.");
      return;
    }
    var button = f.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(f.action, {
      method: "POST", body: new FormData(f), credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    }).then(function (result) {
      button.disabled = false;
      if (!result.ok) {
        removeError(f, result.data.error || (result.status === 403 || result.status === 404
          ? "Not removed: only this circle's hosts and moderators can remove messages, and you are not one now. Reload the page to see where you stand."
          : "Not removed: something went wrong. Your reason is still in the box; try again, or use the moderation page."));
        return;
      }
      var li = f.closest("li[data-message-id]");
      if (li && !li.classList.contains("chat-msg-removed")) tombstone(li, panel.dataset.removedText);
      setStatus(result.data.message || "Removed.");
    }).catch(function () {
      button.disabled = false;
      removeError(f, "Not removed: the connection failed. Your reason is still in the box.");
    });
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Text already sent and still waiting for its confirmation is not sent twice:
      // only what was typed after it goes.
      var raw = input.value;
      var waiting = waitingFor && pending.get(waitingFor);
      var chained = waiting && raw.slice(0, waiting.raw.length) === waiting.raw ? waiting.raw.length : 0;
      if (chained) raw = raw.slice(chained).replace(/^[ \t]*\n?/, ""); // as takeSentText leaves it
      var body = raw.trim();
      if (!body) { if (!chained) showError("Write something before sending."); input.focus(); return; }
      var length = characters(body);
      if (length > MAX_CHARS) {
        updateCount();
        setStatus("");
        showError("Not sent: a message can have " + number(MAX_CHARS) + " characters and this one has " +
          number(length) + ". Nothing was cut; your text is still in the box.");
        input.focus();
        return;
      }
      showError("");
      var clientId = newClientId();
      pending.set(clientId, { body: body, raw: raw });
      waitingFor = clientId;
      setStatus(send({ type: "chat.send", body: body, client_id: clientId }) ? "Sending…" : "Will send when the connection is back.");
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener("input", function () {
      updateCount();
      var now = Date.now();
      if (now - lastTypingSent > 3000 && input.value.trim()) {
        lastTypingSent = now;
        send({ type: "typing" });
      }
    });
  }
  // The newest message in view: read once the page's other scripts have changed
  // it (the circle's tabs hide two panels), just before the first paint, so the
  // page is laid out once for it rather than forced to lay out here and again later.
  var bottom = function () { log.scrollTop = log.scrollHeight; };
  if (window.requestAnimationFrame) window.requestAnimationFrame(bottom); else bottom();
})();
