// Live updates on a thread page: a new reply appears under its parent without a
// reload (`post.created`), an edit is shown (`post.edited`), a removed or deleted one
// is replaced by the same words a reload shows (`post.removed`), and the count and
// an ask's waiting state follow. The server sends ids only; posts and the thread's
// meta line are fetched as rendered HTML, with the same permission checks as the page.
// "Show more" loads the next part of a long thread in place, keeping the nesting.
(function () {
  "use strict";
  var root = document.getElementById("thread");
  if (!root) return;
  var slug = root.dataset.slug;
  var threadId = parseInt(root.dataset.thread, 10);
  var live = document.getElementById("thread-live");
  // URLs rendered by name (data-*-url); a post's is made from the one for id 0.
  function fragmentUrl(postId) {
    var url = root.dataset.fragmentUrl;
    var at = url.lastIndexOf("/0/");
    return url.slice(0, at) + "/" + encodeURIComponent(postId) + "/" + url.slice(at + 3);
  }

  // A link to #post-<id> that this part of a long thread does not hold: ask the
  // server for the part that does.
  var wanted = /^#post-(\d+)$/.exec(location.hash);
  if (wanted && !document.getElementById("post-" + wanted[1]) && !/[?&]post=/.test(location.search)) {
    location.replace(location.pathname + "?post=" + wanted[1] + location.hash);
    return;
  }

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; });
  }

  function parse(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html; // our own server's rendering of stored, sanitised HTML
    return holder;
  }

  function refreshMeta() {
    fetchHtml(root.dataset.metaUrl).then(function (html) {
      if (!html) return;
      var fresh = parse(html).querySelector("#thread-meta");
      var old = document.getElementById("thread-meta");
      if (fresh && old) old.replaceWith(fresh);
    }).catch(function () {});
  }

  // A post's own parts are its children other than the replies nested in it (and
  // the page's one reply form or menu, when thread_controls.js put them there).
  function ownParts(post) {
    return Array.prototype.filter.call(post.children, function (child) {
      return !child.matches("article.post, #reply, #post-menu");
    });
  }

  // The name a post is shown under: the text its header starts with.
  function nameOf(post) {
    var header = post.querySelector(":scope > header");
    var first = header && header.firstChild;
    return first && first.nodeType === 3 ? first.nodeValue.trim() : "";
  }
  window.circlesThread = { nameOf: nameOf };

  // Where a post goes: at the end of its parent's element (replies nest inside
  // it), or, past the deepest level, beside its parent after the parent's own
  // flattened replies.
  function place(post, parentId) {
    var parent = parentId && document.getElementById("post-" + parentId);
    if (parent && post.classList.contains("depth-capped")) {
      var ids = {};
      ids[parentId] = true;
      var next = parent.nextElementSibling;
      while (next && next.dataset && ids[next.dataset.parent]) {
        ids[next.id.slice(5)] = true;
        next = next.nextElementSibling;
      }
      parent.parentNode.insertBefore(post, next);
      return;
    }
    (parent || document.querySelector(".post-tree > article.post") || document.querySelector(".post-tree")).appendChild(post);
  }

  function insert(postId, parentId) {
    if (document.getElementById("post-" + postId)) return;
    fetchHtml(fragmentUrl(postId)).then(function (html) {
      if (!html || document.getElementById("post-" + postId)) return;
      var post = parse(html).querySelector("article.post");
      if (!post) return;
      place(post, parentId);
      if (window.circlesTime) window.circlesTime.formatAll(post); // the site's one time format
      var author = nameOf(post);
      live.textContent = "New reply" + (author ? " from " + author : "") + ".";
      refreshMeta();
    }).catch(function () { /* the next reconnect or a reload shows it */ });
  }

  function edited(postId) {
    var old = document.getElementById("post-" + postId);
    if (!old) return;
    fetchHtml(fragmentUrl(postId)).then(function (html) {
      var fresh = html && parse(html).querySelector("article.post");
      if (!fresh) return;
      var stay = Array.prototype.find.call(old.children, function (child) {
        return child.matches("article.post, #reply, #post-menu");
      }) || null;
      ownParts(old).forEach(function (child) { child.remove(); });
      ownParts(fresh).forEach(function (child) { old.insertBefore(child, stay); });
      old.className = fresh.className;
    }).catch(function () {});
  }

  function remove(postId, reason) {
    var post = document.getElementById("post-" + postId);
    if (!post) return;
    var deleted = /^Deleted/.test(reason || "");
    var header = post.querySelector(":scope > header");
    if (deleted && header && header.firstChild && header.firstChild.nodeType === 3) {
      header.firstChild.nodeValue = "A reply "; // as a reload shows it: never the name
      Array.prototype.forEach.call(header.querySelectorAll(".tag"), function (tag) {
        if (tag.textContent === "edited") tag.remove();
      });
    }
    // The words, their reactions and the post's links go; its header and the
    // replies to it stay.
    ownParts(post).forEach(function (child) { if (child !== header) child.remove(); });
    document.dispatchEvent(new CustomEvent("thread:post-closed", { detail: { id: postId } }));
    var p = document.createElement("p");
    p.className = "tombstone";
    p.textContent = /^(Hidden|Held|Deleted|Removed)/.test(reason || "") ? reason.replace(/\.?$/, ".") : root.dataset.removedText;
    if (header) header.insertAdjacentElement("afterend", p); else post.prepend(p);
  }

  function showMore(link) {
    link.setAttribute("aria-busy", "true");
    fetchHtml(link.dataset.fragment).then(function (html) {
      if (!html) { location.href = link.href; return; }
      var holder = parse(html);
      var part = holder.querySelector(".thread-part");
      var first = null;
      Array.prototype.slice.call(part ? part.children : []).forEach(function (post) {
        if (document.getElementById(post.id)) return;
        var holder = document.getElementById("post-" + post.dataset.in);
        if (!holder) return;
        holder.appendChild(post);
        first = first || post;
      });
      var wrap = link.closest(".show-more-wrap");
      var next = holder.querySelector(".show-more-wrap");
      if (next) wrap.replaceWith(next); else wrap.remove();
      if (first) {
        var name = nameOf(first);
        first.setAttribute("tabindex", "-1");
        first.focus();
        live.textContent = "More replies shown" + (name ? ", from " + name : "") + ".";
      }
    }).catch(function () { location.href = link.href; });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.show-more");
    if (!link || !link.dataset.fragment) return;
    event.preventDefault();
    showMore(link);
  });

  // Frames of the page's one circle socket (static/js/socket.js).
  function ofThisThread(handler) {
    return function (event) { if (event.detail.thread === threadId) handler(event.detail); };
  }
  document.addEventListener("circle:post.created", ofThisThread(function (f) { insert(f.id, f.parent); }));
  document.addEventListener("circle:post.edited", ofThisThread(function (f) { edited(f.id); }));
  document.addEventListener("circle:post.restored", ofThisThread(function (f) { edited(f.id); }));
  document.addEventListener("circle:post.removed", ofThisThread(function (f) { remove(f.id, f.reason); refreshMeta(); }));
})();
