/* The edit page's ties over time: pick a node and see every tie it has (current, ended, not
   yet begun, archived); open one to change any property of its kind (the form comes from
   /api/schema), its dates and tags; end it ("stopped on DATE" sets valid_to), archive,
   restore or delete it. Every change sends If-Match with the version read, and a conflict
   says so and offers the current version. The ends of a new tie are type-ahead pickers
   over the whole workspace. */
"use strict";

let editingEdge = null;  // {id, etag, record} of the tie being changed, or null for a new one
let tieNode = null;      // the node whose ties are listed
let edgeEnds = {};       // the From and To pickers of a new tie
const labels = new Map();  // node id → {label, kind}, read once

function today() { return new Date().toISOString().slice(0, 10); }

function dayAfter(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Where a tie stands on a date: archived, ended, not yet begun, or current. */
function tieState(e, day) {
  if (e.archived_at) return "archived";
  if (e.valid_to && e.valid_to < day) return "ended";
  if (e.valid_from && e.valid_from > day) return "not yet";
  return "current";
}

/** The labels of these nodes, each asked for once (a deleted one keeps its id). */
async function labelsOf(ids) {
  const missing = [...new Set(ids)].filter((id) => !labels.has(id));
  await Promise.all(missing.map(async (id) => {
    try {
      const n = await api(wsPath(`/nodes/${encodeURIComponent(id)}`));
      labels.set(id, { label: n.label, kind: n.kind });
    } catch (error) { labels.set(id, { label: id, kind: "" }); }
  }));
}

function nameOf(id) { return (labels.get(id) || { label: id }).label; }

/** Every tie of a node, archived ones too, page after page. */
async function tiesOf(nodeId) {
  const ties = [];
  let cursor = null;
  do {
    const q = new URLSearchParams({ node: nodeId, include_archived: "true", limit: "500" });
    if (cursor) q.set("cursor", cursor);
    const page = await api(wsPath(`/edges?${q}`));
    ties.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return ties;
}

/** List the ties of a node: kind, the other end, dates, state, and a button to open each. */
async function showTies(node) {
  tieNode = node;
  const box = clear(document.getElementById("tie-list"));
  if (!node) return;
  let ties;
  try { ties = await tiesOf(node.id); } catch (error) { showError(box, error); return; }
  labels.set(node.id, { label: node.label, kind: node.kind });
  await labelsOf(ties.flatMap((e) => [e.source, e.target]));
  if (!ties.length) { box.append(h("p", { class: "muted", id: "no-ties" }, `${node.label} has no tie yet.`)); return; }
  const day = today();
  const columns = [
    { title: "Tie", value: (e) => e.kind, cell: (e) => e.kind.replace(/_/g, " ") },
    { title: "With", value: (e) => nameOf(e.source === node.id ? e.target : e.source),
      cell: (e) => `${e.source === node.id ? "→" : "←"} ${nameOf(e.source === node.id ? e.target : e.source)}` },
    { title: "From", value: (e) => e.valid_from || "", cell: (e) => e.valid_from || "—" },
    { title: "To", value: (e) => e.valid_to || "", cell: (e) => e.valid_to || "—" },
    { title: "State", value: (e) => tieState(e, day),
      cell: (e) => h("span", { class: `badge tie-${tieState(e, day).replace(" ", "-")}` }, tieState(e, day)) },
    { title: "", cell: (e) => h("button", { type: "button", class: "secondary open-edge",
      "aria-label": `Change the tie ${e.id}`, onclick: () => openEdge(e.id) }, "Change…") },
  ];
  box.append(h("p", { class: "muted" }, `${ties.length} tie(s) of ${node.label}, archived ones included.`),
    sortableTable(columns, ties, (e) => ({ dataset: { id: e.id, state: tieState(e, day) } })));
}

/** Open one tie in the form, with the version it is at. */
async function openEdge(id) {
  const status = clear(document.getElementById("edge-status"));
  try {
    const result = await api(wsPath(`/edges/${encodeURIComponent(id)}`), { withHeaders: true });
    await labelsOf([result.data.source, result.data.target]);
    editingEdge = { id, etag: result.headers.get("ETag"), record: result.data };
    buildEdgeForm(result.data.kind, result.data);
    document.getElementById("edge-form").scrollIntoView({ block: "nearest" });
  } catch (error) { showError(status, error); }
}

function newEdge() {
  editingEdge = null;
  clear(document.getElementById("edge-status"));
  buildEdgeForm(document.getElementById("e-kind") ? document.getElementById("e-kind").value : "participates_in", null);
}

/** The tie form, made from the kind's schema: new (kind and both ends to pick) or open (the
    kind and ends fixed; properties, dates and tags to change; end, archive, restore, delete). */
function buildEdgeForm(kindName, record) {
  const form = clear(document.getElementById("edge-form"));
  const kind = schema.edge_kinds.find((k) => k.name === kindName);
  const kindSel = h("select", { id: "e-kind", name: "kind", disabled: !!record },
    schema.edge_kinds.map((k) => option(k.name, k.name.replace(/_/g, " "), k.name === kindName)));
  kindSel.addEventListener("change", () => buildEdgeForm(kindSel.value, null));
  fieldRow(form, "kind", "Kind", kindSel, kind.description);
  if (record) {
    for (const [end, title] of [["source", "From"], ["target", "To"]]) {
      fieldRow(form, end, title, h("span", { id: `e-${end}-shown`, class: "shown-end" },
        nameOf(record[end]), " ", mapLink(record[end])));
    }
  } else {
    const kept = Object.fromEntries(Object.entries(edgeEnds).map(([end, p]) => [end, p.items()]));
    edgeEnds = {};
    for (const [end, title, allowed] of [["source", "From", kind.sources], ["target", "To", kind.targets]]) {
      const p = picker({ id: `e-${end}`, label: title, kinds: allowed, single: true, showLabel: false,
        placeholder: `type the name of ${allowed.includes("*") ? "any record" : allowed.join(" or ").replace(/_/g, " ")}` });
      p.set((kept[end] || []).filter((i) => allowed.includes("*") || allowed.includes(i.kind)));
      edgeEnds[end] = p;
      form.append(h("label", { for: `e-${end}` }, title), h("div", {}, p.element,
        h("div", { class: "muted" }, allowed.join(" or ").replace(/_/g, " ")),
        h("div", { class: "field-error", id: `err-edge-form-${end}`, role: "alert" })));
    }
  }
  for (const [name, spec] of Object.entries(kind.properties)) {
    const input = inputFor(name, spec, record ? record.properties[name] : undefined);
    input.id = `e-${name}`;
    // from the name: an enum's own title is its type's (ConvenerRole), not the field's
    const title = name.replace(/_/g, " ");
    fieldRow(form, name, title[0].toUpperCase() + title.slice(1), input, spec.description);
  }
  const dated = (name, title, hint) => fieldRow(form, name, title, h("input", { id: `e-${name}`, name, type: "date",
    value: record && record[name] ? record[name] : "" }), hint);
  dated("valid_from", "Valid from", "The day the tie began; empty if not known.");
  dated("valid_to", "Valid to", "The last day it held; empty while it lasts.");
  fieldRow(form, "tags", "Tags", h("input", { id: "e-tags", name: "tags", type: "text",
    value: record ? record.tags.join(", ") : "" }), "Separate with commas.");
  form.append(h("span"), h("div", {}, h("button", { type: "submit", id: "save-edge" },
    record ? "Save changes to this tie" : "Add this tie")));
  renderEdgeActions(record);
}

/** End, archive or restore, delete: the actions on an open tie, each with If-Match. */
function renderEdgeActions(record) {
  const box = clear(document.getElementById("edge-actions"));
  document.getElementById("edge-title").textContent = record
    ? `The tie ${record.kind.replace(/_/g, " ")}: ${nameOf(record.source)} → ${nameOf(record.target)} (version ${record.version})`
    : "A new tie";
  if (!record) return;
  const endForm = h("form", { class: "filters", id: "end-form", novalidate: true },
    h("label", {}, "on ", h("input", { type: "date", id: "end-date", name: "valid_to",
      value: record.valid_to || today(), "aria-label": "The last day the tie held" })),
    h("button", { type: "submit", id: "end-edge" }, "End this tie"),
    h("div", { class: "field-error", id: "err-end-form-valid_to", role: "alert" }));
  endForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const day = endForm.elements.valid_to.value;
    if (!day) { document.getElementById("err-end-form-valid_to").textContent = "Give the last day the tie held."; return; }
    edgeAction("end", { method: "PATCH", body: { valid_to: day } }, endForm,
      (saved) => `Ended: ${nameOf(saved.source)} → ${nameOf(saved.target)} held until ${saved.valid_to}; the map leaves it out after that day (version ${saved.version}).`);
  });
  const archived = !!record.archived_at;
  const state = h("button", { type: "button", class: "secondary", id: archived ? "restore-edge" : "archive-edge",
    onclick: () => edgeAction(archived ? "restore" : "archive", { method: "POST" }, null,
      (saved) => `${archived ? "Restored" : "Archived"} the tie (version ${saved.version}).${archived ? "" : " It leaves the map and the analyses but stays in the history; restore it any time."}`) },
    archived ? "Restore it" : "Archive it");
  const confirmBox = h("div", { id: "delete-edge-confirm", hidden: true, class: "confirm" },
    "Delete this tie for good? Only its change log remains. To say it stopped, end it instead. ",
    h("button", { type: "button", class: "danger", id: "confirm-delete-edge",
      onclick: () => edgeAction("delete", { method: "DELETE" }, null, () => "Deleted the tie.") }, "Yes, delete it"),
    " ", h("button", { type: "button", class: "secondary", onclick: () => { confirmBox.hidden = true; } }, "Keep it"));
  box.append(h("span", { class: "title" }, "It stopped"), endForm,
    h("span", { class: "title" }, "Or"), h("div", {}, h("div", { class: "filters" }, state,
      h("button", { type: "button", class: "secondary", id: "delete-edge",
        onclick: () => { confirmBox.hidden = false; } }, "Delete…"),
      h("button", { type: "button", class: "secondary", id: "new-edge", onclick: newEdge }, "Start a new tie")),
    confirmBox));
}

/** The answer to a change refused because the record moved on (412) or went (404): what
    happened, that nothing was saved, and a button to load what is stored now. */
function conflictMessage(status, error, what, reload, id) {
  const now = (error.headers && error.headers.get("ETag")) || "";
  const box = h("div", { class: "error-box", role: "alert", id }, error.status === 412
    ? `Nothing was saved: someone else changed this ${what} since you opened it `
      + `(it is at version ${now.replace(/"/g, "")} now). Load the current version to see their change, then make yours again. `
    : `Nothing was saved: this ${what} was deleted since you opened it. `);
  if (error.status === 412) box.append(h("button", { type: "button", class: "secondary", id: `${id}-reload`, onclick: reload }, "Load the current version"));
  clear(status).append(box);
}

/** Run one action on the open tie, then show the result and the node's ties again. */
async function edgeAction(action, request, form, said) {
  const status = document.getElementById("edge-status");
  const path = `/edges/${encodeURIComponent(editingEdge.id)}` + (["archive", "restore"].includes(action) ? `/${action}` : "");
  try {
    const result = await api(wsPath(path), Object.assign({ headers: { "If-Match": editingEdge.etag }, withHeaders: true }, request));
    if (form) clearErrors(form);
    const message = said(result.data);
    if (action === "delete") { editingEdge = null; newEdge(); }
    else {
      editingEdge = { id: editingEdge.id, etag: result.headers.get("ETag"), record: result.data };
      buildEdgeForm(result.data.kind, result.data);
    }
    const ended = action === "end" ? h("span", {}, " ", h("a", { id: "ended-map", href: pageUrl("map.html",
      { as_of: dayAfter(result.data.valid_to), focus: result.data.source }) }, `See the map on ${dayAfter(result.data.valid_to)}`)) : null;
    clear(status).append(h("div", { class: "ok-box", role: "status", id: "edge-saved" }, message, ended));
    if (tieNode) await showTies(tieNode);
  } catch (error) {
    if (error.status === 412 || error.status === 404) {
      conflictMessage(status, error, "tie", () => openEdge(editingEdge.id), "edge-conflict");
    } else if (form) showProblems(form, status, error);
    else showError(clear(status), error);
  }
}

async function saveEdge(event) {
  event.preventDefault();
  const form = event.target, status = document.getElementById("edge-status");
  const kind = schema.edge_kinds.find((k) => k.name === form.elements.kind.value);
  const properties = {};
  for (const name of Object.keys(kind.properties)) {
    const value = readValue(form.elements[name]);
    if (value !== undefined) properties[name] = value;
    else if (editingEdge) properties[name] = null;  // cleared: remove it
  }
  const tags = form.elements.tags.value.split(",").map((t) => t.trim()).filter(Boolean);
  const dates = { valid_from: form.elements.valid_from.value || null, valid_to: form.elements.valid_to.value || null };
  if (editingEdge) {
    await edgeAction("update", { method: "PATCH", body: Object.assign({ properties, tags }, dates) }, form,
      (saved) => `Saved the tie ${saved.id} (version ${saved.version}).`);
    return;
  }
  clearErrors(form);
  await Promise.all([edgeEnds.source.settled(), edgeEnds.target.settled()]);
  const [source] = edgeEnds.source.items(), [target] = edgeEnds.target.items();
  if (!source || !target) {
    for (const [end, picked] of [["source", source], ["target", target]]) {
      if (!picked) document.getElementById(`err-edge-form-${end}`).textContent = "Pick one: type a name and choose it from the list.";
    }
    clear(status).append(h("div", { class: "error-box", role: "alert" }, "Nothing was saved: see the fields marked above."));
    return;
  }
  const body = { kind: kind.name, source: source.id, target: target.id, properties, tags };
  for (const [k, v] of Object.entries(dates)) if (v) body[k] = v;
  try {
    const saved = await api(wsPath("/edges"), { method: "POST", body });
    clear(status).append(h("div", { class: "ok-box", role: "status", id: "edge-saved" }, `Saved the tie ${saved.id}.`));
    if (tieNode && [saved.source, saved.target].includes(tieNode.id)) await showTies(tieNode);
  } catch (error) {
    showProblems(form, status, error);
    if (error.status === 409 && error.problem && error.problem.existing_id) {
      // the tie is there already: say where, on the map, between the same two records
      status.querySelector(".error-box").append(" ",
        h("a", { id: "existing-tie", href: pageUrl("map.html") + `#focus=${encodeURIComponent(body.source)},${encodeURIComponent(body.target)}` },
          `See ${error.problem.existing_id} on the map`), " or ",
        h("button", { type: "button", class: "secondary", id: "open-existing-tie",
          onclick: () => openEdge(error.problem.existing_id) }, "open it here to change or end it"));
    }
  }
}

/** The tie section: the node picker whose ties are listed, the form, its handlers. */
function setupTies() {
  const p = picker({ id: "tie-node", label: "Ties of", kinds: ["*"], single: true, archived: true,
    placeholder: "type the name of an organization, a group, a person …",
    onchange: async (items) => {
      if (!items.length) { showTies(null); return; }
      try { await showTies(await api(wsPath(`/nodes/${encodeURIComponent(items[0].id)}`))); }
      catch (error) { showError(document.getElementById("tie-list"), error); }
    } });
  document.getElementById("tie-node-picker").append(p.element);
  document.getElementById("edge-form").addEventListener("submit", saveEdge);
  buildEdgeForm("participates_in", null);
  return p;
}
