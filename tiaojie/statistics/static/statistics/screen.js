/* The command screen refreshes in place: every data-refresh seconds it reads data-url (the
   same JSON as GET /api/v1/statistics/screen) and changes the figures, the alert colours, the
   time of the last update and the charts, without reloading the page. When a read fails (the
   network, the server, a session that ended) the last figures stay on the wall and a quiet line
   says how old they are: 连接中断，XX秒前的数据. No inline script (CSP). */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-url");
  var every = parseInt(body.getAttribute("data-refresh"), 10) || 30;
  var staleText = body.getAttribute("data-stale") || "";
  var stale = document.getElementById("screen-stale");
  var updated = document.getElementById("screen-updated");
  var lastGood = Date.now();
  var failing = false;
  if (!url) { return; }

  function showStale() {
    if (!failing) { stale.hidden = true; return; }
    var seconds = Math.max(0, Math.round((Date.now() - lastGood) / 1000));
    stale.textContent = staleText.replace("{seconds}", String(seconds));
    stale.hidden = false;
  }

  function apply(answer) {
    var live = answer.live || {};
    var totals = (answer.data && answer.data.totals) || {};
    document.querySelectorAll("[data-live]").forEach(function (node) {
      var key = node.getAttribute("data-live");
      if (key in live) {
        node.textContent = String(live[key]);
        var box = node.closest("[data-alert]");
        if (box) { box.classList.toggle("alert", Number(live[key]) > 0); }
      }
    });
    document.querySelectorAll("[data-total]").forEach(function (node) {
      var key = node.getAttribute("data-total");
      // The same decimals as the page drew (a rate as the dashboard and the reports give it,
      // 87.88, not 87.9), so a refresh never changes how a figure is written.
      var decimals = Number(node.getAttribute("data-decimals") || "0");
      // A rate with nothing to divide by is null: "—", as the page draws it.
      if (key in totals) {
        node.textContent = totals[key] === null ? "—" : Number(totals[key]).toFixed(decimals);
      }
    });
    if (answer.updated_label) { updated.textContent = answer.updated_label; }
    if (answer.data && window.tiaojieStatCharts) { window.tiaojieStatCharts.update(answer.data); }
  }

  function refresh() {
    var done = false;
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, Math.max(every - 1, 4) * 1000);
    fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      // A session that ended answers with the sign-in page: that is a failure, not data.
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || type.indexOf("application/json") !== 0) {
        throw new Error("refresh failed: " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      apply(answer);
      lastGood = Date.now();
      failing = false;
      done = true;
    }).catch(function () {
      failing = true;
    }).then(function () {
      clearTimeout(timer);
      if (!done) { failing = true; }
      showStale();
      setTimeout(refresh, every * 1000);
    });
  }

  setInterval(showStale, 1000);
  setTimeout(refresh, every * 1000);
})();
