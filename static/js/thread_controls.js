// A thread page's controls, one of each for the page rather than one per post:
// - Reply: the page's one reply form (#reply, at the end: "Reply to the thread")
//   moves under the post whose Reply link was pressed, says whom it answers, and
//   takes focus; Cancel puts it back and returns focus to that link. Without this
//   script each Reply link opens the post's reply page instead.
// - More: the post's menu (reactions, save, flag, edit, delete, remove), the
//   server's own markup fetched when opened, shown under the post; Escape or More
//   again closes it and returns focus. Without this script More opens the post's
//   actions page.
// - Drafts kept on this device for a reply to a post: the form opens under the
//   first such post, with the draft in it, and every post holding one says so on
//   its Reply link.
// - Each post's line of reaction counts follows toggles and `reaction.changed`.
(function () {
  "use strict";
  var root = document.getElementById("thread");
  if (!root) return;
  var threadId = root.dataset.thread;
  var labels = {};
  try { labels = JSON.parse(root.dataset.reactionLabels || "{}"); } catch (e) { labels = {}; }

  function nameOf(post) {
    return window.circlesThread ? window.circlesThread.nameOf(post) : "";
  }

  function urlFor(pattern, id) { // a URL rendered by name for id 0
    var at = pattern.lastIndexOf("/0/");
    return pattern.slice(0, at) + "/" + encodeURIComponent(id) + "/" + pattern.slice(at + 3);
  }

  function postOf(node) { return node && node.closest && node.closest("article.post"); }
  function idOf(post) { return post.id.slice("post-".length); }

  // Where the form or the menu goes in a post: after its own parts, before the
  // replies nested in it.
  function slot(post, node, after) {
    var replies = post.querySelector(":scope > article.post");
    post.insertBefore(node, after && after.parentNode === post ? after.nextSibling : replies);
  }

  // --- the one reply form ------------------------------------------------------
  var section = document.getElementById("reply");
  var form = section && section.querySelector("form");
  var parentInput = form && form.querySelector('input[name="parent"]');
  var box = form && form.querySelector("textarea[name=body]");
  var heading = document.getElementById("reply-h");
  var cancel = form && form.querySelector("[data-reply-cancel]");
  var home = null, opener = null;
  var threadKey = "reply-" + threadId;

  function keyFor(id) { return id ? threadKey + "-" + id : threadKey; }

  function moveTo(post, options) {
    options = options || {};
    var focused = document.activeElement;
    var hadFocus = focused && section.contains(focused);
    opener = post.querySelector(":scope > .post-reply");
    slot(post, section, post.querySelector(":scope > #post-menu"));
    section.classList.add("moved");
    parentInput.value = idOf(post);
    heading.textContent = "Reply to " + (nameOf(post) || "this post");
    cancel.hidden = false;
    if (window.circlesDrafts && box.dataset.draftKey) window.circlesDrafts.rekey(box, keyFor(idOf(post)));
    if (options.focus !== false) box.focus();
    else if (hadFocus) focused.focus(); // moving an element drops its focus
  }

  function moveHome() {
    home.parentNode.insertBefore(section, home.nextSibling);
    section.classList.remove("moved");
    parentInput.value = "";
    heading.textContent = "Reply to the thread";
    cancel.hidden = true;
    // The words written for that post stay kept for it (its Reply link says so).
    if (window.circlesDrafts && box.dataset.draftKey) window.circlesDrafts.rekey(box, threadKey, true);
    markDrafts();
    var back = opener;
    opener = null;
    if (back && document.contains(back)) back.focus(); else box.focus();
  }

  function markDrafts() {
    if (!window.circlesDrafts) return [];
    var posts = [];
    window.circlesDrafts.kept(threadKey + "-").forEach(function (key) {
      var post = document.getElementById("post-" + key.slice(threadKey.length + 1));
      var link = post && post.querySelector(":scope > .post-reply");
      if (!link) return;
      if (!link.querySelector(".draft-flag")) {
        var flag = document.createElement("span");
        flag.className = "draft-flag";
        flag.textContent = " · You have an unsent draft here";
        link.appendChild(flag);
      }
      posts.push(post);
    });
    return posts;
  }

  if (section && form && parentInput && box && heading && cancel) {
    home = document.createComment("the reply form's place");
    section.parentNode.insertBefore(home, section);
    var asked = parentInput.value && document.getElementById("post-" + parentInput.value);
    var withDrafts = markDrafts();
    if (asked) {
      moveTo(asked, { focus: false }); // a refused reply to a post: back under it
    } else if (!box.value.trim() && withDrafts.length) {
      // A draft is never left out of sight: the form opens where it was written.
      withDrafts.sort(function (a, b) {
        return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      });
      moveTo(withDrafts[0], { focus: false });
    }
    cancel.addEventListener("click", moveHome);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.post-reply");
      if (!link || event.defaultPrevented || event.button || event.metaKey || event.ctrlKey || event.shiftKey) return;
      var post = postOf(link);
      if (!post) return;
      event.preventDefault();
      if (section.parentNode === post) { box.focus(); return; }
      moveTo(post);
    });
    form.addEventListener("submit", function () {
      var flag = opener && opener.querySelector(".draft-flag");
      if (flag) flag.remove();
    });
    // A post that is deleted or removed while the form is under it: back home.
    document.addEventListener("thread:post-closed", function (event) {
      if (section.parentNode && section.parentNode.id === "post-" + event.detail.id) moveHome();
    });
  }

  // --- the post's menu ---------------------------------------------------------
  var menu = null, menuOpener = null;

  function closeMenu(returnFocus) {
    if (!menu) return;
    menu.remove();
    menu = null;
    if (menuOpener) {
      menuOpener.setAttribute("aria-expanded", "false");
      if (returnFocus) menuOpener.focus();
    }
    menuOpener = null;
  }

  function openMenu(link) {
    var post = postOf(link);
    if (!post) return;
    var same = menuOpener === link;
    closeMenu(same);
    if (same) return; // More again closes it
    menuOpener = link;
    menu = document.createElement("div");
    menu.id = "post-menu";
    menu.className = "post-menu";
    menu.setAttribute("role", "group");
    menu.setAttribute("aria-label", "What you can do with the post by " + (nameOf(post) || "a member"));
    menu.setAttribute("aria-busy", "true");
    menu.textContent = "Opening…";
    link.setAttribute("aria-controls", "post-menu");
    link.setAttribute("aria-expanded", "true");
    slot(post, menu, link);
    var opened = menu;
    fetch(urlFor(root.dataset.menuUrl, idOf(post)), {
      credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (opened !== menu) return;
      if (html === null) { location.href = link.href; return; }
      menu.innerHTML = html; // our server's rendering (templates/circles/_post_menu.html)
      menu.removeAttribute("aria-busy");
      var first = menu.querySelector("button:not([disabled]), a[href], input:not([type=hidden]), summary");
      if (first) first.focus();
    }).catch(function () { if (opened === menu) location.href = link.href; });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.post-more");
    if (link && !(event.button || event.metaKey || event.ctrlKey || event.shiftKey)) {
      event.preventDefault();
      openMenu(link);
      return;
    }
    // A click elsewhere closes it; not one in a dialog the menu opened ("Delete
    // this reply?"), whose form is still in the menu.
    if (menu && !menu.contains(event.target) && !(event.target.closest && event.target.closest("dialog"))) closeMenu(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !menu || document.querySelector("dialog[open]")) return;
    var at = document.activeElement;
    if (!at || at === document.body || menu.contains(at) || at === menuOpener) {
      event.preventDefault();
      closeMenu(true);
    }
  });
  document.addEventListener("thread:post-closed", function (event) {
    if (menu && menu.parentNode && menu.parentNode.id === "post-" + event.detail.id) closeMenu(false);
  });

  // --- reaction counts under each post -------------------------------------------
  function drawCounts(id, counts) {
    var post = document.getElementById("post-" + id);
    if (!post || post.querySelector(":scope > [data-reaction-bar][data-heard]")) return;
    var said = Object.keys(labels).filter(function (k) { return counts[k]; })
      .map(function (k) { return labels[k] + " " + counts[k]; }).join(" · ");
    var line = post.querySelector(":scope > .reaction-sum");
    if (!said) { if (line) line.remove(); return; }
    if (!line) {
      line = document.createElement("p");
      line.className = "reaction-sum";
      line.setAttribute("data-reaction-sum", id);
      var before = post.querySelector(":scope > .post-reply, :scope > .post-more, :scope > #post-menu, :scope > #reply, :scope > article.post");
      post.insertBefore(line, before);
    }
    line.textContent = said;
  }
  document.addEventListener("circle:reaction.changed", function (event) {
    if (event.detail.kind === "post") drawCounts(event.detail.id, event.detail.counts || {});
  });
  document.addEventListener("reactions:counted", function (event) {
    if (event.detail.kind === "post") drawCounts(event.detail.id, event.detail.counts || {});
  });
})();
