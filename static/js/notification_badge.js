// The notification count in the account menu follows the server on every open page:
// when notifications are read anywhere (this tab, another tab, another device), the
// person's socket sends `notifications.read` with the new count, which socket.js
// dispatches here as the DOM event "me:notifications.read". site.js mirrors this
// badge onto the menu button.
(function () {
  "use strict";
  document.addEventListener("me:notifications.read", function (event) {
    var frame = event.detail || {};
    var badge = document.getElementById("notification-count");
    if (!badge || typeof frame.unread !== "number") return;
    badge.textContent = String(frame.unread);
    badge.hidden = frame.unread === 0;
  });
})();
