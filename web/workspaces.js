/* The workspaces page (admins): make a workspace, rename it, open it to the public or close
   it, delete it once its name is typed. Everything goes through /api/workspaces. */
"use strict";

let all = [];  // the workspaces the caller may see, as GET /api/workspaces lists them

function isAdmin() { return session.signed_in && session.role === "admin"; }
function everyWorkspace() { return isAdmin() && !session.workspace; }  // not scoped to one

/** An id for addresses made from a name: "Pensacola Cradle to Career" → "pensacola-cradle-to-career". */
function slugOf(name) {
  return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100);
}

function said(box, id, text, ...more) {
  clear(box).append(h("div", { class: "ok-box", role: "status", id }, text, ...more));
}

function links(slug) {
  const to = (page) => `${page}?w=${encodeURIComponent(slug)}`;
  return h("span", {}, h("a", { href: to("index.html") }, "overview"), " · ",
    h("a", { href: to("edit.html") }, "add records or import a file"));
}

/** When the workspace this page has in its address was renamed or deleted, follow it. */
function followRename(before, after) {
  if (ws() !== before) return;
  if (after) localStorage.setItem("constellation.workspace", after);
  else localStorage.removeItem("constellation.workspace");
  const q = params();
  if (after) q.set("w", after); else q.delete("w");
  history.replaceState(null, "", `?${q.toString()}`);
}

async function renderList() {
  all = await api("/api/workspaces");
  const box = clear(document.getElementById("ws-list"));
  if (!all.length) { box.append(h("p", { class: "muted", id: "no-workspaces" }, "No workspace yet: make the first one above.")); return; }
  const columns = [
    { title: "Name", value: (w) => w.name.toLowerCase(), cell: (w) => h("a", { href: `index.html?w=${encodeURIComponent(w.slug)}` }, w.name) },
    { title: "Id", value: (w) => w.slug, cell: (w) => h("code", {}, w.slug) },
    { title: "Nodes", value: (w) => w.nodes, cell: (w) => String(w.nodes) },
    { title: "Ties", value: (w) => w.edges, cell: (w) => String(w.edges) },
    { title: "Readers", value: (w) => (w.public_read ? 0 : 1),
      cell: (w) => h("span", { class: `badge ${w.public_read ? "ws-public" : "ws-private"}` }, w.public_read ? "public" : "signed-in only") },
  ];
  if (isAdmin()) {
    columns.push({ title: "", cell: (w) => h("div", { class: "filters" },
      h("button", { type: "button", class: "secondary rename", "aria-label": `Rename ${w.name}`, onclick: () => renamePanel(w) }, "Rename…"),
      h("button", { type: "button", class: "secondary visibility", "aria-label": `${w.public_read ? "Close" : "Open"} ${w.name}`,
        onclick: () => setPublic(w, !w.public_read) }, w.public_read ? "Close to the public" : "Open to the public"),
      h("button", { type: "button", class: "secondary delete", "aria-label": `Delete ${w.name}`, onclick: () => deletePanel(w) }, "Delete…")) });
  }
  box.append(sortableTable(columns, all, (w) => ({ dataset: { slug: w.slug, public: String(w.public_read) } })));
}

async function setPublic(w, open) {
  const status = document.getElementById("ws-status");
  try {
    const saved = await api(`/api/workspaces/${encodeURIComponent(w.slug)}`, { method: "PATCH", body: { public_read: open } });
    await renderList();
    said(status, "ws-saved", open
      ? `${saved.name} is open to the public: anyone may read it without signing in; only tokens may change it.`
      : `${saved.name} is closed: only signed-in readers with a token for it see it now.`);
  } catch (error) { showError(clear(status), error); }
}

function renamePanel(w) {
  const panel = clear(document.getElementById("ws-panel"));
  const form = h("form", { class: "grid", id: "ws-edit", novalidate: true },
    h("label", { for: "ws-edit-name" }, "Name"),
    h("div", {}, h("input", { type: "text", id: "ws-edit-name", name: "name", size: 40, value: w.name }),
      h("div", { class: "field-error", id: "err-ws-edit-name", role: "alert" })),
    h("label", { for: "ws-edit-slug" }, "Id in addresses"),
    h("div", {}, h("input", { type: "text", id: "ws-edit-slug", name: "slug", size: 40, value: w.slug }),
      h("div", { class: "muted" }, "Change it only if you must: links and bookmarks with the old id stop working."),
      h("div", { class: "field-error", id: "err-ws-edit-slug", role: "alert" })),
    h("label", { for: "ws-edit-description" }, "Description"),
    h("div", {}, h("textarea", { id: "ws-edit-description", name: "description", rows: 2, cols: 44 }, w.description || ""),
      h("div", { class: "field-error", id: "err-ws-edit-description", role: "alert" })),
    h("span"), h("div", { class: "filters" }, h("button", { type: "submit", id: "ws-edit-save" }, `Save ${w.name}`),
      h("button", { type: "button", class: "secondary", onclick: () => clear(panel) }, "Cancel")));
  const status = h("div", { id: "ws-edit-status" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: form.elements.name.value.trim(), description: form.elements.description.value.trim() };
    const slug = form.elements.slug.value.trim();
    if (slug !== w.slug) body.slug = slug;
    try {
      const saved = await api(`/api/workspaces/${encodeURIComponent(w.slug)}`, { method: "PATCH", body });
      followRename(w.slug, saved.slug);
      clear(panel);
      await renderList();
      said(document.getElementById("ws-status"), "ws-saved",
        `Saved: ${saved.name}${saved.slug !== w.slug ? `, now at ?w=${saved.slug}` : ""}. `, links(saved.slug));
    } catch (error) { showProblems(form, status, error); }
  });
  panel.append(h("h3", {}, `Rename ${w.name}`), form, status);
  form.elements.name.focus();
}

/** Delete asks for the workspace's name to be typed: the button works only once it matches. */
function deletePanel(w) {
  const panel = clear(document.getElementById("ws-panel"));
  const typed = h("input", { type: "text", id: "ws-delete-name", size: 40, autocomplete: "off",
                             "aria-label": `Type ${w.name} to confirm` });
  const go = h("button", { type: "button", class: "danger", id: "ws-delete-go", disabled: true }, "Delete it for good");
  const status = h("div", { id: "ws-delete-status" });
  typed.addEventListener("input", () => { go.disabled = typed.value.trim() !== w.name; });
  go.addEventListener("click", async () => {
    if (typed.value.trim() !== w.name) return;
    try {
      await api(`/api/workspaces/${encodeURIComponent(w.slug)}`, { method: "DELETE" });
      followRename(w.slug, null);
      clear(panel);
      await renderList();
      said(document.getElementById("ws-status"), "ws-saved", `Deleted ${w.name} and everything in it.`);
    } catch (error) { showError(clear(status), error); }
  });
  panel.append(h("div", { class: "confirm", id: "ws-delete" },
    h("h3", {}, `Delete ${w.name}?`),
    h("p", {}, `This deletes the workspace and everything in it for good: its ${w.nodes} nodes, ${w.edges} ties, `
      + "their whole change log and the tokens scoped to it. It cannot be undone; download it first from the edit page if you may need it."),
    h("label", { for: "ws-delete-name" }, "Type its name, ", h("strong", {}, w.name), ", to confirm: "),
    h("div", { class: "filters" }, typed, go,
      h("button", { type: "button", class: "secondary", onclick: () => clear(panel) }, "Keep it")), status));
  typed.focus();
}

function setupCreate() {
  const card = document.getElementById("create-card");
  const form = document.getElementById("ws-create");
  if (!everyWorkspace()) {
    form.hidden = true;
    card.append(h("p", { class: "muted", id: "create-needs" }, isAdmin()
      ? `Your admin token is for ${session.workspace} alone; making a workspace needs an admin token for every workspace.`
      : "Making a workspace needs an admin token: sign in at the top of the page."));
    return;
  }
  const name = form.elements.name, slug = form.elements.slug;
  let slugTouched = false;
  slug.addEventListener("input", () => { slugTouched = slug.value.trim() !== ""; });
  name.addEventListener("input", () => { if (!slugTouched) slug.value = slugOf(name.value); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("create-status");
    clearErrors(form);
    const missing = [["name", name.value.trim(), "Give the workspace a name."],
      ["slug", slug.value.trim(), "Give it an id for its addresses, e.g. my-partnership."]].filter(([, v]) => !v);
    for (const [field, , message] of missing) document.getElementById(`err-ws-create-${field}`).textContent = message;
    if (missing.length) {
      clear(status).append(h("div", { class: "error-box", role: "alert" }, "Nothing was made: see the fields marked above."));
      return;
    }
    const body = { slug: slug.value.trim(), name: name.value.trim(), public_read: form.elements.public_read.checked };
    if (form.elements.description.value.trim()) body.description = form.elements.description.value.trim();
    try {
      const made = await api("/api/workspaces", { method: "POST", body });
      form.reset(); slugTouched = false;
      await renderList();
      said(status, "ws-created", `Made ${made.name} (?w=${made.slug}, ${made.public_read ? "open to the public" : "for signed-in readers only"}). Next: `, links(made.slug), ".");
    } catch (error) {
      if (error.status === 409) {
        document.getElementById("err-ws-create-slug").textContent = `A workspace already has the id ${body.slug}: choose another.`;
        clear(status).append(h("div", { class: "error-box", role: "alert" }, "Nothing was made: see the fields marked above."));
      } else showProblems(form, status, error);
    }
  });
}

boot(async () => {
  document.getElementById("who").textContent = isAdmin()
    ? "Each workspace is one partnership's network. Make one, rename it, open it to the public or close it, or delete it."
    : "Each workspace is one partnership's network. Managing them needs an admin token: sign in at the top of the page.";
  setupCreate();
  await renderList();
}, { withoutWorkspace: true });
