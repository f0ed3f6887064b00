"use strict";
boot(async () => {
  startHere(document.getElementById("start"));
  const [report, trend] = await Promise.all([api(wsPath("/audit")), api(wsPath("/audit/trend"))]);
  const name = workspace ? workspace.name : ws();
  document.getElementById("title").textContent = `${name}: overview`;
  document.title = `${name} · Constellation`;
  const s = report.summary;

  const health = clear(document.getElementById("health"));
  health.append(h("h2", {}, "Health"),
    h("div", { class: "score", id: "score" }, String(s.health.score)),
    h("p", { class: "muted" }, `out of 100 as of ${report.as_of}; `,
      `${s.counts.total} finding(s): `,
      Object.entries(s.counts.by_severity).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(", ") || "none"),
    h("p", { class: "muted" }, "The score is the weighted share of goals, groups, conveners and "
      + "signers each check finds nothing wrong with: ", h("a", { href: "#score-parts" }, "how the score is made"), "."));

  scoreParts(document.getElementById("score-parts"), s);

  const bars = clear(document.getElementById("trend"));
  const row = h("div", { class: "trend" }), labels = h("div", { class: "trend-labels" });
  for (const point of trend) {
    row.append(h("div", { style: `height:${Math.max(2, point.score * 0.6)}px`,
                          title: `${point.date}: ${point.score}` }, h("span", {}, String(point.score))));
    labels.append(h("span", {}, String(point.date).slice(0, 4)));
  }
  bars.append(row, labels);

  const net = s.network;
  const counts = clear(document.getElementById("counts"));
  counts.append(h("h2", {}, "The network"),
    h("p", {}, `${net.nodes} nodes and ${net.edges} ties; ${net.components} connected part(s); `
      + `${net.communities.count} communities.`),
    h("p", {}, "Kinds: ", Object.entries(net.nodes_by_kind).map(([k, n]) => `${n} ${k.replace("_", " ")}`).join(", ")),
    net.brokers.length ? h("p", {}, "Brokers holding it together: ",
      net.brokers.map((b) => b.label).join(", "),
      net.measures.approximate ? " (estimated)" : "") : null);

  const stagesBox = document.getElementById("stages");
  try {
    const stages = await api(wsPath(`/stages?as_of=${report.as_of}`));
    const steps = stages.process.length;
    stagesBox.append(h("p", { class: "muted" }, `The steps of ${stages.source === "seed 002"
      ? "seed 002's continuous-improvement process" : `the process of ${stages.source}`}: `
      + stages.process.map((s) => `${s.number}. ${s.title}`).join(" · ")
      + `. A network is stalled after ${report.summary.params.stalled_after_months} months on one step `
      + "(the last step never stalls)."),
    h("table", { id: "stage-table" }, h("thead", {}, h("tr", {}, ["Network", "Status", "Stage", "Reached", ""].map((t) =>
      h("th", { scope: "col" }, t)))),
      h("tbody", {}, stages.networks.map((n) => h("tr", { dataset: { id: n.constellation.id } },
        h("td", {}, mapLink(n.constellation.id, n.constellation.label)), h("td", {}, n.status),
        h("td", {}, n.stage ? [h("span", { class: "steps", "aria-hidden": "true" },
          stages.process.map((s) => h("span", { class: n.stage.number && s.number <= n.stage.number ? "done" : null }))),
          n.stage.number ? `${n.stage.number}/${steps} ` : "", n.stage.title] : h("span", { class: "muted" }, "not recorded")),
        h("td", {}, n.stage ? n.stage.reached + (n.stage.note === "illustrative" ? " (illustrative)" : "") : ""),
        h("td", {}, n.stalled ? h("span", { class: "badge sev-low" }, `stalled ${n.months_on_stage} months`) : ""))))));
  } catch (e) { showError(stagesBox, e); }

  const curves = document.getElementById("indicators");
  try {
    const trends = await api(wsPath(`/indicators?as_of=${report.as_of}`));
    if (!trends.indicators.length) curves.append(h("p", { class: "muted" }, "No indicator recorded yet."));
    const grid = h("div", { class: "curves" });
    for (const t of trends.indicators) {
      const chart = wsPath(`/indicators/${encodeURIComponent(t.id)}/chart.svg?as_of=${report.as_of}`);
      grid.append(h("figure", { class: "card curve", dataset: { indicator: t.id } },
        h("img", { src: chart, alt: `${t.label}: ${t.status}`, loading: "lazy", width: 614, height: 346 }),
        h("figcaption", {}, h("strong", {}, t.label), `: ${t.status}.`,
          t.illustrative ? h("em", { class: "muted" }, " Some figures are illustrative.") : null)));
    }
    curves.append(grid);
  } catch (e) { showError(curves, e); }

  const byCheck = new Map();
  for (const f of report.findings) {
    if (!byCheck.has(f.check)) byCheck.set(f.check, []);
    byCheck.get(f.check).push(f);
  }
  const titles = Object.fromEntries(s.checks.map((c) => [c.id, c.title]));
  const section = document.getElementById("findings");
  if (!report.findings.length) section.append(h("p", {}, "No findings: nothing to fix."));
  for (const [check, list] of byCheck) {
    section.append(h("div", { class: "card", id: `check-${check}` },
      h("h3", {}, `${titles[check] || check} (${list.length})`), list.map(findingItem)));
  }

  const box = document.getElementById("assessments");
  const levelNames = ["informing", "networking", "collaborating", "transforming"];
  if ((s.assessments || []).length) {
    const over = h("div", { class: "levels", id: "levels" });
    for (const history of s.assessments) {
      const bars = h("div", { class: "trend" }), years = h("div", { class: "trend-labels" });
      for (const p of history.points) {
        const mean = p.mean_level || 0;
        const name = mean ? levelNames[Math.round(mean) - 1] : "not rated";
        const detail = Object.entries(p.levels).map(([k, v]) => `${k.replace(/_/g, " ")}: ${v}`).join("; ");
        bars.append(h("div", { style: `height:${Math.max(2, mean * 15)}px`, class: `level-${Math.round(mean)}`,
                               title: `${p.date}: ${name} on average (${mean} of 4). ${detail}` },
          h("span", {}, mean ? String(mean) : "–")));
        years.append(h("span", {}, String(p.date).slice(0, 4)));
      }
      over.append(h("div", { class: "card level-history", dataset: { id: history.subject.id } },
        h("h3", {}, mapLink(history.subject.id, history.subject.label)), bars, years,
        h("p", { class: "muted" }, (() => {
          const last = history.points[history.points.length - 1];
          const level = last.mean_level ? levelNames[Math.round(last.mean_level) - 1] : "not rated";
          return `Latest: ${last.date}, ${level} on average`;
        })())));
    }
    box.append(h("p", { class: "muted" }, "Levels over time: the mean of the five decisions, from 1 (informing: "
      + "one-way communication) to 4 (transforming). Hover a bar for each decision."), over);
  }

  const [assessments, links] = await Promise.all([
    api(wsPath("/nodes?kind=assessment&limit=200")), api(wsPath("/edges?kind=assesses&limit=1000")),
  ]);
  const target = new Map(links.items.map((e) => [e.source, e.target]));
  if (!assessments.items.length) {
    box.append(h("p", { class: "muted" }, "No self-assessment recorded yet."));
    return;
  }
  const decisions = [["coalesce_stakeholders", "Coalesce the stakeholders"],
    ["ensure_participation", "Ensure relevant participation"],
    ["translate_work", "Translate work into ways others participate"],
    ["communicate_change", "Communicate what is changing"],
    ["demonstrate_change", "Demonstrate what is changing"]];
  const labels2 = new Map();
  await Promise.all([...new Set(target.values())].map(async (id) => {
    try { labels2.set(id, (await api(wsPath(`/nodes/${encodeURIComponent(id)}`))).label); } catch (e) { labels2.set(id, id); }
  }));
  box.append(h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Assessment"), h("th", {}, "Of"),
      h("th", {}, "Date"), decisions.map(([, t]) => h("th", {}, t)))),
    h("tbody", {}, assessments.items.map((a) => h("tr", {},
      h("td", {}, a.label), h("td", {}, labels2.get(target.get(a.id)) || ""),
      h("td", {}, a.properties.date || ""),
      decisions.map(([k]) => h("td", {}, a.properties[k] || "")))))));
});

/** The score check by check (summary.health.by_check): what each check looks at, what it
    found, its weight and the points it costs, the most points lost first, so a backbone
    sees which fix gains the most. */
function scoreParts(box, s) {
  const order = new Map(s.checks.map((c, i) => [c.id, i]));
  const titles = new Map(s.checks.map((c) => [c.id, c.title]));
  const rows = Object.entries(s.health.by_check).map(([check, part]) => ({ check, ...part }))
    .sort((a, b) => b.points_lost - a.points_lost || order.get(a.check) - order.get(b.check));
  const lost = rows.reduce((n, r) => n + r.points_lost, 0);
  const most = Math.max(...rows.map((r) => r.points_lost), 0) || 1;
  box.append(h("p", { class: "muted" }, "Each check looks at a population (goals, active groups, "
    + "conveners …) and passes the share of it with no finding; heavier checks count more. "
    + "Points lost are what fixing all of a check's findings would gain: together they make the "
    + `${Math.round(lost)} points the score misses of 100.`),
  sortableTable([
    { title: "Check", value: (r) => (titles.get(r.check) || r.check).toLowerCase(),
      cell: (r) => r.findings ? h("a", { href: `#check-${r.check}` }, titles.get(r.check) || r.check)
        : titles.get(r.check) || r.check },
    { title: "Findings", value: (r) => r.findings, cell: (r) => String(r.findings) },
    { title: "Population", value: (r) => r.population, cell: (r) => `${r.population} ${r.of}` },
    { title: "Weight", value: (r) => r.weight, cell: (r) => String(r.weight) },
    { title: "Points lost", value: (r) => r.points_lost,
      cell: (r) => h("span", { class: "lost" },
        h("span", { class: "lost-bar", style: `width:${Math.round(80 * r.points_lost / most)}px`, "aria-hidden": "true" }),
        String(r.points_lost)) },
  ], rows, (r) => ({ dataset: { check: r.check }, class: r.points_lost ? null : "none-lost" }),
  { index: 4, dir: -1 }));
}

/** The front page's guide: one line for each kind of user (DESIGN.md's four) with the page
    to start from, and where to sign in. */
function startHere(box) {
  const line = (who, page, text, rest) => h("li", { dataset: { who } },
    h("strong", {}, `${who}: `), h("a", { href: page.startsWith("#") ? page : pageUrl(page) }, text), rest);
  box.append(h("ul", { class: "start" },
    line("Stewardship group", "conveners.html", "Who convenes what",
      " — every group with its conveners and their load, by constellation or by goal; gaps and overloaded conveners marked."),
    line("Backbone staff", "#score-parts", "How the score is made",
      [" — which fix gains the most points; keep the data current on the ", h("a", { href: pageUrl("edit.html") }, "Edit"), " page."]),
    line("Partner organization", "find.html", "Find a constellation",
      " — the groups it could join, ranked and explained."),
    line("Funder", "funding.html", "Funding",
      " — pick your organization: joint-funding opportunities, unfunded groups that fit, co-funders.")),
  h("p", { id: "where-sign-in" }, session.signed_in
    ? `You are signed in as ${session.name} (${session.role}).`
    : ["Reading needs no sign-in on a public workspace. To edit, or to see a private one, ",
       h("strong", {}, "sign in at the top right"), " with the API token an admin gave you. ",
       "A partner organization opens the partner link its backbone sent it."]));
}
