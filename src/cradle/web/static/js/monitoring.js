// Monitoring dashboards: draw every [data-chart] element with the locally served ECharts.
// A <select data-autosubmit> submits its form on change (no inline handler: the CSP allows no inline script).
document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
  s.addEventListener("change", function () { s.form.submit(); });
});
(function () {
  "use strict";
  if (!window.echarts) return;
  var en = (document.documentElement.lang || "").indexOf("en") === 0;
  function fmt(v) {
    return v == null ? "—" : Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }
  function goalLine(d) {
    if (d.goal == null) return undefined;
    return { symbol: "none", silent: true, lineStyle: { color: "#b3261e", type: "dashed" },
             label: { formatter: (en ? "Target " : "目标 ") + fmt(d.goal), position: "insideEndTop", color: "#b3261e" },
             data: [d.kind === "units" ? { xAxis: d.goal } : { yAxis: d.goal }] };
  }
  function trend(d) {
    return {
      grid: { left: 48, right: 16, top: 24, bottom: 28 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "category", data: d.years },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: fmt } },
      series: [{ type: "line", name: d.name, data: d.values, symbolSize: 7, lineStyle: { width: 2, color: "#1d4f91" },
                 itemStyle: { color: "#1d4f91" }, markLine: goalLine(d) }],
    };
  }
  function units(d) {
    return {
      grid: { left: 96, right: 48, top: 8, bottom: 24 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt },
      xAxis: { type: "value", axisLabel: { formatter: fmt } },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [{ type: "bar", name: d.name, label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } },
                 data: d.values.map(function (v, i) { return { value: v, itemStyle: { color: d.colours[i] } }; }),
                 markLine: goalLine(d) }],
    };
  }
  var COLOURS = ["#b26a00", "#1d4f91", "#1e7b34", "#6a5acd", "#b3261e"];
  function lines(d) {
    return {
      grid: { left: 64, right: 16, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "category", data: d.years },
      yAxis: { type: "value", scale: true, name: d.unit, axisLabel: { formatter: fmt } },
      series: d.series.map(function (s, i) {
        return { type: "line", name: s.name, data: s.values, showSymbol: false,
                 lineStyle: { width: 2, color: COLOURS[i % COLOURS.length] }, itemStyle: { color: COLOURS[i % COLOURS.length] } };
      }),
    };
  }
  function bars(d) {
    return {
      grid: { left: 64, right: 16, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "category", data: d.years },
      yAxis: { type: "value", name: d.unit, axisLabel: { formatter: fmt } },
      series: d.series.map(function (s, i) {
        return { type: "bar", name: s.name, data: s.values, itemStyle: { color: COLOURS[i % COLOURS.length] } };
      }),
    };
  }
  var KINDS = { units: units, trend: trend, lines: lines, bars: bars };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var d = JSON.parse(el.getAttribute("data-chart"));
    if (d.kind === "units") el.style.height = Math.max(160, d.labels.length * 28 + 40) + "px";
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(KINDS[d.kind](d));
    if (d.kind === "units") {
      chart.on("click", function (p) { window.location.href = d.links[p.dataIndex]; });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
