// Questioning insight: line charts of the share of open questions, drawn with Chart.js from the
// figures in a json_script tag named by the chart's data-chart attribute. Each chart has a
// table beside it with the same figures; without JavaScript the table is all there is.
(function () {
  "use strict";

  function draw(box) {
    const source = document.getElementById(box.dataset.chart);
    const canvas = box.querySelector("canvas");
    if (!source || !canvas) return;
    const data = JSON.parse(source.textContent);
    const css = getComputedStyle(document.documentElement);
    const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const lines = [colour("--accent", "#1f5f8b"), colour("--muted", "#4f5868")];
    box.hidden = false;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map((series, i) => ({
          label: series.name,
          data: series.values,
          counts: series.counts,
          borderColor: lines[i % lines.length],
          backgroundColor: lines[i % lines.length],
          borderDash: i ? [6, 4] : [],
          borderWidth: i ? 2 : 3,
          pointRadius: 4,
          pointHoverRadius: 6,
          spanGaps: true,
          clip: false, // a point at 0% or 100% is drawn whole
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        layout: { padding: { top: 8, right: 12 } },
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
        scales: {
          y: { min: 0, max: 100, ticks: { stepSize: 25, callback: (value) => `${value}%` } },
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
        },
        plugins: {
          legend: { display: data.series.length > 1, labels: { boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items) => [].concat(data.labels[items[0].dataIndex]).join(", "),
              label: (item) => {
                const n = item.dataset.counts[item.dataIndex];
                return `${item.dataset.label}: ${item.parsed.y}% open (${n} question${n === 1 ? "" : "s"})`;
              },
            },
          },
        },
      },
    });
  }

  function start() {
    if (typeof Chart === "undefined") return; // the table stands alone
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = getComputedStyle(document.documentElement).getPropertyValue("--muted").trim() || "#4f5868";
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
