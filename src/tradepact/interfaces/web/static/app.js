/* tradepact web pages: small plain JS on the same-origin JSON API; charts with plotly.js. */
"use strict";
const TP = (() => {
  const lang = document.body.dataset.lang || "en";
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x)) ? "n/a" : Number(x).toLocaleString("en-US", {minimumFractionDigits: d, maximumFractionDigits: d});
  const pct = (x, d = 2) => (x === null || x === undefined) ? "n/a" : (x * 100).toFixed(d) + " %";
  const signed = (x) => (x >= 0 ? "+" : "−") + fmt(Math.abs(x));
  const plotCfg = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage"]};
  const layout = (extra) => Object.assign({margin: {l: 60, r: 20, t: 30, b: 40}, font: {size: 12},
    legend: {orientation: "h", y: -0.18}, hovermode: "closest"}, extra);

  async function api(method, url, body) {
    const opts = {method, headers: {"Accept": "application/json"}};
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    const r = await fetch(url, opts);
    const data = await r.json();
    if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
    return data;
  }

  async function waitJob(id, onProgress) {
    for (;;) {
      const j = await api("GET", "/api/v1/jobs/" + id);
      if (onProgress) onProgress(j.progress);
      if (j.state === "done") return j.result;
      if (j.state === "failed") throw new Error(j.error);
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  function outflowChart(el, years, series, capacity) {
    /* series: [{name, reserve, total}] — reserve-funded bars against the capacity line; total outflow dotted apart */
    const traces = [];
    series.forEach((s, i) => {
      traces.push({type: "bar", name: s.name + " — from reserves", x: years[i] || years[0], y: s.reserve,
                   hovertemplate: "%{x}: %{y:.1f} USD bn<extra>" + esc(s.name) + " (reserves)</extra>"});
      traces.push({type: "scatter", mode: "lines", line: {dash: "dot", width: 1}, name: s.name + " — total outflow",
                   x: years[i] || years[0], y: s.total, visible: "legendonly",
                   hovertemplate: "%{x}: %{y:.1f} USD bn<extra>total</extra>"});
    });
    traces.push({type: "scatter", mode: "lines", name: "USD supply capacity", x: years[0], y: capacity,
                 line: {color: "black", dash: "dash", width: 2}});
    Plotly.react(el, traces, layout({barmode: "group", yaxis: {title: "USD bn a year"},
      xaxis: {range: [years[0][0] - 0.5, years[0][0] + 14.5]}}), plotCfg);
  }

  function overview() {
    const data = JSON.parse(document.getElementById("outflow-data").textContent);
    outflowChart("outflow-chart", data.years,
      data.names.map((n, i) => ({name: n, reserve: data.reserve_out[i], total: data.total_out[i]})), data.capacity);
    document.querySelectorAll("button.compute").forEach((b) => b.addEventListener("click", async () => {
      const out = b.parentElement.querySelector(".out");
      out.textContent = "…";
      try {
        const v = await api("POST", "/api/v1/verdict", {scenarios: [b.dataset.name], draws: 2000});
        out.textContent = v.scenarios[0].sentence;
      } catch (e) { out.innerHTML = '<span class="error">' + esc(e.message) + "</span>"; }
    }));
  }

  // ------------------------------------------------------------ designer
  function designer(fdiOfRest) {
    const form = document.getElementById("design-form");
    let seq = 0, timer = null, mcTimer = null;
    const values = () => Object.fromEntries([...form.querySelectorAll("input[type=range]")].map((i) => [i.name, Number(i.value)]));
    const query = (v) => new URLSearchParams(Object.assign({}, v, lang === "ko" ? {lang} : {})).toString();

    function showVerdict(v, fx) {
      document.getElementById("design-sentence").textContent = v.sentence;
      const sides = Object.values(v.sides).map((s) => {
        const krw = (s.party === "KOR" && fx) ? ' <span class="krw">(KRW ' + fmt(s.deal_npv_usd_bn * fx / 1000) + " tn)</span>" : "";
        const p = s.probability_better_off === null ? "" : "<div>P(better off): <b>" + (s.probability_better_off * 100).toFixed(0) + " %</b> <span class=muted>(" + v.n_draws.toLocaleString("en-US") + " draws)</span></div>";
        return '<div class="side ' + (s.better_off ? "good" : "bad") + '"><div class="who">' + (s.side === "investor" ? "Investor" : "Host") + ": " + esc(s.party_name) +
          '</div><div class="big">' + (s.better_off ? "Better off than no deal" : "Worse off than no deal") +
          "</div><div>Payoff against no deal: <b>" + signed(s.deal_npv_usd_bn) + " USD bn</b>" + krw + "</div>" + p + "</div>";
      });
      document.getElementById("design-sides").innerHTML = sides.join("");
      const st = v.stress_test;
      document.getElementById("design-meta").innerHTML = st.holds ? '<span class="ok">No adverse shock test: holds</span>'
        : '<span class="fail">No adverse shock test: fails in ' + esc(st.failing_years.join(", ")) + "</span>";
    }

    async function recompute() {
      const my = ++seq, v = values();
      Object.entries(v).forEach(([k, x]) => { const o = document.getElementById("o-" + k); if (o) o.textContent = x; });
      const t0 = performance.now();
      try {
        const d = await api("POST", "/api/v1/design", {values: v, draws: 0});
        if (my !== seq) return;
        const ms = performance.now() - t0;
        showVerdict(d.verdict, d.krw_per_usd);
        const a = d.annual;
        Plotly.react("design-chart", [
          {type: "bar", name: "outflow paid from reserves", x: d.years, y: a.reserve_funded_outflow_usd_bn, marker: {color: "#1f5fa8"}},
          {type: "scatter", mode: "lines", name: "total outflow (all instruments)", x: d.years, y: a.cash_outflow_usd_bn, line: {dash: "dot", color: "#d1495b"}},
          {type: "scatter", mode: "lines", name: "USD supply capacity", x: d.years, y: a.usd_supply_capacity_usd_bn, line: {color: "black", dash: "dash"}},
        ], layout({height: 330, title: {text: "Outflow against capacity (USD bn a year)", font: {size: 13}},
                   xaxis: {range: [d.years[0] - 0.5, d.years[0] + 14.5]}}), plotCfg);
        Plotly.react("design-reserves", [
          {type: "scatter", mode: "lines", name: "FX reserves with the deal", x: d.years, y: a.reserves_usd_bn, line: {color: "#1f5fa8", width: 3}},
          {type: "scatter", mode: "lines", name: "without the deal", x: d.years, y: a.baseline_reserves_usd_bn, line: {color: "grey", dash: "dot"}},
        ], layout({height: 300, title: {text: "Reserves path (USD bn, end of year)", font: {size: 13}}}), plotCfg);
        const rows = Object.entries(d.headline_text).map(([k, t]) => "<tr><td>" + esc(d.labels[k][0]) + '</td><td class="text">' + esc(d.labels[k][1]) + "</td><td>" + esc(t) +
          ((d.labels[k][1] === "USD bn" && d.krw_per_usd && d.headline[k] !== null) ? ' <span class="krw">(KRW ' + fmt(d.headline[k] * d.krw_per_usd / 1000) + " tn)</span>" : "") + "</td></tr>");
        document.getElementById("design-headline").innerHTML = rows.join("");
        document.getElementById("design-yaml").textContent = d.yaml;
        const q = query(d.query);
        document.getElementById("download-yaml").href = "/designer/scenario.yaml?" + q;
        document.getElementById("share-link").href = "/designer?" + q;
        history.replaceState(null, "", "/designer?" + q);
        document.getElementById("design-timing").textContent = "recomputed in " + ms.toFixed(0) + " ms (point values)";
        document.body.dataset.designSeq = String(my);
        clearTimeout(mcTimer);
        mcTimer = setTimeout(async () => {
          try {
            const m = await api("POST", "/api/v1/design", {values: v, draws: 1000});
            if (my === seq) showVerdict(m.verdict, m.krw_per_usd);
          } catch (e) { /* the point verdict stays */ }
        }, 700);
      } catch (e) {
        if (my === seq) document.getElementById("design-sentence").innerHTML = '<span class="error">' + esc(e.message) + "</span>";
      }
    }
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(recompute, 60); });
    recompute();
  }

  // ------------------------------------------------------------ tariffs
  function tariffs() {
    const form = document.getElementById("rate-form"), hs = document.getElementById("hs");
    let timer = null;
    hs.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = hs.value.trim();
        if (q.length < 2) return;
        const r = await api("GET", "/api/v1/tariffs/hs?limit=20&q=" + encodeURIComponent(q));
        document.getElementById("hs-list").innerHTML = r.lines.map((l) => '<option value="' + esc(l.code) + '">' + esc(l.description) + "</option>").join("");
        document.getElementById("hs-matches").textContent = r.lines.length ? r.lines.slice(0, 5).map((l) => l.code + " " + l.description).join(" · ") + (r.more ? " · +" + r.more + " more" : "") : "no HTS line matches";
      }, 200);
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const out = document.getElementById("rate-result");
      const q = new URLSearchParams({partner: document.getElementById("partner").value.toUpperCase(),
        hs: hs.value.trim().replaceAll(".", ""), date: document.getElementById("date").value});
      out.textContent = "…";
      try {
        const r = await api("GET", "/api/v1/tariffs/rate?" + q);
        const auth = Object.entries(r.by_authority).filter(([, v]) => v !== 0).map(([a, v]) => "<tr><td>" + esc(a) + "</td><td>" + pct(v) + "</td></tr>").join("");
        const ms = r.measures.filter((m) => m.contributes).map((m) => "<li>" + esc(m.title) + " — " + (m.rate === null ? "" : pct(m.rate)) + ' <span class="muted">(' + esc(m.cite.join(", ")) + ")</span></li>").join("");
        const refs = r.references.map((x) => '<li><a href="' + esc(x.href) + '" rel="noreferrer">' + esc(x.title) + "</a> (" + esc(x.publisher || "") + (x.date ? ", " + esc(x.date) : "") + ') <span class="muted">— ' + esc(x.pinpoint || "") + "</span></li>").join("");
        out.innerHTML = "<h2>" + esc(r.partner) + " · HS " + esc(r.hs) + " · " + esc(r.date) + ': <span id="total-rate">' + pct(r.total_rate) + "</span></h2>" +
          "<table><tr><th>authority</th><th>rate</th></tr>" + auth + "<tr><td><b>total</b></td><td><b>" + pct(r.total_rate) + "</b></td></tr></table>" +
          "<h3>Measures</h3><ul>" + ms + '</ul><h3>Sources</h3><ol id="rate-sources">' + refs + "</ol>";
      } catch (e) { out.innerHTML = '<p class="error">' + esc(e.message) + "</p>"; }
    });
    api("GET", "/api/v1/tariffs/timeline?sector=all").then((d) => {
      const groups = {};
      d.rows.forEach((r) => { const k = r.partner + (r.case === "without_deal" ? " without the deal" : ""); (groups[k] = groups[k] || []).push(r); });
      const traces = Object.entries(groups).filter(([k]) => !k.includes("without") || k.startsWith("KOR")).map(([k, rows]) => ({
        type: "scatter", mode: "lines", line: {shape: "hv", width: k.startsWith("KOR") ? 3 : 1.2, dash: k.includes("without") ? "dash" : "solid"},
        name: k, x: rows.map((r) => r.start).concat([rows[rows.length - 1].stop]), y: rows.map((r) => r.etr).concat([rows[rows.length - 1].etr])}));
      Plotly.react("timeline-chart", traces, layout({yaxis: {title: "effective tariff rate", tickformat: ".0%"}}), plotCfg);
    }).catch((e) => { document.getElementById("timeline-chart").textContent = e.message; });
  }

  // ------------------------------------------------------------ negotiation
  function negotiation(fdiOfRest) {
    const status = document.getElementById("zopa-status"), bar = document.getElementById("zopa-progress");
    const toDesigner = (d) => {
      const g = d.guarantee_share ?? 0.3333;
      const q = {cash_share: d.cash_share, annual_cap_usd_bn: Math.min(120, Math.max(5, d.annual_cap_usd_bn)), years: d.years ?? 3,
        guarantee_share: g, fdi_share: (1 - g) * fdiOfRest, investor_share_before_recoup: d.investor_share_before_recoup,
        investor_share_after_recoup: d.investor_share_after_recoup};
      Object.keys(q).forEach((k) => { if (q[k] === null || q[k] === undefined || Number.isNaN(q[k])) delete q[k]; else q[k] = Math.round(q[k] * 1000) / 1000; });
      if (lang === "ko") q.lang = "ko";
      return "/designer?" + new URLSearchParams(q).toString();
    };
    const describe = (d) => Object.entries(d).filter(([, v]) => v !== null).map(([k, v]) => k.replaceAll("_", " ") + ": " + (Math.round(v * 1000) / 1000)).join("<br>");
    api("POST", "/api/v1/zopa", {refine: 4}).then((job) => waitJob(job.id, (p) => { if (p.total) { bar.max = p.total; bar.value = p.done; } }))
      .then((z) => {
        status.textContent = z.grid.in_zone.toLocaleString("en-US") + " of " + z.grid.designs.toLocaleString("en-US") + " designs in the zone of possible agreement (" + z.grid.feasible.toLocaleString("en-US") + " feasible).";
        const f = z.frontier, r = z.reservation_values_usd_bn;
        const xs = f.map((p) => p.investor_payoff_usd_bn), ys = f.map((p) => p.host_payoff_usd_bn);
        const traces = [
          {type: "scatter", mode: "lines+markers", name: "Pareto frontier", x: xs, y: ys, line: {shape: "hv", color: "black"},
           customdata: f.map((p) => toDesigner(p)), text: f.map((p) => describe(Object.fromEntries(Object.entries(p).filter(([k]) => !k.endsWith("_usd_bn") && k !== "source")))),
           hovertemplate: "investor %{x:.1f}, host %{y:.1f} USD bn<br>%{text}<extra>frontier</extra>"},
          {type: "scatter", mode: "lines", name: "zone of possible agreement", x: [r.investor].concat(xs.filter((x) => x >= r.investor)),
           y: [Math.max(...ys)].concat(ys.filter((_, i) => xs[i] >= r.investor)), fill: "tozeroy", fillcolor: "rgba(102,161,130,0.25)", line: {width: 0}, hoverinfo: "skip"},
        ];
        z.proposals.forEach((p) => traces.push({type: "scatter", mode: "markers", name: p.title + (p.feasible ? "" : " (over capacity)"),
          x: [p.investor], y: [p.host], marker: {size: 13, line: {width: 1, color: "black"}}, customdata: [toDesigner(p.design)],
          text: [describe(p.design)], hovertemplate: "investor %{x:.1f}, host %{y:.1f} USD bn<br>%{text}<extra>" + esc(p.name) + "</extra>"}));
        if (z.nash_bargaining_solution) {
          const n = z.nash_bargaining_solution;
          traces.push({type: "scatter", mode: "markers", name: "Nash bargaining solution", x: [n.investor_payoff_usd_bn], y: [n.host_payoff_usd_bn],
            marker: {symbol: "star", size: 18, color: "#edae49", line: {width: 1, color: "black"}}, customdata: [toDesigner(n)], text: [describe(n)],
            hovertemplate: "investor %{x:.1f}, host %{y:.1f}<br>%{text}<extra>Nash</extra>"});
        }
        Plotly.react("zopa-chart", traces, layout({height: 560, xaxis: {title: "Investor payoff vs no deal (PV, USD bn)", zeroline: true},
          yaxis: {title: "Host payoff vs no deal (PV, USD bn)"},
          shapes: [{type: "line", x0: r.investor, x1: r.investor, yref: "paper", y0: 0, y1: 1, line: {dash: "dot", color: "#d1495b"}},
                   {type: "line", y0: r.host, y1: r.host, xref: "paper", x0: 0, x1: 1, line: {dash: "dot", color: "#1f5fa8"}}]}), plotCfg);
        document.getElementById("zopa-chart").on("plotly_click", (ev) => { const url = ev.points[0].customdata; if (url) window.location.href = url; });
        document.getElementById("zopa-proposals").innerHTML = "<tr><th>Proposal</th><th>Investor</th><th>Host</th><th>Feasible</th><th>In zone</th></tr>" +
          z.proposals.map((p) => "<tr><td>" + esc(p.title) + "</td><td>" + fmt(p.investor) + "</td><td>" + fmt(p.host) + "</td><td>" + (p.feasible ? "yes" : "no") + "</td><td>" + (p.in_zone ? "yes" : "no") + "</td></tr>").join("");
        document.body.dataset.zopaReady = "1";
      }).catch((e) => { status.innerHTML = '<span class="error">' + esc(e.message) + "</span>"; });
  }

  // ------------------------------------------------------------ sources
  function sources() {
    const q = document.getElementById("param-q"), list = document.getElementById("param-list"), detail = document.getElementById("param-detail");
    async function show(path) {
      const p = await api("GET", "/api/v1/params/" + path);
      detail.innerHTML = "<h2>" + esc(p.path) + ' <span class="muted">(' + esc(p.unit) + ")</span></h2><p>" + esc(p.description) + "</p>" +
        "<table><tr><th>From</th><th>Value</th><th class=text>Status</th><th class=text>Sources</th></tr>" +
        p.values.map((v) => "<tr><td>" + esc(v.from) + "</td><td>" + esc(v.value) + "</td><td class=text>" + esc(v.status) + (v.note ? '<br><span class="muted">' + esc(v.note) + "</span>" : "") +
          "</td><td class=text>" + v.references.map((r) => '<a href="' + esc(r.href) + '" rel="noreferrer">' + esc(r.title) + "</a> (" + esc(r.publisher || "") + (r.date ? ", " + esc(r.date) : "") + ") <span class=muted>" + esc(r.pinpoint || "") + "</span>").join("<br>") + "</td></tr>").join("") + "</table>";
    }
    async function search() {
      const r = await api("GET", "/api/v1/params?limit=200&q=" + encodeURIComponent(q.value));
      list.innerHTML = r.parameters.map((p) => '<li data-path="' + esc(p.path) + '"><b>' + esc(p.label) + '</b><br><span class="muted">' + esc(p.path) + " · " + esc(p.latest.value) + " " + esc(p.unit) + "</span></li>").join("");
      list.querySelectorAll("li").forEach((li) => li.addEventListener("click", () => show(li.dataset.path)));
      if (r.parameters.length) show(r.parameters[0].path);
    }
    let timer = null;
    q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 200); });
    document.getElementById("param-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
    search();
  }

  return {overview, designer, tariffs, negotiation, sources, api};
})();
