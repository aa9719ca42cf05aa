// Frames of the person's own socket (/ws/me/, opened by static/js/socket.js on every
// page while logged in): private messages arrive live on their conversation page, the "Messages" badge counts
// conversations with something new, and a crisis card is announced (role="alert")
// without taking focus from what is being typed. The server is the source of
// truth: a message stays in the box until the server confirms it (same client_id).
(function () {
  "use strict";
  if (!window.WebSocket || !window.circlesSocket) return;
  var log = document.getElementById("dm-log");
  var conversationId = log ? parseInt(log.dataset.conversation, 10) : 0;
  var me = log ? parseInt(log.dataset.me, 10) : 0;
  var form = document.getElementById("dm-form");
  var input = document.getElementById("dm-input");
  var errorLine = document.getElementById("dm-error");
  var statusLine = document.getElementById("dm-status");
  var live = document.getElementById("me-live");
  var badge = document.getElementById("dm-unread");
  var counted = new Set(); // conversations already added to the badge on this page
  var pending = new Map(); // client_id -> body, until the server confirms it
  var waitingFor = null;
  var lastId = 0;

  if (log) {
    Array.prototype.forEach.call(log.querySelectorAll("li[id^='dm-']"), function (li) {
      lastId = Math.max(lastId, parseInt(li.id.slice(3), 10) || 0);
    });
    window.circlesSocket.seen("me", lastId); // a conversation page catches up from here
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function setStatus(text) { if (statusLine) statusLine.textContent = text; }
  function showError(text) { if (errorLine) errorLine.textContent = text || ""; }
  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function send(frame) {
    return window.circlesSocket.send("me", frame);
  }

  function append(m) {
    lastId = Math.max(lastId, m.id);
    window.circlesSocket.seen("me", m.id);
    if (document.getElementById("dm-" + m.id)) return;
    var li = el("li", "dm-msg" + (m.author_id === me ? " mine" : ""));
    li.id = "dm-" + m.id;
    li.dataset.seq = m.seq;
    var meta = el("p", "chat-meta");
    meta.appendChild(el("span", "chat-author", m.author));
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", "", new Date(m.created).toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }));
    time.setAttribute("datetime", m.created);
    meta.appendChild(time);
    li.appendChild(meta);
    var body = el("div", "chat-body");
    body.innerHTML = m.body_html; // sanitised by the server when it was stored
    li.appendChild(body);
    if (m.author_id !== me) {
      var report = el("p", "meta");
      var link = el("a", "", "Report");
      link.href = location.pathname + "#dm-" + m.id;
      link.addEventListener("click", function () { location.reload(); });
      link.appendChild(el("span", "visually-hidden", " this message (reloads the page to show the form)"));
      report.appendChild(link);
      li.appendChild(report);
    }
    var after = null;
    var items = log.querySelectorAll("li[data-seq]");
    for (var i = items.length - 1; i >= 0; i--) {
      if (parseInt(items[i].dataset.seq, 10) < m.seq) break;
      after = items[i];
    }
    log.insertBefore(li, after);
    if (m.client_id && pending.has(m.client_id)) {
      pending.delete(m.client_id);
      if (m.client_id === waitingFor) {
        waitingFor = null;
        if (input) input.value = "";
        showError("");
        setStatus("Sent.");
      }
    }
  }

  function announce(frame) {
    window.circlesSocket.seen("me", frame.message.id);
    if (frame.message.author_id === me && log) return;
    if (badge && !counted.has(frame.conversation)) {
      counted.add(frame.conversation);
      badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1);
      badge.hidden = false;
    }
    if (!live) return;
    live.textContent = "";
    live.appendChild(document.createTextNode("New private message from " + frame.message.author + ". "));
    var link = el("a", "", "Open the conversation");
    link.href = withId(live.dataset.conversationUrl, frame.conversation);
    live.appendChild(link);
  }

  // A URL the page rendered by name for id 0 (data-*-url), made for `id`.
  function withId(url, id) {
    var at = url.lastIndexOf("/0/");
    return url.slice(0, at) + "/" + encodeURIComponent(id) + "/" + url.slice(at + 3);
  }

  var handlers = {
    "dm.message": function (f) {
      if (log && f.conversation === conversationId) {
        append(f.message);
        if (f.message.author_id !== me && !document.hidden) {
          send({ type: "dm.read", conversation: conversationId, id: f.message.id });
        }
      } else announce(f);
    },
    "dm.history": function (f) {
      if (log && f.conversation === conversationId) f.messages.forEach(append);
    },
    "dm.closed": function (f) {
      if (!log || f.conversation !== conversationId) return;
      var note = document.getElementById("dm-closed");
      if (note) {
        note.textContent = (f.by || "Someone") + " closed this conversation. You can both still read it; no more messages can be sent in it.";
        note.hidden = false;
      }
      if (form) form.hidden = true;
    },
    "notification.created": function () {
      // Notifications arrive here only, never on a circle socket.
      var count = document.getElementById("notification-count");
      if (count) {
        count.textContent = String((parseInt(count.textContent, 10) || 0) + 1);
        count.hidden = false;
      }
    },
    crisis: function (f) { window.crisisCard.show(f); },
    error: function (f) {
      showError(f.detail);
      if (f.code !== "unavailable" && waitingFor) {
        pending.delete(waitingFor); // not stored: the text stays in the box
        waitingFor = null;
        setStatus("Not sent. Your text is still in the box.");
      }
      if (f.code === "closed" && form) form.hidden = true;
    }
  };

  Object.keys(handlers).forEach(function (type) {
    document.addEventListener("me:" + type, function (event) { handlers[type](event.detail); });
  });
  document.addEventListener("me:open", function () {
    if (log) setStatus("");
    pending.forEach(function (body, clientId) {
      send({ type: "dm.send", conversation: conversationId, body: body, client_id: clientId });
    });
  });
  document.addEventListener("me:lost", function () {
    if (log && pending.size) setStatus("Connection lost. Reconnecting… Your unsent text is kept.");
  });

  if (form && input) {
    form.addEventListener("submit", function (event) {
      if (!window.circlesSocket.isOpen("me")) return; // a plain form post
      event.preventDefault();
      var body = input.value.trim();
      if (!body) { showError("Write something before sending."); input.focus(); return; }
      if (body.length > 4000) { showError("A message can have 4,000 characters; this one has " + body.length + "."); return; }
      showError("");
      var clientId = newClientId();
      pending.set(clientId, body);
      waitingFor = clientId;
      setStatus(send({ type: "dm.send", conversation: conversationId, body: body, client_id: clientId }) ? "Sending…" : "Will send when the connection is back.");
    });
  }
})();
