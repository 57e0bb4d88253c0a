/* The dashboard's and the command screen's charts (Apache ECharts, vendored). The data comes
   from the page's <script type="application/json" id="stat-data">; a click on a bar, a point or
   a slice opens the cases behind it. No inline script: the CSP allows our own files only.
   The command screen redraws them in place with window.tiaojieStatCharts.update(data) after
   each refresh (statistics/screen.js); the charts keep their size and nothing blinks. */
(function () {
  "use strict";
  var source = document.getElementById("stat-data");
  if (!source || typeof echarts === "undefined") { return; }
  var dark = document.body.classList.contains("screen");
  var theme = dark ? "dark" : null;
  var text = dark ? "#e6edf7" : "#1f2933";
  var labels = JSON.parse(document.getElementById("stat-labels").textContent);
  var drawn = {};  // id -> {chart, urls}: the click handler reads the newest urls

  function chart(id, option, urls) {
    var node = document.getElementById(id);
    if (!node) { return; }
    option.backgroundColor = "transparent";
    option.animation = !dark;
    if (drawn[id]) {
      drawn[id].urls = urls;
      drawn[id].chart.setOption(option, { notMerge: true });
      return;
    }
    var c = echarts.init(node, theme, { renderer: "canvas" });
    var entry = { chart: c, urls: urls };
    drawn[id] = entry;
    c.setOption(option);
    c.on("click", function (params) {
      var u = entry.urls;
      var url = (params.data && params.data.url) || (u && u[params.seriesIndex] && u[params.seriesIndex][params.dataIndex]);
      if (url) { window.location.href = url; }
    });
    window.addEventListener("resize", function () { c.resize(); });
  }

  /* The ranking's names are committees' full names (西山区道路交通事故纠纷人民调解委员会), longer
     than the space left of the bars: the label says 调委会 for 人民调解委员会 and ends in … when
     still too long; the tooltip (the axis's category) gives the full name. */
  function nameAxis(names) {
    return {
      type: "category", data: names,
      axisLabel: {
        width: 136, overflow: "truncate", ellipsis: "…",
        formatter: function (name) { return name.replace("人民调解委员会", "调委会"); }
      }
    };
  }

  function draw(data) {
    var t = data.trend;
    chart("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { textStyle: { color: text } },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: t.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: labels.accepted, type: "line", smooth: true, data: t.series.accepted },
        { name: labels.mediated, type: "bar", data: t.series.mediated },
        { name: labels.success, type: "bar", data: t.series.success }
      ]
    }, [t.urls.accepted, t.urls.mediated, t.urls.success]);

    chart("chart-types", {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: data.types,
                 label: { color: text } }]
    });

    var r = data.ranking.slice(0, 12).reverse();
    chart("chart-ranking", {
      // Kept inside the chart: a long name would run off its left edge.
      tooltip: { trigger: "axis", confine: true },
      grid: { left: 150, right: 24, top: 16, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: nameAxis(r.map(function (x) { return x.name; })),
      series: [{ type: "bar", name: labels.mediated,
                 data: r.map(function (x) { return { value: x.mediated, url: x.url }; }) }]
    });

    chart("chart-rates", {
      tooltip: { trigger: "axis", confine: true },
      legend: { textStyle: { color: text } },
      grid: { left: 150, right: 24, top: 40, bottom: 24 },
      xAxis: { type: "value", max: 100 },
      yAxis: nameAxis(r.map(function (x) { return x.name; })),
      series: [
        { type: "bar", name: labels.success_rate, data: r.map(function (x) { return { value: x.success_rate, url: x.url }; }) },
        { type: "bar", name: labels.performance_rate, data: r.map(function (x) { return { value: x.performance_rate, url: x.url }; }) }
      ]
    });
  }

  draw(JSON.parse(source.textContent));
  window.tiaojieStatCharts = { update: draw };
})();
