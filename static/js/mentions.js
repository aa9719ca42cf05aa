// @mention completion for any textarea with data-mentions="<the circle's members.json
// URL, rendered with {% url 'circles:members_json' %}>": after an
// "@", the circle's members whose display name fits are offered in a list below
// the box; arrows move, Enter or Tab takes one, Escape closes. Names only.
(function () {
  "use strict";
  var counter = 0;

  function attach(box) {
    if (box.dataset.mentionsReady) return;
    box.dataset.mentionsReady = "1";
    var membersUrl = box.dataset.mentions;
    var listId = "mentions-" + (++counter);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", listId);
    // A textarea may not carry aria-expanded; a polite line says when names appear.
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    list.insertAdjacentElement("afterend", status);
    var names = [], active = -1, start = -1, timer = null, asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      names = []; active = -1;
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(n) {
      active = n;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === n ? "true" : "false");
      });
      if (n >= 0) box.setAttribute("aria-activedescendant", listId + "-" + n);
    }

    function choose(n) {
      var name = names[n];
      if (name === undefined || start < 0) return;
      var caret = box.selectionStart;
      var before = box.value.slice(0, start) + "@" + name + " ";
      box.value = before + box.value.slice(caret);
      box.selectionStart = box.selectionEnd = before.length;
      close();
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function render(found) {
      names = found;
      list.textContent = "";
      if (!found.length) { close(); return; }
      found.forEach(function (name, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = name;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      status.textContent = found.length + (found.length === 1 ? " member" : " members") + " to mention: arrow keys choose, Enter takes one.";
      highlight(0);
    }

    function lookUp() {
      var caret = box.selectionStart;
      var text = box.value.slice(0, caret);
      var at = text.lastIndexOf("@");
      if (at < 0 || (at > 0 && /[\w@]/.test(text.charAt(at - 1)))) { close(); return; }
      var typed = text.slice(at + 1);
      if (typed.length > 32 || /\n/.test(typed) || /\s\s/.test(typed)) { close(); return; }
      start = at;
      var ticket = ++asked;
      fetch(membersUrl + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) { return r.ok ? r.json() : { members: [] }; }).then(function (body) {
        if (ticket === asked) render(body.members || []);
      }).catch(close);
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 120);
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
    // Capture on the document: runs before the composer's own Enter-to-send.
    document.addEventListener("keydown", function (event) {
      if (event.target !== box || list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + names.length) % names.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0 && !event.isComposing) {
        event.preventDefault();
        event.stopImmediatePropagation();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    }, true);
  }

  function scan(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("textarea[data-mentions]"), attach);
  }
  scan();
  new MutationObserver(function () { scan(); }).observe(document.body, { childList: true, subtree: true });
})();
