"use strict";
function showResults(list, who) {
  const box = clear(document.getElementById("results"));
  box.append(h("h2", {}, `Constellations ${who} could join`));
  if (!list.length) { box.append(h("p", {}, "Nothing to recommend.")); return; }
  box.append(h("ol", { id: "ranked" }, list.map((r) => h("li", { class: "card", dataset: { id: r.constellation.id } },
    h("strong", {}, r.constellation.label), ` — score ${r.score}`,
    h("div", { class: "parts" }, Object.entries(r.parts).map(([k, p]) =>
      h("span", { title: p.detail }, `${k.replace("_", " ")}: ${p.points}/${p.weight}`))),
    h("p", {}, r.reason),
    mapLink(r.constellation.id)))));
}
boot(async () => {
  const [orgs, goals, schema] = await Promise.all([
    api(wsPath("/nodes?kind=organization&limit=1000")), api(wsPath("/nodes?kind=goal&limit=1000")),
    api("/api/schema"),
  ]);
  const sorted = orgs.items.slice().sort(byLabel);
  for (const o of sorted) {
    document.getElementById("org").append(option(o.id, o.label));
    document.getElementById("partners").append(option(o.id, o.label));
  }
  for (const g of goals.items) document.getElementById("goals").append(option(g.id, g.label));
  const orgKind = schema.node_kinds.find((k) => k.name === "organization");
  for (const s of orgKind.properties.sector.enum) document.getElementById("sector").append(option(s, s));

  document.getElementById("by-org").addEventListener("submit", async (event) => {
    event.preventDefault();
    const sel = document.getElementById("org");
    try {
      showResults(await api(wsPath(`/recommendations?org=${encodeURIComponent(sel.value)}&limit=10`)),
                  sel.options[sel.selectedIndex].text);
    } catch (error) { showError(clear(document.getElementById("results")), error); }
  });
  document.getElementById("by-profile").addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = (id) => [...document.getElementById(id).selectedOptions].map((o) => o.value);
    const body = { sector: document.getElementById("sector").value || null,
                   goals: picked("goals"), partners: picked("partners") };
    try {
      showResults(await api(wsPath("/recommendations"), { method: "POST", body }), "your organization");
    } catch (error) { showError(clear(document.getElementById("results")), error); }
  });
});
