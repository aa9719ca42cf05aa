// Settings: an empty time zone field takes the browser's own zone.
(function () {
  var field = document.getElementById("id_time_zone");
  if (!field || field.value) return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    /* no Intl: the person types it */
  }
})();
