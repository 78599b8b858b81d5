/**
 * The report page's stylesheet and script (run in the browser): it draws the breakdown bar charts
 * with error bars and the reward histogram with Chart.js, and pages through the samples (text is
 * inserted with textContent, never as HTML: responses are untrusted).
 */

/** The page's CSS. */
export const REPORT_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; padding: 0 16px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 16px; }
.incomplete { background: #fff3cd; border: 1px solid #e0b000; padding: 6px 10px; font-weight: 600; }
.notice { background: #e7f1ff; border: 1px solid #3d7bd9; padding: 6px 10px; font-weight: 600; }
.small { color: #a60; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.summary td:first-child { font-weight: 600; }
.chart { position: relative; height: 260px; max-width: 900px; }
#samples-table td.text { white-space: pre-wrap; max-width: 560px; font-family: ui-monospace, monospace; font-size: 12px; }
#samples-table tr.correct td.outcome { color: #1a7f37; }
#samples-table tr.wrong td.outcome { color: #b42318; }
#samples-table tr.error td.outcome { color: #9a6700; }
details summary { cursor: pointer; color: #555; }
.controls { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
.footer { color: #666; font-size: 12px; }
`;

/** The page's script. */
export const REPORT_PAGE_SCRIPT = `
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const charts = [];
  window.reportCharts = charts;

  data.breakdowns.forEach(function (breakdown, i) {
    const canvas = document.getElementById("breakdown-chart-" + i);
    if (!canvas) return;
    charts.push(new ChartErrorBars.BarWithErrorBarsChart(canvas, {
      data: {
        labels: breakdown.rows.map(function (r) { return r.label + " (n=" + r.n + ")"; }),
        datasets: [{
          label: "score (95% CI)",
          backgroundColor: "rgba(54, 116, 181, 0.6)",
          data: breakdown.rows.map(function (r) { return { y: r.mean, yMin: r.low, yMax: r.high }; }),
        }],
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { min: 0, max: 1, title: { display: true, text: "score (every item counts)" } } },
        plugins: { legend: { display: false }, title: { display: true, text: breakdown.key } },
      },
    }));
  });

  charts.push(new Chart(document.getElementById("reward-histogram"), {
    type: "bar",
    data: {
      labels: data.histogram.map(function (b, i) {
        return b.from.toFixed(1) + (i === data.histogram.length - 1 ? "–" + b.to.toFixed(1) + "]" : "–" + b.to.toFixed(1) + ")");
      }),
      datasets: [{ label: "verdicts", data: data.histogram.map(function (b) { return b.count; }),
        backgroundColor: "rgba(90, 90, 90, 0.6)" }],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: "verdicts" } },
        x: { title: { display: true, text: "reward" } } },
      plugins: { legend: { display: false } } },
  }));

  const PAGE = 50;
  let page = 0;
  const filter = document.getElementById("sample-filter");
  const outcome = document.getElementById("sample-outcome");
  const category = document.getElementById("sample-category");
  const body = document.querySelector("#samples-table tbody");

  function outcomeOf(s) { return s.error ? "error" : s.correct ? "correct" : "wrong"; }
  function show(value) { return value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value); }
  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function folded(td, label, text) {
    if (!text) return;
    const d = document.createElement("details");
    const s = document.createElement("summary");
    s.textContent = label;
    const pre = document.createElement("div");
    pre.textContent = text;
    d.appendChild(s);
    d.appendChild(pre);
    td.appendChild(d);
  }
  function matches(s) {
    const want = outcome.value;
    if (want !== "all" && outcomeOf(s) !== want) return false;
    if (category.value) {
      const picked = JSON.parse(category.value);
      if ((s.breakdown[picked[0]] || ["(none)"]).indexOf(picked[1]) < 0) return false;
    }
    const q = filter.value.trim().toLowerCase();
    if (!q) return true;
    return [s.id, s.response, show(s.extracted), s.reason, s.error && s.error.code].some(function (v) {
      return v && String(v).toLowerCase().indexOf(q) >= 0;
    });
  }
  function render() {
    const rows = data.samples.filter(matches);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    page = Math.min(page, pages - 1);
    body.textContent = "";
    rows.slice(page * PAGE, page * PAGE + PAGE).forEach(function (s) {
      const tr = document.createElement("tr");
      tr.className = "sample " + outcomeOf(s);
      cell(tr, s.sample ? s.id + " #" + s.sample : s.id);
      cell(tr, outcomeOf(s), "outcome");
      cell(tr, s.reward === null ? "" : String(Math.round(s.reward * 1000) / 1000));
      cell(tr, show(s.extracted) + (s.method ? " (" + show(s.method) + ")" : ""));
      cell(tr, show(s.reference), "reference");
      cell(tr, s.error ? s.error.code + ": " + s.error.message : show(s.reason));
      const text = cell(tr, s.scored === "extraction" ? "extraction: " + show(s.given_extraction) : "", "text");
      folded(text, "response", s.response);
      folded(text, "reasoning", s.reasoning);
      folded(text, "prompt", s.prompt);
      if (s.images && s.images.length) {
        const d = document.createElement("details");
        d.className = "question-image";
        const summary = document.createElement("summary");
        summary.textContent = "question image" + (s.images.length > 1 ? "s (" + s.images.length + ")" : "");
        d.appendChild(summary);
        s.images.forEach(function (src) {
          const img = document.createElement("img");
          img.src = src;
          img.loading = "lazy";
          img.alt = "question image of " + s.id;
          img.style.maxWidth = "480px";
          d.appendChild(img);
        });
        text.appendChild(d);
      }
      folded(text, "explanation (verifier details)", s.details ? JSON.stringify(s.details, null, 2) : "");
      body.appendChild(tr);
    });
    document.getElementById("sample-page").textContent =
      "page " + (page + 1) + " of " + pages + " (" + rows.length + " samples)";
  }
  filter.addEventListener("input", function () { page = 0; render(); });
  outcome.addEventListener("change", function () { page = 0; render(); });
  category.addEventListener("change", function () { page = 0; render(); });
  document.getElementById("sample-prev").addEventListener("click", function () { page = Math.max(0, page - 1); render(); });
  document.getElementById("sample-next").addEventListener("click", function () { page++; render(); });
  render();
  document.body.dataset.ready = "true";
})();
`;
