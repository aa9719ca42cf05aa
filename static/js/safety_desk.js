// The safety desk, live: a `safety.alert` (sent to a circle's hosts and moderators
// only) shows a banner they can act on, and an open queue re-fetches its cases.
// Frames arrive from whichever socket the page has (the circle's, or /ws/me/),
// so one banner per case, replaced when its level rises.
(function () {
  "use strict";
  var LEVELS = { danger: "may be in danger", unsafe: "may not be safe where they are", concern: "may be struggling" };

  function banner(f) {
    var id = "safety-alert-" + f["case"];
    var old = document.getElementById(id);
    if (old && old.dataset.level === f.level) return;
    if (old) old.remove();
    var box = document.createElement("section");
    box.id = id;
    box.className = "safety-alert level-" + f.level;
    box.dataset.safetyAlert = String(f["case"]);
    box.dataset.level = f.level;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "Safety alert");
    var p = document.createElement("p");
    p.textContent = f.name + " " + (LEVELS[f.level] || "may need someone") + ". Their case is in the safety queue.";
    box.appendChild(p);
    var link = document.createElement("a");
    link.href = f.url;
    link.textContent = "Open the safety queue";
    box.appendChild(link);
    var form = document.createElement("form");
    form.method = "post";
    form.action = f.pick_up;
    form.className = "inline-form";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    var any = document.querySelector("input[name='csrfmiddlewaretoken']");
    token.value = any ? any.value : "";
    form.appendChild(token);
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Pick up " + f.name + "'s case";
    form.appendChild(button);
    if (f.pick_up) box.appendChild(form);
    var main = document.querySelector("main") || document.body;
    main.insertBefore(box, main.firstChild);
  }

  function refreshQueue() {
    var section = document.getElementById("safety");
    if (!section || !section.dataset.fragment) return;
    fetch(section.dataset.fragment, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#safety");
        if (fresh) section.replaceWith(fresh);
      });
  }

  function onFrame(frame) {
    if (!frame || frame.type !== "safety.alert") return;
    banner(frame);
    refreshQueue();
  }
  // static/js/socket.js dispatches each frame as "<socket>:<type>".
  ["circle:safety.alert", "me:safety.alert"].forEach(function (name) {
    document.addEventListener(name, function (e) { onFrame(e.detail); });
  });
})();
