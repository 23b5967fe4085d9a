// Evidence charts: bar and line charts drawn with Chart.js from the figures in a json_script
// tag named by the chart's data-chart attribute ({type, labels, series: [{name, values}],
// stacked, horizontal, min, max}). Every chart has a table with the same figures beside it;
// without JavaScript the table is all there is.
(function () {
  "use strict";

  function wrap(text, width) {
    const lines = [];
    let line = "";
    for (const word of String(text).split(" ")) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    }
    if (line) lines.push(line);
    return lines.length > 1 ? lines : lines[0];
  }

  function draw(box) {
    const source = document.getElementById(box.dataset.chart);
    const canvas = box.querySelector("canvas");
    if (!source || !canvas) return;
    const data = JSON.parse(source.textContent);
    const css = getComputedStyle(document.documentElement);
    const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const colours = [colour("--accent", "#1f5f8b"), "#c06128", "#96a0af"];
    const value = data.horizontal ? "x" : "y";
    const category = data.horizontal ? "y" : "x";
    box.hidden = false;
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.series.map((series, i) => ({
          label: series.name,
          data: series.values,
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          borderDash: data.type === "line" && i ? [6, 4] : [],
          borderWidth: data.type === "line" ? 3 : 0,
          pointRadius: 4,
          spanGaps: true,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: data.horizontal ? "y" : "x",
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
        scales: {
          [value]: {
            stacked: Boolean(data.stacked),
            min: data.min ?? 0,
            max: data.max,
            ticks: { precision: 0 },
          },
          [category]: {
            stacked: Boolean(data.stacked),
            ticks: {
              autoSkip: !data.horizontal,
              maxRotation: 0,
              // Long labels (a benefit's words) wrap onto lines rather than being cut off.
              callback: function (value) {
                return wrap(this.getLabelForValue(value), box.clientWidth < 500 ? 18 : 40);
              },
            },
          },
        },
        plugins: { legend: { display: data.series.length > 1 } },
      },
    });
  }

  function start() {
    if (typeof Chart === "undefined") return; // the tables stand alone
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = getComputedStyle(document.documentElement).getPropertyValue("--muted").trim() || "#4f5868";
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
