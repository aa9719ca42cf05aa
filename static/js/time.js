// Every <time datetime> on the site is written in the reader's time zone by this one
// function, and the live chat calls it too, so history, live messages and a reload
// always agree. data-when says how:
//   auto  (default) "just now", "1 minute ago", "5 minutes ago", "3 hours ago",
//         then the date and time;
//   clock the time alone for today, with the date before that (chat: a conversation
//         log reads like a clock, and its text never changes under a screen reader);
//   exact the date and time (deadlines such as the end of a mute).
// The full date and time is always in the title (shown on hover). The server's text
// (UTC) stays for anyone without JavaScript.
(function () {
  "use strict";
  var zone = document.documentElement.getAttribute("data-time-zone") || undefined;

  // Each format is built on first use and kept: building one costs more than
  // formatting many dates (the browser loads the locale's and zone's data), and a
  // page without a <time> needs none of them.
  var OPTIONS = {
    dayMonth: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
    withYear: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
    clockOnly: { hour: "2-digit", minute: "2-digit" },
    dayKey: { year: "numeric", month: "numeric", day: "numeric" },
    yearKey: { year: "numeric" },
    full: { dateStyle: "full", timeStyle: "long" }
  };
  var built = {};
  function formatter(name) {
    if (built[name]) return built[name];
    var options = OPTIONS[name];
    try {
      built[name] = new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: zone }, options));
    } catch (e) { // an unknown zone name: the browser's own zone
      built[name] = new Intl.DateTimeFormat(undefined, options);
    }
    return built[name];
  }
  function fmt(name, date) { return formatter(name).format(date); }

  // Today's year and day in the reader's zone, computed once per `now` (formatAll
  // passes one `now` for the whole page).
  var keysOf = { now: NaN, year: "", day: "" };
  function keys(now) {
    if (keysOf.now !== now.getTime()) {
      keysOf = { now: now.getTime(), year: fmt("yearKey", now), day: fmt("dayKey", now) };
    }
    return keysOf;
  }

  function plural(n, unit) { return n + " " + unit + (n === 1 ? "" : "s") + " ago"; }

  function exact(date, now) {
    return fmt("yearKey", date) === keys(now).year ? fmt("dayMonth", date) : fmt("withYear", date);
  }

  function text(date, style, now) {
    now = now || new Date();
    if (style === "exact") return exact(date, now);
    if (style === "clock") {
      return fmt("dayKey", date) === keys(now).day ? fmt("clockOnly", date) : exact(date, now);
    }
    var seconds = (now - date) / 1000;
    if (seconds < -60) return exact(date, now); // in the future: say when
    if (seconds < 60) return "just now";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return plural(minutes, "minute");
    var hours = Math.floor(minutes / 60);
    if (hours < 12) return plural(hours, "hour");
    return exact(date, now);
  }

  function format(el, now) {
    var date = new Date(el.getAttribute("datetime"));
    if (isNaN(date.getTime())) return;
    var words = text(date, el.getAttribute("data-when") || "auto", now);
    if (el.textContent !== words) el.textContent = words;
    var title = fmt("full", date);
    if (el.title !== title) el.title = title;
  }

  function formatAll(scope, now) {
    now = now || new Date();
    Array.prototype.forEach.call((scope || document).querySelectorAll("time[datetime]"), function (el) {
      format(el, now);
    });
  }

  // A <time> for a moment given as ISO 8601 (live frames use this).
  function element(iso, style) {
    var el = document.createElement("time");
    el.setAttribute("datetime", iso);
    el.setAttribute("data-when", style || "auto");
    el.textContent = iso;
    format(el);
    return el;
  }

  window.circlesTime = { format: format, formatAll: formatAll, text: text, element: element };
  formatAll(document); // a page without a <time> builds no format
  setInterval(function () { formatAll(document); }, 30000);
})();
