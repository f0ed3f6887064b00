"use strict";
let schema, indicators = [], editing = null;  // editing: {id, etag, record} of the node being changed
let findPicker = null, tiePicker = null;

const LONG_TEXT = new Set(["description", "common_vision", "commitment", "magnetic_attractor", "notes", "purpose"]);

/** One input for a property, from its JSON Schema. */
function inputFor(name, spec, value) {
  const id = `f-${name}`;
  let el;
  if (spec.enum) {
    el = h("select", { id, name }, option("", "—"), spec.enum.map((v) => option(v, v, v === value)));
  } else if (spec.type === "boolean") {
    el = h("select", { id, name, "data-type": "boolean" }, option("", "not known", value === undefined),
      option("true", "yes", value === true), option("false", "no", value === false));
  } else if (spec.type === "integer" || spec.type === "number") {
    el = h("input", { id, name, type: "number", step: spec.type === "integer" ? "1" : "any",
                      "data-type": "number", value: value ?? "" });
  } else if (spec.format === "date") {
    el = h("input", { id, name, type: "date", value: value ?? "" });
  } else if (spec.type === "array" || spec.type === "object") {
    el = h("textarea", { id, name, rows: 2, "data-type": "json", placeholder: "JSON, e.g. []" },
           value === undefined ? "" : JSON.stringify(value));
  } else if (LONG_TEXT.has(name)) {
    el = h("textarea", { id, name, rows: 2 }, value ?? "");
  } else {
    el = h("input", { id, name, type: "text", value: value ?? "" });
  }
  return el;
}

function fieldRow(form, name, title, input, hint) {
  form.append(h("label", { for: input.id }, title),
    h("div", {}, input, hint ? h("div", { class: "muted" }, hint) : null,
      h("div", { class: "field-error", id: `err-${form.id}-${name}`, role: "alert" })));
}

function readValue(el) {
  const raw = el.value.trim();
  if (raw === "") return undefined;
  if (el.dataset.type === "boolean") return raw === "true";
  if (el.dataset.type === "number") return Number(raw);
  if (el.dataset.type === "json") { try { return JSON.parse(raw); } catch (e) { return raw; } }
  return raw;
}

function buildNodeForm(kindName, record) {
  const form = clear(document.getElementById("node-form"));
  const kindSel = h("select", { id: "f-kind", name: "kind", disabled: !!record },
    schema.node_kinds.map((k) => option(k.name, k.title, k.name === kindName)));
  kindSel.addEventListener("change", () => buildNodeForm(kindSel.value, null));
  fieldRow(form, "kind", "Kind", kindSel, schema.node_kinds.find((k) => k.name === kindName).description);
  fieldRow(form, "label", "Name", h("input", { id: "f-label", name: "label", type: "text", required: true,
                                               value: record ? record.label : "" }));
  const kind = schema.node_kinds.find((k) => k.name === kindName);
  for (const [name, spec] of Object.entries(kind.properties)) {
    fieldRow(form, name, (spec.title || name).replace(/_/g, " "),
             inputFor(name, spec, record ? record.properties[name] : undefined), spec.description);
  }
  fieldRow(form, "tags", "Tags", h("input", { id: "f-tags", name: "tags", type: "text",
    value: record ? record.tags.join(", ") : "" }), "Separate with commas.");
  fieldRow(form, "valid_from", "Valid from", h("input", { id: "f-valid_from", name: "valid_from", type: "date",
    value: record && record.valid_from ? record.valid_from : "" }));
  fieldRow(form, "valid_to", "Valid to", h("input", { id: "f-valid_to", name: "valid_to", type: "date",
    value: record && record.valid_to ? record.valid_to : "" }));
  form.append(h("span"), h("div", {}, h("button", { type: "submit", id: "save-node" },
    record ? `Save changes to ${record.label}` : "Add this node")));
}

async function saveNode(event) {
  event.preventDefault();
  const form = event.target, status = document.getElementById("node-status");
  const kindName = form.elements.kind.value;
  const kind = schema.node_kinds.find((k) => k.name === kindName);
  const properties = {};
  for (const name of Object.keys(kind.properties)) {
    const value = readValue(form.elements[name]);
    if (value !== undefined) properties[name] = value;
    else if (editing) properties[name] = null;  // cleared: remove it
  }
  const tags = form.elements.tags.value.split(",").map((t) => t.trim()).filter(Boolean);
  const body = { label: form.elements.label.value.trim(), properties, tags,
                 valid_from: form.elements.valid_from.value || null, valid_to: form.elements.valid_to.value || null };
  try {
    let saved;
    if (editing) {
      const result = await api(wsPath(`/nodes/${encodeURIComponent(editing.id)}`),
        { method: "PATCH", body, headers: { "If-Match": editing.etag }, withHeaders: true });
      saved = result.data;
      editing = { id: saved.id, etag: result.headers.get("ETag"), record: saved };
      renderNodeActions(saved);
    } else {
      body.kind = kindName;
      if (!body.valid_from) delete body.valid_from;
      if (!body.valid_to) delete body.valid_to;
      for (const [k, v] of Object.entries(body.properties)) if (v === null) delete body.properties[k];
      saved = await api(wsPath("/nodes"), { method: "POST", body });
      if (saved.kind === "indicator") { indicators.push(saved); setupValues(); }
      await openNode(saved.id);  // made: open it, so the next save changes it rather than adds another
    }
    clearErrors(form);
    clear(status).append(h("div", { class: "ok-box", role: "status", id: "node-saved" },
      `Saved ${saved.label} (${saved.kind}, version ${saved.version}).`));
  } catch (error) {
    if (editing && (error.status === 412 || error.status === 404)) {
      conflictMessage(status, error, "node", () => openNode(editing.id), "node-conflict");
    } else showProblems(form, status, error);
  }
}

/** Open one node in the form, with the version it is at, and list its ties below. */
async function openNode(id) {
  const status = clear(document.getElementById("node-status"));
  try {
    const result = await api(wsPath(`/nodes/${encodeURIComponent(id)}`), { withHeaders: true });
    editing = { id, etag: result.headers.get("ETag"), record: result.data };
    buildNodeForm(result.data.kind, result.data);
    renderNodeActions(result.data);
    const item = { id: result.data.id, label: result.data.label, kind: result.data.kind };
    findPicker.set([item]);
    tiePicker.set([item]);
    await showTies(result.data);
  } catch (error) { showError(status, error); }
}

function newNode() {
  editing = null;
  findPicker.set([]);
  clear(document.getElementById("node-status"));
  buildNodeForm("organization", null);
  renderNodeActions(null);
}

/** Archive or restore, delete: the actions on an open node, each with If-Match. A node that
    still has ties is deleted only with them, and only once asked again. */
function renderNodeActions(record) {
  const box = clear(document.getElementById("node-actions"));
  if (!record) return;
  const archived = !!record.archived_at;
  const confirmBox = h("div", { id: "delete-node-confirm", hidden: true, class: "confirm" },
    `Delete ${record.label} for good? Only its change log remains; to keep it in the history, archive it instead. `,
    h("button", { type: "button", class: "danger", id: "confirm-delete-node",
      onclick: () => nodeAction("delete", { method: "DELETE" }) }, "Yes, delete it"),
    " ", h("button", { type: "button", class: "secondary", onclick: () => { confirmBox.hidden = true; } }, "Keep it"));
  box.append(h("span", { class: "title" }, "This node"), h("div", {}, h("div", { class: "filters" },
    archived ? h("span", { class: "badge tie-archived", id: "node-archived" }, `archived ${record.archived_at.slice(0, 10)}`) : null,
    h("button", { type: "button", class: "secondary", id: archived ? "restore-node" : "archive-node",
      onclick: () => nodeAction(archived ? "restore" : "archive", { method: "POST" }) },
      archived ? "Restore it" : "Archive it"),
    h("button", { type: "button", class: "secondary", id: "delete-node",
      onclick: () => { confirmBox.hidden = false; } }, "Delete…")), confirmBox));
}

async function nodeAction(action, request, cascade) {
  const status = document.getElementById("node-status");
  const label = editing.record.label;
  const path = `/nodes/${encodeURIComponent(editing.id)}` + (action === "delete" ? (cascade ? "?cascade=true" : "")
    : `/${action}`);
  try {
    const result = await api(wsPath(path), Object.assign({ headers: { "If-Match": editing.etag }, withHeaders: true }, request));
    if (action === "delete") {
      newNode();
      tiePicker.set([]); showTies(null);
      clear(status).append(h("div", { class: "ok-box", role: "status", id: "node-saved" },
        `Deleted ${label}${cascade ? " and its ties" : ""}.`));
      return;
    }
    editing = { id: editing.id, etag: result.headers.get("ETag"), record: result.data };
    buildNodeForm(result.data.kind, result.data);
    renderNodeActions(result.data);
    clear(status).append(h("div", { class: "ok-box", role: "status", id: "node-saved" },
      action === "archive" ? `Archived ${label} (version ${result.data.version}): it leaves the map and the analyses but stays in the history; restore it any time.`
        : `Restored ${label} (version ${result.data.version}).`));
  } catch (error) {
    if (error.status === 412 || error.status === 404) {
      conflictMessage(status, error, "node", () => openNode(editing.id), "node-conflict");
    } else if (error.status === 409 && action === "delete" && !cascade) {
      const box = showError(clear(status), error);
      box.textContent = `${label} still has ties: deleting it deletes them too. Archive it instead to keep them in the history. `;
      box.append(h("button", { type: "button", class: "danger", id: "confirm-delete-cascade",
        onclick: () => nodeAction("delete", request, true) }, "Delete it and its ties"));
    } else showError(clear(status), error);
  }
}

/** The indicator picker of the dated-value form, and the groups its values already use. */
function setupValues() {
  const select = clear(document.getElementById("v-indicator"));
  indicators.sort(byLabel);
  select.append(option("", indicators.length ? "— pick one —" : "no indicator yet"),
    ...indicators.map((n) => option(n.id, n.label)));
  const groups = clear(document.getElementById("group-list"));
  const seen = new Set(indicators.flatMap((n) => (n.properties.values || []).map((v) => v.group).filter(Boolean)));
  for (const g of [...seen].sort()) groups.append(h("option", { value: g }));
}

/** Add (or replace) one dated value: read the indicator with its version, write it back. */
async function saveValue(event) {
  event.preventDefault();
  const form = event.target, status = document.getElementById("value-status");
  clearErrors(form);
  const id = form.elements.indicator.value, date = form.elements.date.value;
  const raw = form.elements.value.value.trim(), group = form.elements.group.value.trim();
  const note = form.elements.note.value.trim();
  const missing = [["indicator", id, "Pick an indicator."], ["date", date, "Give the date it was measured."],
    ["value", raw, "Give the value (a number)."]].filter(([, v]) => !v);
  for (const [name, , message] of missing) document.getElementById(`err-value-form-${name}`).textContent = message;
  if (missing.length) {
    clear(status).append(h("div", { class: "error-box", role: "alert" }, "Nothing was saved: see the fields marked above."));
    return;
  }
  try {
    const read = await api(wsPath(`/nodes/${encodeURIComponent(id)}`), { withHeaders: true });
    const point = { date, value: Number(raw) };
    if (group) point.group = group;
    if (note) point.note = note;
    const values = (read.data.properties.values || [])
      .filter((v) => !(v.date === date && (v.group || "") === group));
    values.push(point);
    values.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.group || "").localeCompare(b.group || "")));
    const result = await api(wsPath(`/nodes/${encodeURIComponent(id)}`), {
      method: "PATCH", body: { properties: { values } },
      headers: { "If-Match": read.headers.get("ETag") }, withHeaders: true });
    const saved = result.data;
    const index = indicators.findIndex((n) => n.id === saved.id);
    if (index >= 0) indicators[index] = saved;
    setupValues();
    form.elements.indicator.value = saved.id;
    clear(status).append(h("div", { class: "ok-box", role: "status", id: "value-saved" },
      `Saved ${point.value} on ${date}${group ? ` for ${group}` : ""} to ${saved.label} `
      + `(${saved.properties.values.length} values, version ${saved.version}).`));
  } catch (error) {
    showProblems(form, status, error);
  }
}

/** Every node of a kind, page after page (a workspace holds few of the kinds asked for). */
async function everyNode(kind) {
  const found = [];
  let cursor = null;
  do {
    const q = new URLSearchParams({ kind, limit: "1000" });
    if (cursor) q.set("cursor", cursor);
    const page = await api(wsPath(`/nodes?${q}`));
    found.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return found;
}

async function setupImport() {
  // everything below comes from the format registry, through /api/formats
  const formats = await api("/api/formats");
  const readers = new Map((formats.import_formats || []).map((f) => [f.name, f]));
  const titles = [...readers.values()].map((f) => f.title);
  if (titles.length) {
    document.getElementById("import-formats").textContent =
      `Reads ${titles.slice(0, -1).join(", ")} and ${titles[titles.length - 1]}.`;
  }
  const select = document.getElementById("import-format");
  for (const f of formats.import) {
    const reader = readers.get(f);
    select.append(option(f, f === "auto" ? "recognise it" : reader ? `${reader.title} (${f})` : f));
  }
  const about = document.getElementById("import-format-about");
  const describe = () => {
    const reader = readers.get(select.value);
    about.textContent = reader ? reader.description : "Told from each file's content, then its name.";
  };
  select.addEventListener("change", describe);
  describe();
  const suffixes = new Set([...readers.values()].flatMap((f) => f.suffixes));
  if (suffixes.size) document.getElementById("import-files").accept = [...suffixes].join(",");
  document.getElementById("import-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = clear(document.getElementById("import-status"));
    const data = new FormData();
    for (const file of document.getElementById("import-files").files) data.append("files", file);
    const mapping = document.getElementById("import-mapping").files[0];
    if (mapping) data.append("mapping", mapping);
    data.append("format", select.value);
    data.append("dry_run", document.getElementById("import-dry").checked ? "true" : "false");
    try {
      const r = await api(wsPath("/import"), { method: "POST", body: data });
      const n = (k) => r[k].length;
      status.append(h("div", {}, h("div", { class: "ok-box", role: "status", id: "import-report" },
        `${r.dry_run ? "Would create" : "Created"} ${n("nodes_created")} node(s) and ${n("edges_created")} tie(s); `
        + `${r.dry_run ? "would update" : "updated"} ${n("nodes_updated") + n("edges_updated")}; `
        + `${n("nodes_unchanged") + n("edges_unchanged")} already up to date (${r.format}).`),
        (r.matched || []).length ? h("ul", { id: "import-matched" }, r.matched.map((m) => h("li", {},
          `${m.label} (${m.incoming}) ${r.dry_run ? "would update" : "updated"} ${m.node}, matched by ${m.by}`))) : null,
        (r.notes || []).length ? h("ul", {}, r.notes.map((p) => h("li", { class: "muted" },
          [p.position, p.field, p.message].filter(Boolean).join(" — ")))) : null,  // h() skips nulls
        (r.possible_duplicates || []).length ? h("div", { id: "import-duplicates" },
          h("p", {}, "Possible duplicates: ties of one kind between the same two records at overlapping dates. All were kept; end or delete one if they say the same thing."),
          h("ul", {}, r.possible_duplicates.map((ids) => h("li", {}, ids.join(" and "))))) : null));
    } catch (error) {
      const box = showError(status, error);
      const problems = (error.problem && error.problem.errors) || [];
      if (problems.length) box.append(h("ul", { id: "import-problems" }, problems.map((p) =>
        h("li", {}, [p.position, p.field, p.message || p.msg].filter(Boolean).join(" — ")))));
    }
  });
  const exports = document.getElementById("exports");
  for (const f of formats.export) {
    exports.append(h("button", { type: "button", class: "secondary", title: f.description,
      onclick: async () => {
        const response = await fetch(wsPath(`/export?format=${encodeURIComponent(f.name)}`),
          { credentials: "same-origin" });
        if (!response.ok) { showError(exports.parentElement, new ApiError(response.status, await response.json())); return; }
        const link = h("a", { href: URL.createObjectURL(await response.blob()),
                              download: `${ws()}${f.suffix}` });
        document.body.append(link); link.click(); link.remove();
      } }, f.name));
  }
}

boot(async () => {
  schema = await api("/api/schema");
  document.getElementById("who").textContent = session.signed_in
    ? "Your changes are saved with your token's name in the change log."
    : "Editing needs an editor token: sign in at the top of the page. You can look around without one.";
  indicators = await everyNode("indicator");
  findPicker = picker({ id: "find", label: "Change an existing one", kinds: ["*"], single: true, archived: true,
    placeholder: "Type a name", onchange: (items) => { if (items.length && (!editing || editing.id !== items[0].id)) openNode(items[0].id); } });
  document.getElementById("find-picker").append(findPicker.element);
  buildNodeForm("organization", null);
  tiePicker = setupTies();
  document.getElementById("node-form").addEventListener("submit", saveNode);
  setupValues();
  document.getElementById("value-form").addEventListener("submit", saveValue);
  document.getElementById("new-node").addEventListener("click", newNode);
  await setupImport();
  await setupPartnerLinks();
});
