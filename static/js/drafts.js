// Drafts: any textarea with data-draft-key keeps its unsent text in this browser,
// per person (the key starts with the user id from this script's data-user-id) and
// per thread, post or circle; it says so, restores the text on load, and forgets it
// once the text is sent. Logging out (or deleting the account) clears every draft
// kept on this device, so a shared computer keeps nothing. A box that moves (the
// thread page's one reply form, under the post it answers) changes key with
// `circlesDrafts.rekey`: its words go with it unless the new place has a draft.
(function () {
  "use strict";
  var PREFIX = "circles-draft:";
  var SENT = "circles-draft-sent:";
  var script = document.currentScript;
  var userId = (script && script.dataset.userId) || "";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function session() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function fullKey(key) { return PREFIX + userId + ":" + key; }

  // A send counts as done only on the very next page, within two minutes.
  function fresh(stamp) { return Date.now() - parseInt(stamp || "0", 10) < 120000; }

  function keyOf(target) {
    if (typeof target === "string") return target;
    return target && target.dataset ? target.dataset.draftKey : "";
  }

  function note(box, text) {
    var id = box.id ? box.id + "-draft" : "";
    var line = box.draftNote;
    if (!line) {
      line = document.createElement("p");
      line.className = "draft-note help";
      line.setAttribute("aria-live", "polite");
      if (id) line.id = id;
      box.insertAdjacentElement("afterend", line);
      box.draftNote = line;
    }
    line.textContent = text;
  }

  // A draft restored inside a closed <details> (a post's "Reply") is not left
  // unseen: the details open, and its summary says a draft is there.
  function showInside(box) {
    var details = box.closest && box.closest("details");
    if (!details) return;
    details.open = true;
    var summary = details.querySelector("summary");
    if (summary && !summary.querySelector(".draft-flag")) {
      var flag = document.createElement("span");
      flag.className = "draft-flag";
      flag.textContent = " · You have an unsent draft here";
      summary.appendChild(flag);
    }
  }

  function clear(target) {
    var key = keyOf(target);
    var s = store();
    if (!key || !s) return;
    s.removeItem(fullKey(key));
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-draft-key]"), function (box) {
      if (box.dataset.draftKey !== key) return;
      if (box.draftNote) box.draftNote.textContent = "";
      var details = box.closest && box.closest("details");
      var flag = details && details.querySelector("summary .draft-flag");
      if (flag) flag.remove();
    });
  }

  function clearAll() {
    var s = store();
    if (s) {
      for (var i = s.length - 1; i >= 0; i--) {
        var k = s.key(i);
        if (k && k.indexOf(PREFIX) === 0) s.removeItem(k);
      }
    }
    var ss = session();
    if (ss) {
      for (var j = ss.length - 1; j >= 0; j--) {
        var sk = ss.key(j);
        if (sk && sk.indexOf(SENT) === 0) ss.removeItem(sk);
      }
    }
  }

  function save(box) {
    var s = store();
    var key = box.dataset.draftKey;
    if (!s || !key) return;
    if (box.value.trim()) {
      try {
        s.setItem(fullKey(key), box.value);
        note(box, "Draft saved on this device.");
      } catch (e) {
        note(box, "This device could not keep a draft; your text is still in the box.");
      }
    } else {
      s.removeItem(fullKey(key));
      note(box, "");
    }
  }

  function attach(box) {
    if (box.draftReady || !userId) return;
    box.draftReady = true;
    var key = box.dataset.draftKey;
    var s = store();
    if (!key || !s) return;
    var kept = s.getItem(fullKey(key));
    var ss = session();
    var sent = ss && ss.getItem(SENT + userId + ":" + key);
    if (sent && ss) {
      ss.removeItem(SENT + userId + ":" + key);
      // Sent just now: the server took it unless it handed the text back.
      if (fresh(sent) && !box.defaultValue.trim()) { s.removeItem(fullKey(key)); kept = null; }
    }
    if (kept && !box.value.trim()) {
      box.value = kept;
      note(box, "Draft restored from this device.");
      showInside(box);
    }
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save(box); }, 300);
    });
    box.draftFlush = function () { clearTimeout(timer); save(box); };
    var form = box.form;
    if (form && form.method && form.method.toLowerCase() === "post") {
      form.addEventListener("submit", function () {
        if (ss) ss.setItem(SENT + userId + ":" + box.dataset.draftKey, String(Date.now()));
      });
    }
  }

  // The box now stands for `key`: what it holds goes with it unless `key` has a
  // draft of its own, which is shown instead (the old one stays kept), or unless
  // `stay` says the words stay kept where they were written.
  function rekey(box, key, stay) {
    var s = store();
    var old = box.dataset.draftKey;
    if (!old || old === key) return;
    if (box.draftFlush) box.draftFlush();
    var kept = s && userId ? s.getItem(fullKey(key)) : null;
    box.dataset.draftKey = key;
    if (box.value.trim() && !kept && !stay) {
      if (s && userId) s.removeItem(fullKey(old));
      save(box);
      return;
    }
    box.value = kept || "";
    note(box, kept ? "Draft restored from this device." : "");
  }

  // Keys (without the person's prefix) of the drafts kept here that start with
  // `prefix`.
  function keptKeys(prefix) {
    var s = store(), found = [];
    if (!s || !userId) return found;
    var mine = fullKey(prefix);
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(mine) === 0 && (s.getItem(k) || "").trim()) found.push(k.slice(fullKey("").length));
    }
    return found;
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-draft-key]"), attach);
    // The page a successful send leads to may not hold the box at all (a new
    // thread's page): its pending "sent" marks clear those drafts.
    var ss = session(), s = store();
    if (!ss || !s) return;
    for (var i = ss.length - 1; i >= 0; i--) {
      var k = ss.key(i);
      if (!k || k.indexOf(SENT + userId + ":") !== 0) continue;
      var key = k.slice((SENT + userId + ":").length);
      if (!document.querySelector('textarea[data-draft-key="' + CSS.escape(key) + '"]')) {
        if (fresh(ss.getItem(k))) s.removeItem(fullKey(key));
        ss.removeItem(k);
      }
    }
  }

  document.addEventListener("submit", function (event) {
    var action = (event.target.getAttribute && event.target.getAttribute("action")) || "";
    if (/\/accounts\/(logout|logout-everywhere|delete)\/$/.test(action) || event.target.hasAttribute("data-clear-drafts")) clearAll();
  }, true);

  window.circlesDrafts = { clear: clear, clearAll: clearAll, rekey: rekey, kept: keptKeys };
  if (userId) scan();
})();
