"use strict";
boot(async () => {
  const [rows, stages] = await Promise.all([api(wsPath("/conveners")), api(wsPath("/stages"))]);
  const stageOf = new Map(stages.networks.map((n) => [n.constellation.id, n]));
  const steps = stages.process.length;
  const statusSel = document.getElementById("status"), convenerSel = document.getElementById("convener");
  const goalSel = document.getElementById("goal");
  const uniq = (items) => [...new Map(items.map((x) => [x.id, x])).values()].sort(byLabel);
  for (const s of [...new Set(rows.map((r) => r.status))].sort()) statusSel.append(option(s, s));
  for (const c of uniq(rows.flatMap((r) => r.conveners))) convenerSel.append(option(c.id, c.label));
  for (const g of uniq(rows.flatMap((r) => r.goals))) goalSel.append(option(g.id, g.label));

  const columns = [
    { title: "Constellation", value: (r) => r.constellation.label.toLowerCase(),
      cell: (r) => h("span", {}, mapLink(r.constellation.id, r.constellation.label),
                     r.leaderless ? [" ", h("span", { class: "badge sev-high" }, "leaderless")] : null) },
    { title: "Conveners", value: (r) => r.conveners.map((c) => c.label).join(", ").toLowerCase(),
      cell: (r) => conveners(r.conveners) },
    { title: "Goals", value: (r) => r.goals.length, cell: (r) => r.goals.map((g) => g.label).join("; ") },
    { title: "Status", value: (r) => r.status, cell: (r) => r.status },
    { title: "Partners", value: (r) => r.partners, cell: (r) => String(r.partners) },
    { title: "Sectors", value: (r) => r.sectors.length, cell: (r) => r.sectors.join(", ") },
    { title: "Stage", value: (r) => (stageOf.get(r.constellation.id)?.stage?.number) || 0,
      cell: (r) => stageCell(stageOf.get(r.constellation.id), steps) },
  ];
  const holder = document.getElementById("table");
  const render = () => {
    const text = document.getElementById("search").value.trim().toLowerCase();
    const only = document.getElementById("problems").checked;
    const shown = rows.filter((r) =>
      (!statusSel.value || r.status === statusSel.value)
      && (!convenerSel.value || r.conveners.some((c) => c.id === convenerSel.value))
      && (!goalSel.value || r.goals.some((g) => g.id === goalSel.value))
      && (!only || r.leaderless || r.overloaded_convener)
      && (!text || r.constellation.label.toLowerCase().includes(text)));
    clear(holder).append(h("p", { class: "muted", id: "shown" }, `${shown.length} of ${rows.length} constellations`),
      sortableTable(columns, shown, (r) => ({
        class: r.leaderless ? "flag-leaderless" : r.overloaded_convener ? "flag-overloaded" : null,
        dataset: { id: r.constellation.id } })));
  };
  for (const id of ["status", "convener", "goal", "problems"]) document.getElementById(id).addEventListener("change", render);
  document.getElementById("search").addEventListener("input", render);
  render();
  await byGoalView();

  const names = { skills: "skills", bandwidth: "bandwidth", fit: "fit", content_knowledge: "content knowledge" };
  const ranked = (found) => h("ol", {}, found.map((c) => h("li", { dataset: { id: c.organization.id } },
    h("strong", {}, c.organization.label), ` — ${c.score} of 100`,
    h("div", { class: "parts" }, Object.entries(names).map(([k, t]) =>
      h("span", { title: c.criteria[k].detail }, `${t} ${Math.round(c.criteria[k].score * 100)}%`))),
    h("div", { class: "why" }, c.reason))));

  const [goals, areas] = await Promise.all([
    api(wsPath("/nodes?kind=goal&limit=500")), api(wsPath("/nodes?kind=issue_area&limit=500"))]);
  for (const g of [...goals.items].sort(byLabel)) document.getElementById("new-goal").append(option(g.id, g.label));
  for (const a of [...areas.items].sort(byLabel)) document.getElementById("new-area").append(option(a.id, a.label));
  document.getElementById("describe").addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = clear(document.getElementById("new-ranked"));
    const goal = document.getElementById("new-goal").value, area = document.getElementById("new-area").value;
    if (!goal && !area) { out.append(h("p", { class: "field-error" }, "Pick a goal or an issue area.")); return; }
    try {
      const found = await api(wsPath("/constellations/candidates"), { method: "POST",
        body: { goals: goal ? [goal] : [], issue_areas: area ? [area] : [], limit: 5 } });
      out.append(found.length ? ranked(found) : h("p", { class: "muted" }, "No organization to suggest."));
    } catch (e) { showError(out, e); }
  });

  const box = document.getElementById("candidates");
  const leaderless = rows.filter((r) => r.leaderless);
  if (!leaderless.length) box.append(h("p", {}, "Every active or forming group has a convener."));
  for (const r of leaderless) {
    const card = h("div", { class: "card", dataset: { id: r.constellation.id } },
      h("h3", {}, mapLink(r.constellation.id, r.constellation.label)));
    box.append(card);
    try {
      const found = await api(wsPath(`/constellations/${encodeURIComponent(r.constellation.id)}/candidates?limit=3`));
      if (!found.length) { card.append(h("p", { class: "muted" }, "No organization to suggest.")); continue; }
      card.append(ranked(found));
    } catch (e) { showError(card, e); }
  }

  await overlapPanel(document.getElementById("overlap"));
});

/** A network's stage: "4/7 Prioritize contributing indicators, since 2019-05-01", stalled or not. */
function stageCell(n, steps) {
  if (!n || !n.stage) return h("span", { class: "muted" }, "not recorded");
  const s = n.stage;
  return h("span", { class: "stage", title: n.illustrative ? "Some of these dates are illustrative." : null },
    s.number ? `${s.number}/${steps} ` : "", s.title, h("span", { class: "muted" }, `, since ${s.reached}`),
    n.stalled ? [" ", h("span", { class: "badge sev-low" }, `stalled ${n.months_on_stage} months`)] : null);
}

/** Who shares whom: pairs of active groups ranked by the partners they share, each with a
    link to the map focused on both; then the organizations in more than one group. */
async function overlapPanel(box) {
  const report = await api(wsPath("/overlap"));
  if (!report.pairs.length) { box.append(h("p", { class: "muted" }, "No two active constellations share a partner.")); return; }
  const pct = (x) => `${Math.round(x * 100)}%`;
  box.append(h("p", { class: "muted", id: "overlap-summary" },
    `${report.pairs.length} pairs of the ${report.constellations} active constellations share partners`
    + (report.pairs_sharing_nobody ? `; ${report.pairs_sharing_nobody} share none` : "") + "."),
  sortableTable([
    { title: "Shared", value: (p) => p.shared, cell: (p) => String(p.shared) },
    { title: "Constellations", value: (p) => `${p.a.label} ${p.b.label}`.toLowerCase(),
      cell: (p) => h("span", {}, p.a.label, " + ", p.b.label) },
    { title: "Share of each", value: (p) => p.jaccard,
      cell: (p) => `${pct(p.share_of_a)} of ${p.members_a}; ${pct(p.share_of_b)} of ${p.members_b}` },
    { title: "Shared organizations", cell: (p) => p.organizations.map((o) => o.label).join(", ") },
    { title: "Map", cell: (p) => h("a", { class: "pair-map",
      href: pageUrl("map.html") + `#focus=${encodeURIComponent(p.a.id)},${encodeURIComponent(p.b.id)}` }, "both on the map") },
  ], report.pairs, (p) => ({ dataset: { a: p.a.id, b: p.b.id } })));
  const spread = report.organizations.filter((s) => s.count > 1);
  if (spread.length) {
    box.append(h("h3", {}, "Organizations in more than one group"),
      h("ul", { class: "spread" }, spread.map((s) => h("li", { dataset: { id: s.organization.id } },
        h("strong", {}, s.organization.label), ` — ${s.count} groups: `,
        s.constellations.map((c) => c.label + (c.role === "convener" ? " (convener)" : "")).join("; ")))));
  }
}

/** The conveners of one group, each with the load it carries across all its active groups
    (written out, not only in a tooltip) and an "overloaded" badge. */
function conveners(list) {
  if (!list.length) return h("span", { class: "muted" }, "nobody");
  return h("ul", { class: "conveners" }, list.map((c) => h("li", { dataset: { id: c.id } },
    c.label, c.role === "co" ? " (co)" : "",
    h("span", { class: "load" }, ` — ${c.active_constellations} active group${c.active_constellations === 1 ? "" : "s"}, `
      + `load ${c.load}` + (c.capacity !== null ? ` of ${c.capacity}` : " (no capacity on record)")),
    c.overloaded ? [" ", h("span", { class: "badge sev-medium" }, "overloaded")] : null)));
}

/** Who convenes what, by goal (GET …/conveners/by-goal): each goal, the groups advancing it
    with their status and conveners; the goals no active group advances first and marked.
    The view (?by=goal) is a toggle beside the table by constellation. */
async function byGoalView() {
  const radios = [...document.querySelectorAll("#view input[name=view]")];
  const goalView = document.getElementById("by-goal");
  const others = ["constellation-filters", "table", "candidates", "overlap", "new-group"].map((id) => document.getElementById(id));
  let rows = null;
  const unserved = document.getElementById("unserved"), search = document.getElementById("goal-search");
  const columns = [
    { title: "Goal", value: (r) => r.goal.label.toLowerCase(),
      cell: (r) => h("span", {}, mapLink(r.goal.id, r.goal.label),
        r.served ? null : [" ", h("span", { class: "badge sev-high" }, "unserved")]) },
    { title: "Active groups", value: (r) => r.active, cell: (r) => `${r.active} of ${r.constellations.length}` },
    { title: "Constellations advancing it, with their conveners", cell: (r) => r.constellations.length
      ? h("ul", { class: "groups" }, r.constellations.map((g) => h("li", { dataset: { id: g.constellation.id } },
        h("div", {}, mapLink(g.constellation.id, g.constellation.label), " ",
          h("span", { class: `badge status status-${g.status}` }, g.status),
          g.leaderless ? [" ", h("span", { class: "badge sev-high" }, "leaderless")] : null),
        conveners(g.conveners))))
      : h("span", { class: "muted" }, "no constellation advances it") },
  ];
  const render = async () => {
    const view = radios.find((r) => r.checked).value;
    const q = params();
    if (view === "goal") q.set("by", "goal"); else q.delete("by");
    history.replaceState(null, "", `?${q.toString()}`);
    goalView.hidden = view !== "goal";
    for (const el of others) el.hidden = view === "goal";
    if (view !== "goal") return;
    if (!rows) rows = await api(wsPath("/conveners/by-goal"));
    const text = search.value.trim().toLowerCase();
    const shown = rows.filter((r) => (!unserved.checked || !r.served)
      && (!text || r.goal.label.toLowerCase().includes(text)));
    const gaps = rows.filter((r) => !r.served).length;
    clear(document.getElementById("goal-table")).append(
      h("p", { class: "muted", id: "goals-shown" }, `${shown.length} of ${rows.length} goals; `
        + `${gaps} with no active constellation.`),
      sortableTable(columns, shown, (r) => ({ class: r.served ? null : "flag-unserved",
                                               dataset: { id: r.goal.id } })));
  };
  const rerender = () => render().catch((e) => showError(goalView, e));
  for (const r of radios) r.checked = r.value === (params().get("by") === "goal" ? "goal" : "constellation");
  for (const r of radios) r.addEventListener("change", rerender);
  unserved.addEventListener("change", rerender);
  search.addEventListener("input", rerender);
  await rerender();  // a failure shows in the view, and the rest of the page still loads
}
