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
/** The three lists' headings, the whole workspace's or one funder's view of them. */
function titles(name) {
  if (!name) return { joint: "Joint-funding opportunities", unfunded: "Active constellations with no funding",
                      cofunders: "Funders whose portfolios overlap" };
  return { joint: `Joint-funding opportunities on the goals ${name} funds`,
           unfunded: `Active constellations with no funding that fit ${name}’s portfolio`,
           cofunders: `Funders whose portfolios overlap ${name}’s` };
}
/** With a funder: which of an opportunity's groups it already funds. */
function alreadyFunds(f, name) {
  const ids = (f.evidence || {}).funder_already_funds;
  if (!ids) return null;
  const labels = Object.fromEntries(f.subjects.map((s) => [s.id, s.label]));
  return h("p", { class: "funder-note" }, ids.length
    ? `${name} already funds ${ids.map((id) => labels[id] || id).join(", ")}.`
    : `${name} funds none of these groups yet.`);
}
let funders = [];  // the organizations that fund something now (the report's `funders`)
async function load(funder) {
  const picker = document.getElementById("funder");
  const report = await api(wsPath(funder ? `/funding?funder=${encodeURIComponent(funder)}` : "/funding"));
  const q = params();
  if (funder) q.set("funder", funder); else q.delete("funder");
  history.replaceState(null, "", `?${q.toString()}`);
  if (!funders.length && report.funders.length) {
    funders = report.funders;
    for (const f of funders) picker.append(option(f.id, `${f.label} (${money(f.totals)})`));
  }
  if (funder && ![...picker.options].some((o) => o.value === funder)) picker.append(option(funder, funder));
  picker.value = funder;
  const chosen = funders.find((f) => f.id === funder);
  const name = funder ? (chosen ? chosen.label : funder) : null;
  const notes = clear(document.getElementById("notes"));
  if (chosen) notes.append(h("p", { id: "seen-from" }, `Seen from ${name}: ${chosen.grants} current grant`
    + `${chosen.grants === 1 ? "" : "s"}, ${money(chosen.totals)}. The three lists below are its view.`));
  for (const n of report.notes || []) notes.append(h("p", { class: "muted" }, n));
  const t = titles(name);
  for (const [id, list, title] of [["joint", report.joint_opportunities, t.joint],
                                   ["unfunded", report.unfunded, t.unfunded],
                                   ["cofunders", report.co_funders, t.cofunders]]) {
    const box = clear(document.getElementById(id));
    box.append(h("h2", {}, `${title} (${list.length})`));
    if (!list.length) box.append(h("p", { class: "muted" }, "None."));
    list.forEach((f) => {
      const card = entry(f);
      if (id === "joint" && name) card.insertBefore(alreadyFunds(f, name), card.children[1] || null);
      box.append(card);
    });
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
  const picker = document.getElementById("funder");
  picker.addEventListener("change", () => load(picker.value).catch((e) => showError(document.querySelector("main"), e)));
  await load(params().get("funder") || "");
});
