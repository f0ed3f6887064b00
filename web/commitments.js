"use strict";
/* The stewardship group's view of the signers' commitments (GET …/commitments): by signer or
   by goal, each with its status, whether it is stale, and its dated progress notes. */

const STATUS = { not_started: "not started", in_progress: "in progress", fulfilled: "fulfilled",
                 withdrawn: "withdrawn" };

boot(async () => {
  const radios = [...document.querySelectorAll("#by input[name=by]")];
  const onlyStale = document.getElementById("only-stale");
  const wanted = params().get("by") === "goal" ? "goal" : "signer";
  for (const r of radios) r.checked = r.value === wanted;
  onlyStale.checked = params().get("stale") === "1";

  const cache = new Map();  // by → report, fetched once each
  const load = async (by) => {
    if (!cache.has(by)) {
      const q = new URLSearchParams({ by });
      if (params().get("as_of")) q.set("as_of", params().get("as_of"));
      cache.set(by, await api(wsPath(`/commitments?${q.toString()}`)));
    }
    return cache.get(by);
  };

  const render = async () => {
    const by = radios.find((r) => r.checked).value;
    const q = params(); q.set("by", by);
    if (onlyStale.checked) q.set("stale", "1"); else q.delete("stale");
    history.replaceState(null, "", `?${q.toString()}`);
    const report = await load(by);
    document.getElementById("months").textContent = String(report.stale_commitment_months);
    summary(document.getElementById("summary"), report);
    lapsed(clear(document.getElementById("lapsed")), report);
    const holder = clear(document.getElementById("groups"));
    if (!report.total) {
      holder.append(h("p", { class: "muted" }, "No signer has commitments on record."));
      return;
    }
    const groups = report.groups
      .map((g) => ({ ...g, shown: g.commitments.filter((c) => !onlyStale.checked || c.stale) }))
      .filter((g) => g.shown.length);
    if (!groups.length) holder.append(h("p", { class: "muted" }, "No commitment is stale."));
    for (const g of groups) holder.append(groupCard(g, report.by));
  };
  for (const r of radios) r.addEventListener("change", render);
  onlyStale.addEventListener("change", render);
  await render();
});

/** "14 commitments on 2026-06-01: 9 in progress, 4 fulfilled, 1 withdrawn; 2 stale." */
function summary(el, report) {
  const parts = Object.entries(report.by_status).filter(([, n]) => n).map(([s, n]) => `${n} ${STATUS[s]}`);
  clear(el).append(`${report.total} commitment${report.total === 1 ? "" : "s"} of `,
    `${new Set(report.groups.flatMap((g) => g.commitments.map((c) => c.signer.id))).size} signers on ${report.as_of}`,
    parts.length ? `: ${parts.join(", ")}` : "", "; ",
    h("strong", {}, `${report.stale} stale`), ".");
}

/** The signers with nothing left standing: every commitment withdrawn or stale. */
function lapsed(el, report) {
  if (!report.lapsed_signers.length) return;
  el.append(h("div", { class: "card lapsed" },
    h("strong", {}, "Every commitment withdrawn or stale: "),
    report.lapsed_signers.map((s, i) => h("span", { dataset: { id: s.id } }, i ? ", " : "", s.label)),
    h("div", { class: "muted" }, "Raise it with their deputies on the stewardship group: renew a "
      + "commitment they can keep, or review whether they still sign the agreement.")));
}

function groupCard(g, by) {
  const title = g.subject ? g.subject.label : "No goal named";
  const counts = Object.entries(g.by_status).filter(([, n]) => n).map(([s, n]) => `${n} ${STATUS[s]}`);
  const other = by === "signer" ? "Goal" : "Signer";
  return h("section", { class: "card group", dataset: { id: g.subject ? g.subject.id : "" } },
    h("h2", {}, g.subject && by === "signer" ? mapLink(g.subject.id, title) : title),
    h("p", { class: "muted counts" }, counts.join(", "), g.stale ? `; ${g.stale} stale` : ""),
    h("table", { class: "commitments" },
      h("thead", {}, h("tr", {}, ["Commitment", other, "Status", "Last progress", "Progress notes"]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, g.shown.map((c) => row(c, by)))));
}

function row(c, by) {
  const across = by === "signer" ? c.goal : c.signer;
  return h("tr", { class: c.stale ? "flag-stale" : null,
                   dataset: { signer: c.signer.id, commitment: c.id, edge: c.edge } },
    h("td", { class: "text" }, c.text, c.strategy ? h("div", { class: "muted strategy" }, c.strategy) : null),
    h("td", {}, across ? across.label : h("span", { class: "muted" }, "none named")),
    h("td", {}, statusBadge(c.status), c.stale ? [" ", staleBadge(c)] : null),
    h("td", { class: "date" }, c.last_progress || h("span", { class: "muted" }, "none")),
    h("td", {}, notes(c)));
}

function statusBadge(status) {
  return h("span", { class: `badge status status-${status}` }, STATUS[status] || status);
}

function staleBadge(c) {
  const since = c.last_progress ? `no progress note since ${c.last_progress}`
    : c.counted_from ? `no progress note since it was signed on ${c.counted_from}` : "no progress note and no date";
  return h("span", { class: "badge sev-medium stale", title: since },
    c.months_since !== null ? `stale ${c.months_since} months` : "stale");
}

/** The progress notes, newest first, each with its date. */
function notes(c) {
  if (!c.progress.length) return h("span", { class: "muted" }, "no progress note yet");
  return h("ul", { class: "notes" }, c.progress.slice().reverse().map((n) =>
    h("li", {}, h("time", { datetime: n.date }, n.date), " ", n.note)));
}
