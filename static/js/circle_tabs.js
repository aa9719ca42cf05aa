// On a phone the circle page shows chat, threads and resources as tabs; on a wide
// screen they sit side by side and the tab bar is hidden by CSS. Without this
// script the panels simply stack.
(function () {
  "use strict";
  var bar = document.querySelector(".circle-tabs");
  if (!bar) return;
  var tabs = Array.prototype.slice.call(bar.querySelectorAll('[role="tab"]'));
  var panels = tabs.map(function (tab) {
    return document.getElementById(tab.getAttribute("aria-controls"));
  });
  if (panels.some(function (p) { return !p; })) return;
  var layout = document.querySelector(".circle-layout");

  function select(index, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panels[i].classList.toggle("tab-hidden", !on);
    });
    if (focus) tabs[index].focus();
    try { sessionStorage.setItem("circle-tab", String(index)); } catch (e) { /* private mode */ }
  }

  panels.forEach(function (panel, i) {
    panel.setAttribute("role", panel.getAttribute("role") || "tabpanel");
    panel.setAttribute("aria-labelledby", tabs[i].id);
  });
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(i, false); });
    tab.addEventListener("keydown", function (event) {
      var next = null;
      if (event.key === "ArrowRight") next = (i + 1) % tabs.length;
      if (event.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
      if (event.key === "Home") next = 0;
      if (event.key === "End") next = tabs.length - 1;
      if (next !== null) { event.preventDefault(); select(next, true); }
    });
  });
  // "Skip to chat" (and any link to a place in a panel) lands there even when
  // another tab is showing: that panel's tab is chosen first, then the place focused.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link || link.getAttribute("href").length < 2) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    var index = panels.findIndex(function (p) { return p.contains(target); });
    if (index === -1) return;
    if (panels[index].classList.contains("tab-hidden")) select(index, false);
    if (link.hasAttribute("data-skip-to-chat")) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });

  var saved = 0;
  try { saved = parseInt(sessionStorage.getItem("circle-tab") || "0", 10) || 0; } catch (e) { saved = 0; }
  bar.hidden = false;
  layout.classList.add("has-tabs");
  select(Math.min(saved, tabs.length - 1), false);
})();
