"use strict";
/* What if …? The question lives in the page's address (whatif.html?w=W&without=a,b&
   stop_convening=c&disband=d&as_of=DATE), so a link opens with its answer; the answer is
   POST …/whatif, which writes nothing. */

const QUESTION = [
  { key: "without", label: "Organizations or people that leave", kinds: ["organization", "person"],
    placeholder: "type an organization's or a person's name" },
  { key: "stop_convening", label: "Organizations that stop convening (they stay as partners)",
    kinds: ["organization"], placeholder: "type an organization's name", only: "only organizations convene" },
  { key: "disband", label: "Constellations that disband", kinds: ["constellation"],
    placeholder: "type a constellation's name", only: "only constellations disband" },
];
const SEVERITIES = ["high", "medium", "low", "info"];
const pickers = {};
let asked = 0;

/** The ids the address names for one part of the question: a comma list, each id
    percent-encoded (so an id holding a comma survives). */
function idsInAddress(key) {
  for (const part of location.search.replace(/^\?/, "").split("&")) {
    const [name, value] = part.split("=");
    if (decodeURIComponent(name) === key && value) {
      return value.split(",").map((v) => decodeURIComponent(v.replace(/\+/g, " "))).filter(Boolean);
    }
  }
  return [];
}

/** The address of this question: the workspace, then each part as a comma list. */
function addressOf() {
  const parts = [`w=${encodeURIComponent(ws())}`];
  for (const q of QUESTION) {
    const ids = pickers[q.key].items().map((i) => encodeURIComponent(i.id));
    if (ids.length) parts.push(`${q.key}=${ids.join(",")}`);
  }
  const day = document.getElementById("as-of").value;
  if (day) parts.push(`as_of=${day}`);
  return `?${parts.join("&")}`;
}

/** A link to the map page focused on these records (and on the date asked about). */
function focusLink(ids, text) {
  const day = document.getElementById("as-of").value;
  const fragment = `focus=${[...new Set(ids)].map(encodeURIComponent).join(",")}` + (day ? `&as_of=${day}` : "");
  return h("a", { href: `${pageUrl("map.html")}#${fragment}`, class: "map-link" }, text);
}

function article(word) { return /^[aeiou]/.test(word) ? "an" : "a"; }

/** What the address names, read back as records: a missing id, or one of a kind that cannot
    do what it is asked (only organizations convene, only constellations disband), is kept on
    the page with the reason and left out of the question. */
async function fromAddress() {
  const wanted = QUESTION.flatMap((q) => idsInAddress(q.key).map((id) => ({ q, id })));
  const found = await Promise.all(wanted.map(async ({ q, id }) => {
    try {
      const n = await api(wsPath(`/nodes/${encodeURIComponent(id)}`));
      const fits = !q.only || q.kinds.includes(n.kind);
      return { q, item: { id: n.id, label: n.label, kind: n.kind,
        problem: fits ? null : `${article(n.kind)} ${n.kind.replace(/_/g, " ")}; ${q.only}` } };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && !/^No workspace/.test(error.message)) {
        return { q, item: { id, label: id, kind: null, problem: "not in this workspace" } };
      }
      throw error;
    }
  }));
  for (const q of QUESTION) pickers[q.key].set(found.filter((f) => f.q === q).map((f) => f.item));
  const wrong = found.filter((f) => f.item.problem);
  if (wrong.length) {
    const said = (f) => f.item.kind ? `is ${f.item.problem}`
      : "is not in this workspace: it may have been renamed, merged or deleted since the link was made";
    const box = h("div", { class: "error-box about-address", role: "alert", id: "address-problems" },
      "This link asks what happens if ", h("ul", {}, wrong.map((f) => h("li", {},
        h("strong", {}, `“${f.item.id}”`), ` ${f.q.key === "without" ? "leaves" : f.q.key === "disband" ? "disbands" : "stops convening"}, but it ${said(f)}.`))),
      `The answer below leaves ${wrong.length > 1 ? "them" : "it"} out: remove ${wrong.length > 1 ? "them" : "it"} `,
      "from the question (×), or pick another.");
    document.getElementById("status").append(box);
  }
}

function findingEntry(f) {
  return h("div", { class: "finding", dataset: { check: f.check, key: f.key } },
    severityBadge(f.severity), " ", h("span", { class: "muted" }, f.check.replace(/_/g, " ")), " ",
    f.message, " ", f.subjects.length ? focusLink(f.subjects.map((s) => s.id), "show on the map") : null,
    h("div", { class: "next" }, f.suggestion));
}

function bySeverity(a, b) { return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity); }

function render(result) {
  const section = document.getElementById("result");
  section.hidden = false;
  const delta = result.after.health - result.before.health;
  const sev = (side, s) => result[side].counts.by_severity[s] || 0;
  clear(document.getElementById("health")).append(
    h("h2", {}, "Health"),
    h("div", { class: "score", id: "health-change" },
      h("span", { id: "health-before" }, String(result.before.health)), " → ",
      h("span", { id: "health-after" }, String(result.after.health))),
    h("p", { class: "muted", id: "health-said" }, delta === 0 ? "The score would not change" :
      `The score would go ${delta > 0 ? "up" : "down"} ${Math.abs(delta)} point${Math.abs(delta) === 1 ? "" : "s"}`,
      ` (out of 100, as of ${result.as_of}). The findings by severity, now and after the change:`),
    h("table", { class: "compact" },
      h("thead", {}, h("tr", {}, ["findings", "now", "after"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, SEVERITIES.filter((s) => sev("before", s) || sev("after", s)).map((s) =>
        h("tr", {}, h("td", {}, severityBadge(s)), h("td", {}, String(sev("before", s))),
          h("td", {}, String(sev("after", s))))))));

  const leaderless = result.appeared.filter((f) => f.check === "leaderless_constellations");
  const groups = leaderless.map((f) => f.subjects[0]).sort(byLabel);
  const lbox = clear(document.getElementById("leaderless"));
  lbox.append(h("h2", {}, `Left with nobody convening (${groups.length})`));
  if (groups.length) {
    lbox.append(h("ul", { id: "leaderless-list" }, groups.map((g) => h("li", { dataset: { id: g.id } },
      g.label, " ", focusLink([g.id], "on the map")))),
      h("p", {}, focusLink(groups.map((g) => g.id), "Show them all on the map")));
  } else {
    lbox.append(h("p", { class: "muted" }, "Every active or forming group would still have a convener."));
  }

  const appeared = result.appeared.slice().sort(bySeverity);
  const breaks = clear(document.getElementById("breaks"));
  breaks.append(h("h2", {}, `What breaks (${appeared.length})`));
  if (appeared.length) {
    breaks.append(h("p", {}, focusLink(appeared.flatMap((f) => f.subjects.map((s) => s.id)),
      "Show everything that breaks on the map")),
    h("div", { class: "card", id: "appeared" }, appeared.map(findingEntry)));
  } else {
    breaks.append(h("p", { class: "muted" }, "Nothing new: no check finds a problem it did not find before."));
  }

  const resolved = result.resolved.slice().sort(bySeverity);
  const rbox = clear(document.getElementById("resolved"));
  rbox.append(h("h2", {}, `No longer a finding (${resolved.length})`));
  if (resolved.length) {
    rbox.append(h("p", { class: "muted" }, "Findings about what leaves or disbands end with it: "
      + "they are not fixed, only no longer there to find."),
    h("div", { class: "card", id: "resolved-list" }, resolved.map(findingEntry)));
  } else {
    rbox.append(h("p", { class: "muted" }, "None."));
  }
}

async function ask() {
  await Promise.all(QUESTION.map((q) => pickers[q.key].settled()));
  history.replaceState(null, "", addressOf());
  const body = {};
  for (const q of QUESTION) body[q.key] = pickers[q.key].items().filter((i) => !i.problem).map((i) => i.id);
  const day = document.getElementById("as-of").value;
  if (day) body.as_of = day;
  const status = document.getElementById("status");
  for (const box of status.querySelectorAll(".error-box:not(.about-address), .muted")) box.remove();
  const mine = ++asked;
  if (!QUESTION.some((q) => body[q.key].length)) {
    document.getElementById("result").hidden = true;
    status.append(h("p", { class: "muted", id: "empty" },
      "Pick at least one organization, person or constellation above to see what would change."));
    return;
  }
  status.append(h("p", { class: "muted", id: "working" }, "Running the audit with the change …"));
  try {
    const result = await api(wsPath("/whatif"), { method: "POST", body });
    if (mine !== asked) return;
    status.querySelector("#working")?.remove();
    render(result);
  } catch (error) {
    if (mine !== asked) return;
    status.querySelector("#working")?.remove();
    document.getElementById("result").hidden = true;
    showError(status, error);
  } finally {
    if (mine === asked) document.body.dataset.answered = String(mine);
  }
}

boot(async () => {
  const holder = document.getElementById("pickers");
  for (const q of QUESTION) {
    pickers[q.key] = picker({ id: `pick-${q.key}`, label: q.label, kinds: q.kinds,
                              placeholder: q.placeholder, onchange: ask });
    holder.append(pickers[q.key].element);
  }
  const day = params().get("as_of");
  const asOf = document.getElementById("as-of");
  if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) asOf.value = day;
  else if (day) {
    document.getElementById("status").append(h("div", { class: "error-box about-address", role: "alert", id: "date-problem" },
      `The link's date “${day}” is not a date: use YYYY-MM-DD, e.g. 2024-05-01. The answer below is for today.`));
  }
  asOf.addEventListener("change", ask);
  document.getElementById("question").addEventListener("submit", (event) => event.preventDefault());
  await fromAddress();
  await ask();
});
