/* The reports page: draw each table's chart with Chart.js from the page's JSON data block.
   The table beside each chart carries the same numbers and a sentence sums it up, so the
   chart is an aid, not the only way to read the report. */
(function () {
  "use strict";

  const node = document.getElementById("page-data");
  const data = node ? JSON.parse(node.textContent) : {};
  const labels = data.labels || {};
  // Each at least 4.5:1 on white; series differ by dash and point style too, not colour alone.
  const COLOURS = ["#1f4e79", "#a34700", "#2d6a2f", "#6a1b9a"];
  const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  const POINTS = ["circle", "rect", "triangle", "rectRot"];
  const drawn = [];
  window.reportCharts = drawn;

  function scale(kind, value) {
    if (value === null || value === undefined) return null;
    return kind === "seconds" ? Math.round((value / 60) * 10) / 10 : value;
  }

  function draw(table) {
    const canvas = document.getElementById("chart-" + table.key);
    if (!canvas || !window.Chart || !table.chart) return;
    const index = {};
    table.columns.forEach((column, i) => { index[column.key] = i; });
    const x = index[table.chart.x] !== undefined ? index[table.chart.x] : 0;
    const series = table.chart.y.filter((key) => index[key] !== undefined);
    const minutes = series.some((key) => table.columns[index[key]].kind === "seconds");
    const chart = new window.Chart(canvas, {
      type: table.chart.type === "line" ? "line" : "bar",
      data: {
        labels: table.rows.map((row) => String(row[x])),
        datasets: series.map((key, n) => {
          const column = table.columns[index[key]];
          return {
            label: column.label + (column.kind === "seconds" ? " (" + (labels.reports_minutes || "min") + ")" : ""),
            data: table.rows.map((row) => scale(column.kind, row[index[key]])),
            backgroundColor: COLOURS[n % COLOURS.length],
            borderColor: COLOURS[n % COLOURS.length],
            borderDash: DASHES[n % DASHES.length],
            pointStyle: POINTS[n % POINTS.length],
            borderWidth: 2,
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { usePointStyle: true, color: "#1a1a1a" } } },
        scales: {
          x: { ticks: { color: "#1a1a1a" } },
          y: {
            beginAtZero: true, ticks: { color: "#1a1a1a" },
            title: { display: minutes, text: labels.reports_minutes || "min", color: "#1a1a1a" },
          },
        },
      },
    });
    drawn.push({ key: table.key, chart });
  }

  if (data.report) data.report.tables.forEach(draw);
})();
