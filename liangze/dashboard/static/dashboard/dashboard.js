/* The supervision dashboard's two charts (ECharts, vendored): ledger states by unit, and
 * the four colours week by week. Their data sits in the page as JSON (json_script);
 * without script the table above them carries the same figures.
 */
(function () {
  "use strict";

  if (typeof echarts === "undefined") {
    return;
  }
  var STATES = {
    verified: "#198754",
    done: "#3dd5f3",
    on_track: "#9ec5fe",
    not_due: "#ced4da",
    due_soon: "#ffc107",
    overdue: "#dc3545"
  };
  var COLOURS = { green: "#198754", blue: "#0d6efd", yellow: "#ffc107", red: "#dc3545" };
  var charts = [];

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function statusChart() {
    var box = document.getElementById("lz-status-chart");
    var chart = data("lz-status-data");
    if (!box || !chart) {
      return;
    }
    // Horizontal bars: a county has dozens of units and their names are long.
    box.style.height = Math.max(240, chart.units.length * 28 + 80) + "px";
    var instance = echarts.init(box);
    instance.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: chart.units,
        axisLabel: { width: 110, overflow: "truncate" }
      },
      series: chart.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: "cells",
          itemStyle: { color: STATES[s.status] },
          emphasis: { focus: "series" },
          data: s.data
        };
      })
    });
    charts.push(instance);
  }

  function trendChart() {
    var box = document.getElementById("lz-trend-chart");
    var trend = data("lz-trend-data");
    if (!box || !trend) {
      return;
    }
    var instance = echarts.init(box);
    instance.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", boundaryGap: false, data: trend.weeks },
      yAxis: { type: "value", minInterval: 1 },
      series: trend.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          stack: trend.per_unit ? "units" : undefined,
          areaStyle: trend.per_unit ? { opacity: 0.35 } : undefined,
          step: trend.per_unit ? undefined : "middle",
          symbol: "none",
          itemStyle: { color: COLOURS[s.colour] },
          lineStyle: { color: COLOURS[s.colour] },
          data: s.data
        };
      })
    });
    charts.push(instance);
  }

  statusChart();
  trendChart();
  window.addEventListener("resize", function () {
    charts.forEach(function (c) {
      c.resize();
    });
  });
})();
