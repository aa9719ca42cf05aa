// Live updates on a thread page: a new reply appears under its parent without a
// reload (`post.created`), a removed one is replaced by its reason (`post.removed`).
// The server sends ids only; the post itself is fetched as rendered HTML, with the
// same permission checks as the page.
(function () {
  "use strict";
  var root = document.getElementById("thread");
  if (!root) return;
  var slug = root.dataset.slug;
  var threadId = parseInt(root.dataset.thread, 10);
  var live = document.getElementById("thread-live");
  var attempts = 0;

  function insert(postId, parentId) {
    if (document.getElementById("post-" + postId)) return;
    fetch("/circles/" + encodeURIComponent(slug) + "/posts/" + postId + "/fragment/", {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) return null;
      return response.text();
    }).then(function (html) {
      if (!html || document.getElementById("post-" + postId)) return;
      var holder = document.createElement("div");
      holder.innerHTML = html; // our own server's rendering of stored, sanitised HTML
      var post = holder.querySelector("article.post");
      if (!post) return;
      var list = parentId && document.querySelector('[data-replies-of="' + parentId + '"]');
      if (!list) list = document.querySelector(".post-tree .replies") || document.querySelector(".post-tree");
      list.appendChild(post);
      if (window.circlesTime) window.circlesTime.formatAll(post); // the site's one time format
      var author = post.querySelector(".post-author");
      live.textContent = "New reply" + (author ? " from " + author.textContent : "") + ".";
    }).catch(function () { /* the next reconnect or a reload shows it */ });
  }

  function remove(postId, reason) {
    var post = document.getElementById("post-" + postId);
    if (!post) return;
    var body = post.querySelector(":scope > .post-body");
    if (body) {
      body.textContent = "";
      var p = document.createElement("p");
      p.className = "tombstone";
      p.textContent = /^(Hidden|Held|Deleted)/.test(reason || "") ? reason : "Removed by a moderator" + (reason ? ": " + reason : "");
      body.appendChild(p);
    }
    var actions = post.querySelector(":scope > .post-actions");
    if (actions) actions.remove();
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/circles/" + encodeURIComponent(slug) + "/");
    socket.onopen = function () { attempts = 0; };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "post.created" && frame.thread === threadId) insert(frame.id, frame.parent);
      if (frame.type === "post.removed" && frame.thread === threadId) remove(frame.id, frame.reason);
      if (frame.type === "notification.created") {
        var badge = document.getElementById("notification-count");
        if (badge) { badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1); badge.hidden = false; }
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4403) return;
      var delay = Math.min(30000, 500 * Math.pow(2, attempts)) * (0.7 + Math.random() * 0.6);
      attempts += 1;
      setTimeout(connect, delay);
    };
  }
  connect();
})();
