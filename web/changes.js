"use strict";
/* What changed: between two dates (changes.html?w=W&from=DATE&to=DATE, GET …/audit/diff) the
   records added and ended and the findings that appeared and were resolved, by label and kind;
   the workspace's change log (GET …/changes) with filters and pages; and one record's history
   (changes.html?w=W&record=ID, GET …/{nodes|edges}/{id}/changes), where editors can give it
   back the values of an older version (POST …/versions/{n}/restore: a new version, logged). */

const SEVERITIES = ["high", "medium", "low", "info"];
const PAGE = 25;
const HISTORY_PAGE = 50;
const ACTIONS = { create: "added", update: "changed", archive: "archived",
                  restore: "restored from the archive", delete: "deleted",
                  accepted: "accepted", declined: "declined" };
const ENTITIES = { node: "record", edge: "tie", workspace: "workspace", map_view: "saved map view",
                   join_request: "request to join" };
let kindTitles = {};  // node kind → its title, from /api/schema
let logState = { offset: 0, record: null, actor: "", entity: "", between: false };
let dates = { from: "", to: "" };

// ------------------------------------------------------------------ small helpers

function isDay(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text || "") && !Number.isNaN(Date.parse(text));
}

function localDay(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The same day a year earlier (28 February for 29 February). */
function yearBefore(day) {
  const [y, m, d] = day.split("-").map(Number);
  const back = new Date(y - 1, m - 1, d);
  if (back.getMonth() !== m - 1) back.setDate(0);
  return localDay(back);
}

function plural(n, word, many) { return `${n} ${n === 1 ? word : many || word + "s"}`; }

function words(name) { return String(name).replace(/_/g, " "); }

function kindTitle(kind) { return kindTitles[kind] || words(kind); }

/** A field of a logged record as people call it. */
function fieldName(field) {
  const named = { label: "name", source: "from", target: "to", valid_from: "valid from",
                  valid_to: "valid until", tags: "tags" };
  if (named[field]) return named[field];
  const [group, ...rest] = field.split(".");
  const key = words(rest.join("."));
  return group === "attributes" ? `${key} (attribute)` : key;
}

/** A logged value as text: words and numbers as they are, lists of words joined, the rest
    as JSON cut short. */
function shown(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
  const text = JSON.stringify(value);
  return text.length > 160 ? text.slice(0, 157) + "…" : text;
}

function when(at) { return String(at).slice(0, 16).replace("T", " "); }

function historyUrl(entity, id) { return pageUrl("changes.html", { record: id, entity }); }

function historyLink(entity, id, text) {
  return h("a", { href: historyUrl(entity, id), class: "history-link" }, text);
}

function changedList(changes, max) {
  if (!changes.length) return h("span", { class: "muted" }, "no values changed");
  const list = h("ul", { class: "changed" }, changes.slice(0, max).map((c) =>
    h("li", { dataset: { field: c.field } }, h("span", { class: "field" }, fieldName(c.field)), ": ",
      h("span", { class: "was" }, shown(c.before)), " → ", h("span", { class: "now" }, shown(c.after)))));
  if (changes.length > max) list.append(h("li", { class: "muted" }, `and ${changes.length - max} more`));
  return list;
}

function canEdit() { return session.signed_in && ["editor", "admin"].includes(session.role); }

// ------------------------------------------------------------------ between two dates

function mapHref() {
  return `${pageUrl("map.html")}#from=${dates.from}&to=${dates.to}`;
}

/** A group of named things, folded when long so the meeting's page stays readable. */
function group(title, items, id) {
  const open = items.length <= 8;
  return h("details", { class: "group-list", open, id },
    h("summary", {}, `${title} (${items.length})`), h("ul", {}, items));
}

function byKind(list, key) {
  const out = new Map();
  for (const item of list) {
    if (!out.has(item[key])) out.set(item[key], []);
    out.get(item[key]).push(item);
  }
  return [...out.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

/** The ties a stewardship meeting asks about first; the rest by how many changed. */
const FIRST_TIES = ["convenes", "participates_in", "funds", "signs", "advances"];

function recordsCard(card, title, nodes, edges, side) {
  clear(card).append(h("h2", {}, `${title} (${nodes.length + edges.length})`));
  if (!nodes.length && !edges.length) {
    card.append(h("p", { class: "muted" }, side === "added" ? "Nothing began between these dates."
      : "Nothing ended between these dates."));
    return;
  }
  for (const [kind, list] of byKind(nodes, "kind")) {
    const many = kind === "person" ? "People" : `${kindTitle(kind)}s`;
    card.append(group(list.length === 1 ? kindTitle(kind) : many,
      list.sort(byLabel).map((n) => h("li", { dataset: { id: n.id, kind: n.kind } },
        h("span", { class: "label" }, n.label), " ", historyLink("node", n.id, "history"))),
      `${side}-nodes-${kind}`));
  }
  const rank = (kind) => (FIRST_TIES.includes(kind) ? FIRST_TIES.indexOf(kind) : FIRST_TIES.length);
  const tieGroups = byKind(edges, "kind").sort((a, b) => rank(a[0]) - rank(b[0]));
  for (const [kind, list] of tieGroups) {
    const said = (e) => `${e.source_label} ${words(e.kind)} ${e.target_label}`;
    card.append(group(`ties: ${words(kind)}`,
      list.sort((a, b) => said(a).localeCompare(said(b))).map((e) => h("li", { dataset: { id: e.id, kind: e.kind } },
        h("span", { class: "label" }, said(e)), " ", historyLink("edge", e.id, "history"))),
      `${side}-edges-${kind}`));
  }
}

function findingsCard(card, title, findings, checks, none) {
  clear(card).append(h("h2", {}, `${title} (${findings.length})`));
  if (!findings.length) { card.append(h("p", { class: "muted" }, none)); return; }
  const worst = (list) => Math.min(...list.map((f) => SEVERITIES.indexOf(f.severity)));
  const groups = byKind(findings, "check").sort((a, b) => worst(a[1]) - worst(b[1]));
  for (const [check, list] of groups) {
    list.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    card.append(group(checks[check] || words(check), list.map((f) =>
      h("li", { class: "finding", dataset: { check: f.check, key: f.key } },
        severityBadge(f.severity), " ", f.message)), `${card.id}-${check}`));
  }
}

function renderBetween(d) {
  const section = document.getElementById("between");
  section.hidden = false;
  const delta = d.health.to - d.health.from;
  clear(document.getElementById("summary")).append(
    h("strong", {}, `Between ${d.from} and ${d.to}`), ": health ",
    h("span", { id: "health-from" }, String(d.health.from)), " → ",
    h("span", { id: "health-to" }, String(d.health.to)),
    delta ? ` (${delta > 0 ? "+" : "−"}${Math.abs(delta)})` : " (no change)", "; ",
    `${plural(d.nodes.added.length, "record")} and ${plural(d.edges.added.length, "tie")} added, `,
    `${plural(d.nodes.ended.length, "record")} and ${plural(d.edges.ended.length, "tie")} ended; `,
    `${plural(d.findings.appeared.length, "finding")} appeared, ${d.findings.resolved.length} resolved, `,
    `${d.findings.persisting} unchanged.`);
  recordsCard(document.getElementById("added"), "Added", d.nodes.added, d.edges.added, "added");
  recordsCard(document.getElementById("ended"), "Ended", d.nodes.ended, d.edges.ended, "ended");
  findingsCard(document.getElementById("appeared"), "Findings that appeared", d.findings.appeared,
    d.checks, "No check finds anything it did not find on the first date.");
  findingsCard(document.getElementById("resolved"), "Findings resolved", d.findings.resolved,
    d.checks, "Every finding of the first date is still there.");
}

let asked = 0;
async function loadBetween() {
  const status = clear(document.getElementById("status"));
  const mine = ++asked;
  const q = params(); q.set("from", dates.from); q.set("to", dates.to);
  history.replaceState(null, "", `?${q.toString()}`);
  document.getElementById("map-link").href = mapHref();
  if (!(dates.from < dates.to)) {
    document.getElementById("between").hidden = true;
    status.append(h("div", { class: "error-box", role: "alert", id: "dates-problem" },
      `From (${dates.from}) must come before To (${dates.to}): pick an earlier From or a later To.`));
    return;
  }
  status.append(h("p", { class: "muted", id: "working" }, "Comparing the two dates …"));
  try {
    const d = await api(wsPath(`/audit/diff?${new URLSearchParams({ from: dates.from, to: dates.to })}`));
    if (mine !== asked) return;
    clear(status);
    renderBetween(d);
  } catch (error) {
    if (mine !== asked) return;
    clear(status);
    document.getElementById("between").hidden = true;
    showError(status, error);
  } finally {
    if (mine === asked) document.body.dataset.compared = `${dates.from}/${dates.to}`;
  }
}

// ------------------------------------------------------------------ the change log

function logRow(c) {
  const what = ["node", "edge"].includes(c.entity)
    ? historyLink(c.entity, c.entity_id, c.label || c.entity_id)
    : h("span", {}, c.label || c.entity_id);
  const kind = (c.after || c.before || {}).kind;
  const sort = c.entity === "edge" ? "tie" : c.entity === "node" && kind ? kindTitle(kind).toLowerCase()
    : ENTITIES[c.entity] || words(c.entity);
  const about = [c.entity === "edge" && kind ? words(kind) : null, c.version ? `version ${c.version}` : null]
    .filter(Boolean).join(" · ");
  // a new tie's ends are in its name already
  const fields = c.entity === "edge" && c.action === "create"
    ? c.changed.filter((f) => !["source", "target"].includes(f.field)) : c.changed;
  return h("tr", { dataset: { entity: c.entity, id: c.entity_id, version: c.version ?? "" } },
    h("td", { class: "date" }, when(c.at)),
    h("td", {}, c.actor || h("span", { class: "muted" }, "—")),
    h("td", {}, h("span", { class: "action" }, ACTIONS[c.action] || words(c.action)), " ",
      h("span", { class: "muted" }, sort), " ", what, about ? h("span", { class: "muted" }, ` (${about})`) : null),
    h("td", {}, ["node", "edge"].includes(c.entity) ? changedList(fields, 4) : null));
}

let logAsked = 0;
async function loadLog() {
  const mine = ++logAsked;
  const q = new URLSearchParams({ limit: String(PAGE + 1), offset: String(logState.offset) });
  if (logState.record) q.set("record", logState.record);
  if (logState.actor) q.set("actor", logState.actor);
  if (logState.entity) q.set("entity", logState.entity);
  if (logState.between && dates.from && dates.to && dates.from <= dates.to) {
    q.set("since", dates.from); q.set("until", dates.to);
  }
  const status = clear(document.getElementById("log-status"));
  const body = clear(document.querySelector("#log tbody"));
  let rows;
  try {
    rows = await api(wsPath(`/changes?${q}`));
  } catch (error) {
    if (mine === logAsked) showError(status, error);
    return;
  }
  if (mine !== logAsked) return;
  const more = rows.length > PAGE;
  rows = rows.slice(0, PAGE);
  for (const c of rows) body.append(logRow(c));
  if (!rows.length) status.append(h("p", { class: "muted", id: "log-empty" }, "No change matches."));
  document.getElementById("newer").disabled = logState.offset === 0;
  document.getElementById("older").disabled = !more;
  document.getElementById("page-note").textContent = rows.length
    ? `changes ${logState.offset + 1}–${logState.offset + rows.length}${more ? "" : " (the oldest)"}` : "";
  document.body.dataset.logLoaded = String(mine);
}

function logFilters() {
  const holder = document.getElementById("log-filters");
  const record = picker({ id: "log-record", label: "Record", kinds: [""], placeholder: "type a record's name",
    onchange: (items) => {
      if (items.length > 1) { record.set(items.slice(-1)); }
      logState.record = items.length ? items[items.length - 1].id : null;
      logState.offset = 0; loadLog();
    } });
  const entity = h("select", { id: "log-entity" }, option("", "everything"), option("node", "records"),
    option("edge", "ties"), option("workspace", "the workspace"), option("map_view", "saved map views"),
    option("join_request", "requests to join"));
  entity.addEventListener("change", () => { logState.entity = entity.value; logState.offset = 0; loadLog(); });
  const between = h("input", { type: "checkbox", id: "log-between" });
  between.addEventListener("change", () => { logState.between = between.checked; logState.offset = 0; loadLog(); });
  holder.append(record.element, h("label", { for: "log-entity" }, "Show ", entity));
  if (session.signed_in) {
    const who = h("input", { type: "search", id: "log-who", placeholder: "a name or token" });
    let timer = null;
    who.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { logState.actor = who.value.trim(); logState.offset = 0; loadLog(); }, 250);
    });
    holder.append(h("label", { for: "log-who" }, "Who ", who));
  } else {
    holder.append(h("span", { class: "muted", id: "who-note" }, "Sign in to see and filter who made each change."));
  }
  holder.append(h("label", { for: "log-between" }, between, " only edits made between the two dates"));
  document.getElementById("newer").addEventListener("click", () => {
    logState.offset = Math.max(0, logState.offset - PAGE); loadLog();
  });
  document.getElementById("older").addEventListener("click", () => { logState.offset += PAGE; loadLog(); });
}

// ------------------------------------------------------------------ one record's history

/** The record the address names, as it is now (null once deleted), and whether it is a node
    or a tie: the address may say (`entity=`), else a node is looked for first. */
async function findRecord(id, entity) {
  const sorts = entity === "edge" ? ["edge"] : entity === "node" ? ["node"] : ["node", "edge"];
  for (const sort of sorts) {
    try {
      return { entity: sort, current: await api(wsPath(`/${sort}s/${encodeURIComponent(id)}`)) };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || /^No workspace/.test(error.message)) throw error;
    }
  }
  for (const sort of sorts) {  // deleted: its history is kept
    try {
      const log = await api(wsPath(`/${sort}s/${encodeURIComponent(id)}/changes?limit=1`));
      if (log.length) return { entity: sort, current: null };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404) || /^No workspace/.test(error.message)) throw error;
    }
  }
  return null;
}

/** What makes a version's values, as one text to compare (bookkeeping aside). */
function valuesOf(record) {
  const sorted = (o) => Object.fromEntries(Object.entries(o || {}).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([record.label, record.source, record.target, record.valid_from || null,
    record.valid_to || null, record.tags || [], sorted(record.properties), sorted(record.attributes)]);
}

/** For a change that gave the record the values of an older version (a restore), that
    version's number: the earliest older one with the very same values. */
function sameAsOlder(c, all) {
  if (c.action !== "update" || !c.after) return null;
  const mine = valuesOf(c.after);
  const older = all.filter((o) => o.after && o.version < c.version && o.action !== "delete")
    .sort((a, b) => a.version - b.version).find((o) => valuesOf(o.after) === mine);
  return older ? older.version : null;
}

/** A tie's ends by label where the history names them by id. */
function endValue(f, value, state) {
  return ["source", "target"].includes(f.field) && value && state.labels[value] ? state.labels[value] : shown(value);
}

function versionItem(c, state) {
  const back = sameAsOlder(c, state.loaded);
  const item = h("li", { class: "card version", dataset: { version: c.version ?? "", action: c.action } },
    h("div", { class: "version-head" },
      h("strong", {}, c.version ? `Version ${c.version}` : "—"), " · ",
      h("span", { class: "action" }, ACTIONS[c.action] || words(c.action)),
      back ? h("span", { class: "back-to", dataset: { to: back } }, ` back to the values of version ${back}`) : null, " · ",
      h("span", { class: "date" }, `${when(c.at)} UTC`), " · ",
      c.actor || h("span", { class: "muted" }, "who: shown to signed-in readers"),
      state.current && c.version === state.current.version ? h("span", { class: "badge current" }, "current") : null));
  if (c.changed.length) {
    item.append(h("table", { class: "compact changes" },
      h("thead", {}, h("tr", {}, ["", "before", "after"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, c.changed.map((f) => h("tr", { dataset: { field: f.field } },
        h("th", { scope: "row" }, fieldName(f.field)), h("td", { class: "was" }, endValue(f, f.before, state)),
        h("td", { class: "now" }, endValue(f, f.after, state)))))));
  } else {
    item.append(h("p", { class: "muted" }, "No value changed."));
  }
  const restorable = c.after && c.action !== "delete" && state.current && c.version !== state.current.version;
  if (restorable && canEdit()) {
    item.append(h("button", { type: "button", class: "restore", dataset: { version: c.version },
      onclick: (event) => restoreVersion(state, c.version, event.target) }, "Restore this version"));
  }
  return item;
}

async function loadVersions(state, offset) {
  const path = `/${state.entity}s/${encodeURIComponent(state.id)}/changes`;
  const found = await api(wsPath(`${path}?${new URLSearchParams({ limit: String(HISTORY_PAGE + 1), offset: String(offset) })}`));
  const list = document.getElementById("versions");
  if (offset === 0) { clear(list); state.loaded = []; }
  const shownNow = found.slice(0, HISTORY_PAGE);
  state.loaded.push(...shownNow);
  if (state.entity === "edge") await endLabels(state, shownNow);
  for (const c of shownNow) list.append(versionItem(c, state));
  const more = document.getElementById("more-versions");
  more.hidden = found.length <= HISTORY_PAGE;
  more.onclick = () => loadVersions(state, offset + HISTORY_PAGE);
  return found;
}

/** The labels of the nodes a tie's history names (its ends, now and before). */
async function endLabels(state, changes) {
  const ids = new Set(changes.flatMap((c) => c.changed.filter((f) => ["source", "target"].includes(f.field))
    .flatMap((f) => [f.before, f.after])).filter((v) => typeof v === "string" && !(v in state.labels)));
  await Promise.all([...ids].map(async (nid) => {
    try {
      state.labels[nid] = (await api(wsPath(`/nodes/${encodeURIComponent(nid)}`))).label;
    } catch (error) { /* deleted since: its id it is */ }
  }));
}

async function showHistory(id, entity) {
  document.getElementById("between-page").hidden = true;
  const section = document.getElementById("history");
  section.hidden = false;
  document.getElementById("back").href = pageUrl("changes.html");
  const about = clear(document.getElementById("history-about"));
  const found = await findRecord(id, entity);
  if (!found) {
    document.getElementById("title").textContent = "History";
    about.append(h("span", { class: "error-box", role: "alert", id: "no-record" },
      `Nothing called “${id}” was ever recorded in this workspace: the link may be mistyped.`));
    return;
  }
  const state = { id, entity: found.entity, current: found.current, loaded: [], labels: {} };
  const log = await loadVersions(state, 0);
  const name = state.current ? (state.current.label || (log[0] && log[0].label) || id)
    : ((log[0] && log[0].label) || id);
  document.getElementById("title").textContent = `History of ${name}`;
  document.title = `History of ${name} · Constellation`;
  const kind = state.current ? state.current.kind : ((log[0] && (log[0].before || log[0].after) || {}).kind);
  about.append(...[h("span", { id: "record-kind" }, state.entity === "edge" ? `A ${words(kind || "")} tie` : kindTitle(kind || "record")),
    state.current ? ` · now version ${state.current.version}` : " · deleted: its history is kept, and it can be added again on the edit page",
    state.current && state.current.archived_at ? " · archived" : "",
    state.current && state.entity === "node" ? h("span", {}, " · ", mapLink(id)) : null].filter(Boolean));
  if (state.current && !canEdit()) {
    about.append(h("div", { class: "muted", id: "restore-note" },
      "Editors can give the record back the values of an older version: sign in with an editor's token."));
  }
}

async function restoreVersion(state, version, button) {
  const status = clear(document.getElementById("restore-status"));
  button.disabled = true;
  try {
    const path = `/${state.entity}s/${encodeURIComponent(state.id)}/versions/${version}/restore`;
    const record = await api(wsPath(path), { method: "POST", headers: { "If-Match": `"${state.current.version}"` } });
    const same = record.version === state.current.version;
    state.current = record;
    status.append(h("div", { class: "ok-box", role: "status", id: "restored" }, same
      ? `It already has the values of version ${version}: nothing changed.`
      : `Restored the values of version ${version}: the record is now version ${record.version}, `
        + "and the history keeps every version before it."));
    await loadVersions(state, 0);
    const about = document.getElementById("history-about");
    for (const el of about.childNodes) {
      if (el.nodeType === 3 && /now version/.test(el.textContent)) el.textContent = ` · now version ${record.version}`;
    }
  } catch (error) {
    button.disabled = false;
    if (error instanceof ApiError && error.status === 412) {
      status.append(h("div", { class: "error-box", role: "alert", id: "conflict" },
        "Someone changed this record since you opened its history, so nothing was restored (",
        error.message, "). ",
        h("a", { href: location.href }, "Reload the history"), " to see their change, then choose again."));
    } else if (error instanceof ApiError && error.status === 409) {
      const existing = error.problem.existing_id;
      status.append(h("div", { class: "error-box", role: "alert", id: "conflict" },
        `Nothing was restored: ${error.message}`, existing ? " " : "",
        existing ? historyLink("edge", existing, "See the existing tie's history.") : null));
    } else {
      showError(status, error);
    }
  }
}

// ------------------------------------------------------------------ the page

boot(async () => {
  try {
    const schema = await api("/api/schema");
    kindTitles = Object.fromEntries(schema.node_kinds.map((k) => [k.name, k.title]));
  } catch (error) { /* kinds by their names then */ }
  const record = params().get("record");
  if (record) {
    await showHistory(record, params().get("entity"));
    return;
  }
  const note = document.getElementById("dates-note");
  const today = localDay(new Date());
  const asked = { from: params().get("from"), to: params().get("to") };
  const wrong = Object.entries(asked).filter(([, v]) => v && !isDay(v));
  dates.to = isDay(asked.to) ? asked.to : today;
  dates.from = isDay(asked.from) ? asked.from : yearBefore(dates.to);
  if (wrong.length) {
    document.getElementById("status").before(h("div", { class: "error-box", role: "alert", id: "date-problem" },
      wrong.map(([k, v]) => `The link's ${k} date “${v}” is not a date: use YYYY-MM-DD, e.g. 2024-05-01. `).join(""),
      "The page shows the default instead."));
  }
  if (!asked.from || !isDay(asked.from)) {
    note.textContent = `Without a From date in the address, this starts a year before To (${dates.from}): `
      + "pick the day of your last meeting.";
  }
  const from = document.getElementById("from"), to = document.getElementById("to");
  from.value = dates.from; to.value = dates.to;
  const changed = () => {
    if (!isDay(from.value) || !isDay(to.value)) return;
    dates = { from: from.value, to: to.value };
    note.textContent = "";
    loadBetween();
    if (logState.between) { logState.offset = 0; loadLog(); }
  };
  from.addEventListener("change", changed);
  to.addEventListener("change", changed);
  document.getElementById("dates").addEventListener("submit", (event) => event.preventDefault());
  logFilters();
  await Promise.all([loadBetween(), loadLog()]);
});
