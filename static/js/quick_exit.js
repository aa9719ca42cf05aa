// Leave quickly (a#quick-exit, first on every page): a click, or Shift pressed three
// times within two seconds with no other key between, replaces this page with a
// neutral one at once. Nothing is asked and nothing waits for the network; the page
// is hidden first so it is gone from the screen even before the next one paints.
// Loaded in <head> without defer, so it works from the first moment.
(function () {
  "use strict";
  var presses = [];
  function leave() {
    var link = document.getElementById("quick-exit");
    var url = link ? link.href : "about:blank";
    document.documentElement.style.visibility = "hidden";
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("#quick-exit") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    leave();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    if (event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) { presses = []; leave(); }
  }, true);
})();
