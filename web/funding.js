"use strict";
function money(totals) {
  const parts = Object.entries(totals || {}).map(([cur, n]) => `${cur} ${Number(n).toLocaleString("en-US")}`);
  return parts.length ? parts.join(" + ") : "no current funding";
}
/** Co-funders of the same grantees: each shared grantee with what each of the two gives it. */
function sharedTable(f, labels) {
  const shared = f.evidence.shared_recipients || [];
  if (!shared.length) return null;
  const [a, b] = f.subjects;
  const cell = (r, who) => money(((f.evidence.by_recipient || {})[r] || {})[who]?.totals);
  return h("table", { class: "shared" },
    h("thead", {}, h("tr", {}, h("th", {}, "shared grantee"), h("th", {}, a.label), h("th", {}, b.label))),
    h("tbody", {}, shared.map((r) => h("tr", {}, h("td", {}, labels[r] || r), h("td", {}, cell(r, a.id)),
                                         h("td", {}, cell(r, b.id))))));
}
function entry(f) {
  const labels = Object.fromEntries(f.subjects.map((s) => [s.id, s.label]));
  const shared = f.check === "co_funders" ? sharedTable(f, labels) : null;
  if (shared) {
    const share = Math.round((f.evidence.recipient_overlap_share || 0) * 100);
    return h("div", { class: "card entry", dataset: { key: f.key } },
      h("p", {}, f.message),
      h("p", { class: "muted" }, `${share}% of the grantees either funds are shared.`),
      shared,
      h("p", { class: "muted" }, f.suggestion));
  }
  const amounts = [];
  for (const [id, info] of Object.entries(f.evidence.funding || {})) amounts.push([labels[id] || id, money(info.totals)]);
  for (const [id, info] of Object.entries(f.evidence.funders || {})) amounts.push([labels[id] || id, info.total || money(info.totals)]);
  return h("div", { class: "card entry", dataset: { key: f.key } },
    h("p", {}, f.message),
    amounts.length ? h("table", {}, h("tbody", {}, amounts.map(([who, what]) =>
      h("tr", {}, h("td", {}, who), h("td", {}, what))))) : null,
    h("p", { class: "muted" }, f.suggestion));
}
async function load() {
  const funder = document.getElementById("funder").value;
  const report = await api(wsPath(funder ? `/funding?funder=${encodeURIComponent(funder)}` : "/funding"));
  const notes = clear(document.getElementById("notes"));
  for (const n of report.notes || []) notes.append(h("p", { class: "muted" }, n));
  for (const [id, list, title] of [["joint", report.joint_opportunities, "Joint-funding opportunities"],
                                   ["unfunded", report.unfunded, "Active constellations with no funding"],
                                   ["cofunders", report.co_funders, "Funders whose portfolios overlap"]]) {
    const box = clear(document.getElementById(id));
    box.append(h("h2", {}, `${title} (${list.length})`));
    if (!list.length) box.append(h("p", { class: "muted" }, "None."));
    list.forEach((f) => box.append(entry(f)));
  }
  const years = clear(document.getElementById("years"));
  years.append(h("h2", {}, funder ? "Its grants by the year they start" : "Grants by the year they start"));
  if (!(report.by_year || []).length) years.append(h("p", { class: "muted" }, "None."));
  else years.append(h("table", {},
    h("thead", {}, h("tr", {}, ["year", "grants", "amount"].map((t) => h("th", {}, t)))),
    h("tbody", {}, report.by_year.map((y) => h("tr", { dataset: { year: y.year ?? "undated" } },
      h("td", {}, y.year ?? "undated"), h("td", {}, y.grants), h("td", {}, money(y.totals)))))));
  const grantees = clear(document.getElementById("grantees"));
  grantees.hidden = !funder;
  if (funder) {
    const list = report.grantees || [];
    grantees.append(h("h2", {}, `Its grantees and who else funds them (${list.length})`));
    if (!list.length) grantees.append(h("p", { class: "muted" }, "None."));
    else grantees.append(h("table", {},
      h("thead", {}, h("tr", {}, ["grantee", "its grants", "other funders"].map((t) => h("th", {}, t)))),
      h("tbody", {}, list.map((g) => h("tr", { dataset: { id: g.id } },
        h("td", {}, g.label), h("td", {}, money(g.totals)),
        h("td", {}, g.other_funders.length
          ? g.other_funders.map((o) => `${o.label} (${money(o.totals)})`).join("; ") : "none"))))));
  }
}
boot(async () => {
  const grants = await api(wsPath("/edges?kind=funds&limit=1000"));
  const funders = [...new Set(grants.items.map((e) => e.source))];
  const named = await Promise.all(funders.map((id) => api(wsPath(`/nodes/${encodeURIComponent(id)}`))));
  for (const n of named.sort(byLabel)) {
    document.getElementById("funder").append(option(n.id, n.label));
  }
  document.getElementById("funder").addEventListener("change", () => load().catch((e) => showError(document.querySelector("main"), e)));
  await load();
});
