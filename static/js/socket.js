// The page's sockets, one of each kind: an element with `data-socket="<name>"` and
// `data-socket-url` (rendered by the server from its routes) declares one; the first
// element of a name wins, so a page holds one circle socket and one /ws/me/.
//
// Every frame is dispatched on `document` as a CustomEvent named "<name>:<type>"
// (e.g. "circle:chat.message", "me:dm.message") with the frame as `detail`, so any
// script on the page can listen. Around the frames: "<name>:open" (detail
// {reconnected}), "<name>:lost" (detail {delay}) and "<name>:stopped" (detail
// {code, sentence}; cancelable: a script that shows the sentence itself calls
// preventDefault, otherwise it is shown in #socket-status).
//
// Reconnects back off (0.5 s doubling to 30 s, with jitter) and ask `?after=<last id>`
// so nothing is missed: scripts tell the last item they hold with `seen(name, id)`.
// Closed with 4403 (no access, or the session ended) or 4429 (too many sockets open)
// it stops: reconnecting would only be refused again. Closed with 1013 (live updates
// are down on the server: Redis) it says so in #socket-status and keeps retrying
// with the same backoff; the line goes once a socket opens again.
//
// API: window.circlesSocket.send(name, frame) -> true when sent; .seen(name, id);
// .isOpen(name).
(function () {
  "use strict";
  var STOP = {
    4403: "Live updates have stopped on this page: you are logged out or no longer have access here. Reload the page to carry on.",
    4429: "Live updates are off on this page: this site is open in too many windows or tabs. Close some of them, then reload this page."
  };
  var TRY_AGAIN_LATER = 1013;
  var LIVE_DOWN = "Live updates are down for a moment. This page still works; it will reconnect by itself and catch you up.";
  var sockets = {}; // name -> state

  function state(name) {
    if (!sockets[name]) sockets[name] = { name: name, url: null, after: null, ws: null, attempts: 0, stopped: false, opened: false, lastError: null };
    return sockets[name];
  }

  function emit(type, detail, cancelable) {
    var event = new CustomEvent(type, { detail: detail, cancelable: !!cancelable });
    document.dispatchEvent(event);
    return event;
  }

  function address(s) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + location.host + s.url;
    if (s.after !== null) url += (url.indexOf("?") === -1 ? "?" : "&") + "after=" + s.after;
    return url;
  }

  function showStopped(sentence) {
    var line = document.getElementById("socket-status");
    if (!line) return;
    line.textContent = sentence;
    line.hidden = false;
    line.dataset.liveDown = sentence === LIVE_DOWN ? "1" : "";
  }

  function clearLiveDown() {
    var line = document.getElementById("socket-status");
    if (!line || line.dataset.liveDown !== "1") return;
    line.textContent = "";
    line.hidden = true;
    line.dataset.liveDown = "";
  }

  function connect(s) {
    if (s.stopped) return;
    var ws = new WebSocket(address(s));
    s.ws = ws;
    ws.onopen = function () {
      s.attempts = 0;
      // A socket closed for 1013 opens first: the line goes (and the backoff
      // restarts) only once one stays open.
      setTimeout(function () {
        if (s.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
        s.down = 0;
        clearLiveDown();
      }, 2000);
      emit(s.name + ":open", { reconnected: s.opened });
      s.opened = true;
    };
    ws.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (!frame || typeof frame.type !== "string") return;
      if (frame.type === "error") s.lastError = frame;
      emit(s.name + ":" + frame.type, frame);
    };
    ws.onclose = function (event) {
      if (s.ws === ws) s.ws = null;
      if (STOP[event.code]) {
        s.stopped = true;
        var told = s.lastError && s.lastError.code === "too_many_sockets" && event.code === 4429;
        var sentence = told ? s.lastError.detail : STOP[event.code];
        var stopped = emit(s.name + ":stopped", { code: event.code, sentence: sentence }, true);
        if (!stopped.defaultPrevented) showStopped(sentence);
        return;
      }
      if (event.code === TRY_AGAIN_LATER) {
        s.down = (s.down || 0) + 1;
        showStopped(LIVE_DOWN);
      }
      var tries = Math.max(s.attempts, s.down || 0);
      var delay = Math.min(30000, 500 * Math.pow(2, tries)) * (0.7 + Math.random() * 0.6);
      s.attempts += 1;
      emit(s.name + ":lost", { delay: delay });
      setTimeout(function () { connect(s); }, delay);
    };
  }

  window.circlesSocket = {
    send: function (name, frame) {
      var s = sockets[name];
      if (s && s.ws && s.ws.readyState === WebSocket.OPEN) {
        s.ws.send(JSON.stringify(frame));
        return true;
      }
      return false;
    },
    seen: function (name, id) {
      var s = state(name);
      var n = parseInt(id, 10);
      if (!isNaN(n) && n >= 0 && (s.after === null || n > s.after)) s.after = n;
    },
    isOpen: function (name) {
      var s = sockets[name];
      return !!(s && s.ws && s.ws.readyState === WebSocket.OPEN);
    }
  };

  // Page scripts (all deferred, like this one) register their listeners and tell
  // what they hold first; the sockets open once the page has loaded, so their
  // handshakes and first frames (catch-up, presence) come after the page's own
  // loading and first paint instead of competing with them. Nothing is missed:
  // each socket asks for what came after the last item the page holds.
  function openAll() {
    if (!window.WebSocket) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-socket][data-socket-url]"), function (el) {
      var s = state(el.dataset.socket);
      if (s.url) return; // one socket of each kind
      s.url = el.dataset.socketUrl;
      connect(s);
    });
  }
  if (document.readyState === "complete") openAll();
  else window.addEventListener("load", openAll);
})();
