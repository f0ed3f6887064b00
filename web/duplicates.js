"use strict";
/* GET …/dedupe as a table, and a merge per pair (POST …/nodes/{keep}/merge, editor). */

async function loadPairs() {
  const kind = document.getElementById("kind").value;
  const report = await api(wsPath(`/dedupe?kind=${encodeURIComponent(kind)}`));
  const box = clear(document.getElementById("pairs"));
  box.append(h("h2", {}, `Likely duplicates (${report.pairs.length})`));
  if (!report.pairs.length) {
    box.append(h("p", { class: "muted" }, "None: no two records look like one."));
    return;
  }
  const head = h("tr", {}, ["score", "one record", "the other", "why", "merge"].map((t) => h("th", {}, t)));
  const rows = report.pairs.map((p) => h("tr", { class: "pair", dataset: { a: p.a.id, b: p.b.id } },
    h("td", {}, p.score.toFixed(2)),
    h("td", {}, p.a.label, h("div", { class: "muted" }, p.a.id)),
    h("td", {}, p.b.label, h("div", { class: "muted" }, p.b.id)),
    h("td", {}, p.reasons.join(", "), h("div", { class: "muted" }, (p.details || []).join("; "))),
    h("td", {},
      h("button", { type: "button", class: "secondary keep-a", disabled: !session.signed_in,
                    onclick: () => mergePair(p.a, p.b) }, `Keep ${p.a.label}`), " ",
      h("button", { type: "button", class: "secondary keep-b", disabled: !session.signed_in,
                    onclick: () => mergePair(p.b, p.a) }, `Keep ${p.b.label}`))));
  box.append(h("table", {}, h("thead", {}, head), h("tbody", {}, rows)));
}

async function mergePair(keep, other) {
  const status = clear(document.getElementById("status"));
  try {
    const r = await api(wsPath(`/nodes/${encodeURIComponent(keep.id)}/merge`),
                        { method: "POST", body: { other: other.id } });
    const said = `${other.label} was merged into ${keep.label}: ${r.moved.length} tie(s) moved, ` +
      `${Object.keys(r.combined).length} combined with ties it had, ${r.dropped.length} between the two ended.`;
    const box = h("div", { class: "ok-box", role: "status", id: "merged" }, said);
    if (r.conflicts.length) {
      box.append(h("ul", {}, r.conflicts.map((c) =>
        h("li", {}, `${c.field}: kept ${JSON.stringify(c.kept)}, not ${JSON.stringify(c.dropped)}`))));
    }
    status.append(box);
    await loadPairs();
  } catch (error) {
    showError(status, error);
  }
}

boot(async () => {
  const schema = await api("/api/schema");
  const picker = document.getElementById("kind");
  for (const k of schema.node_kinds) picker.append(option(k.name, k.title || k.name, k.name === "organization"));
  if (!session.signed_in) {
    document.getElementById("status").append(
      h("p", { class: "muted" }, "Sign in with an editor token at the top of the page to merge."));
  }
  picker.addEventListener("change", () => loadPairs().catch((e) => showError(document.querySelector("main"), e)));
  await loadPairs();
});
