// Settings: an empty time zone field takes the browser's own zone. Asking for it
// loads the browser's time zone data (a long task on a slow phone), so it is done
// once the page has loaded and the browser is idle; the field is only read when the
// form is sent.
(function () {
  var field = document.getElementById("id_time_zone");
  if (!field || field.value) return;
  function fill() {
    if (field.value) return; // typed meanwhile
    try {
      field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      /* no Intl: the person types it */
    }
  }
  function later() {
    if (window.requestIdleCallback) window.requestIdleCallback(fill, { timeout: 1000 });
    else setTimeout(fill, 0);
  }
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later);
})();
