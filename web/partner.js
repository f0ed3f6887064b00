/* The partner page: one organization keeps its own record through the link it was sent.
   The link carries its secret in the fragment (#token=…), which no request sends; the page
   keeps it for this tab only and takes it out of the address bar. Every change goes
   through the ordinary API with that secret as a Bearer token, and names the version it
   read (If-Match), as every editor's change does. */
"use strict";

const TODAY = new Date().toISOString().slice(0, 10);
const STATUSES = [["not_started", "not started"], ["in_progress", "in progress"],
                  ["fulfilled", "fulfilled"], ["withdrawn", "withdrawn"]];
let view = null;      // GET …/partner
let sectors = [];     // the vocabulary's sectors, for the profile

function secret() {
  const key = `constellation.partner.${ws()}`;
  const found = new URLSearchParams(location.hash.slice(1)).get("token");
  if (found) {
    sessionStorage.setItem(key, found);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(key);
}

const TOKEN = secret();

function partnerApi(path, options = {}) {
  const headers = Object.assign({ Authorization: `Bearer ${TOKEN}` }, options.headers || {});
  return api(path, Object.assign({}, options, { headers }));
}

function etag(record) { return { "If-Match": `"${record.version}"` }; }

function said(text) {
  const box = clear(document.getElementById("status"));
  box.append(h("div", { class: "ok-box", id: "saved", role: "status" }, text));
}

function failed(error) {
  const box = clear(document.getElementById("status"));
  let text = typeof error === "string" ? error
    : error instanceof ApiError ? error.message : `Something went wrong: ${error}`;
  if (error instanceof ApiError && error.status === 412) {
    text = "Someone changed this since the page was opened; it has been reloaded: make your change again.";
  } else if (error instanceof ApiError && error.status === 401) {
    text = "This link no longer works (it expired or was revoked). Ask the partnership's staff for a new one.";
  }
  box.append(h("div", { class: "error-box", role: "alert" }, text));
}

/** Run a change, then show the page afresh (its versions are new). */
async function change(work, done) {
  try {
    await work();
    await load();
    said(done);
  } catch (error) {
    failed(error);
    if (error instanceof ApiError && error.status === 412) await load();
  }
}

function label(id, choices) {
  const found = choices.find((c) => c.id === id);
  return found ? found.label : id;
}

// ------------------------------------------------------------------ profile

function renderProfile() {
  const org = view.organization, p = org.properties;
  const form = clear(document.getElementById("profile"));
  const row = (id, title, input, hint) => form.append(
    h("label", { for: id }, title), h("div", {}, input, hint ? h("div", { class: "muted" }, hint) : null));
  const sector = h("select", { id: "p-sector" }, option("", "—", !p.sector),
    sectors.map((s) => option(s, s, p.sector === s)));
  row("p-label", "Name", h("input", { id: "p-label", value: org.label, size: 50, required: true }));
  row("p-sector", "Sector", sector);
  row("p-website", "Website", h("input", { id: "p-website", type: "url", value: p.website || "", size: 50 }));
  row("p-capacity", "Staff capacity (FTE)",
      h("input", { id: "p-capacity", type: "number", min: 0, step: 0.1, value: p.staff_capacity ?? "" }),
      "Staff time you can give to convening; the audit compares the groups you lead with it.");
  const description = h("textarea", { id: "p-description", rows: 3, cols: 60 });
  description.value = p.description || "";
  row("p-description", "What you do", description);
  form.append(h("span"), h("div", {}, h("button", { type: "submit", id: "save-profile" }, "Save the profile")));
  form.onsubmit = (event) => {
    event.preventDefault();
    const value = (id) => document.getElementById(id).value.trim();
    const capacity = value("p-capacity");
    const body = {
      label: value("p-label"),
      properties: {
        sector: value("p-sector") || null,
        website: value("p-website") || null,
        staff_capacity: capacity === "" ? null : Number(capacity),
        description: value("p-description") || null,
      },
    };
    change(() => partnerApi(wsPath(`/nodes/${encodeURIComponent(org.id)}`),
                            { method: "PATCH", body, headers: etag(org) }),
           "Your profile is saved.");
  };
}

// ------------------------------------------------------------------ commitments

function renderCommitments() {
  const box = clear(document.getElementById("commitments"));
  const all = view.signs.flatMap((tie) => (tie.properties.commitments || []).map((c, i) => ({ tie, c, i })));
  if (!view.signs.length) {
    box.append(h("p", { class: "muted" }, "Your organization has not signed the shared agenda here."));
    return;
  }
  if (!all.length) box.append(h("p", { class: "muted" }, "No commitment recorded yet."));
  for (const { tie, c, i } of all) {
    const notes = c.progress || [];
    const status = h("select", { class: "c-status", "aria-label": `Status of: ${c.text}` },
      STATUSES.map(([v, t]) => option(v, t, (c.status || "not_started") === v)));
    const noteDate = h("input", { type: "date", class: "c-date", value: TODAY, "aria-label": "Date of the note" });
    const noteText = h("input", { class: "c-note", size: 50, placeholder: "What happened (optional)",
                                  "aria-label": "Progress note" });
    const serves = c.goal ? label(c.goal, view.goals) : c.strategy;
    box.append(h("div", { class: "commitment", dataset: { commitment: c.id } },
      h("div", {}, h("strong", {}, c.text), " ",
        h("span", { class: `badge status-${c.status || "not_started"}` },
          (STATUSES.find(([v]) => v === (c.status || "not_started")) || [0, c.status])[1])),
      serves ? h("div", { class: "muted" }, `Serves: ${serves}`) : null,
      notes.length
        ? h("ul", { class: "notes" }, notes.slice().sort((a, b) => (a.date < b.date ? 1 : -1))
            .map((n) => h("li", {}, h("span", { class: "muted" }, n.date), " ", n.note)))
        : h("div", { class: "muted" }, "No progress note yet."),
      h("form", { class: "filters", onsubmit: (event) => {
        event.preventDefault();
        const list = (tie.properties.commitments || []).map((x) => Object.assign({}, x));
        list[i].status = status.value;
        if (noteText.value.trim()) {
          list[i].progress = (list[i].progress || []).concat([{ date: noteDate.value || TODAY, note: noteText.value.trim() }]);
        }
        change(() => partnerApi(wsPath(`/edges/${encodeURIComponent(tie.id)}`),
                                { method: "PATCH", body: { properties: { commitments: list } }, headers: etag(tie) }),
               `Saved: ${c.text}`);
      } }, status, noteDate, noteText, h("button", { type: "submit", class: "c-save" }, "Save"))));
  }
}

// ------------------------------------------------------------------ groups

function renderGroups() {
  const box = clear(document.getElementById("groups"));
  if (!view.groups.length) {
    box.append(h("p", { class: "muted" }, "Your organization is in no group yet: ask to join one below."));
    return;
  }
  const rows = view.groups.map((g) => {
    const since = g.tie.valid_from ? `since ${g.tie.valid_from}` : "";
    let action;
    if (g.ended) {
      action = h("span", { class: "muted" }, `Left on ${g.tie.valid_to}`);
    } else {
      const day = h("input", { type: "date", value: TODAY, max: "9999-12-31", "aria-label": `Day you left ${g.constellation.label}` });
      action = h("form", { class: "filters leave", onsubmit: (event) => {
        event.preventDefault();
        change(() => partnerApi(wsPath(`/edges/${encodeURIComponent(g.tie.id)}`),
                                { method: "PATCH", body: { valid_to: day.value || TODAY }, headers: etag(g.tie) }),
               `You left ${g.constellation.label} on ${day.value || TODAY}.`);
      } }, day, h("button", { type: "submit", class: "secondary" }, "We left it"));
    }
    return h("tr", { dataset: { group: g.constellation.id }, class: g.ended ? "ended" : null },
      h("td", {}, h("strong", {}, g.constellation.label)),
      h("td", {}, g.role === "convenes" ? "you convene it" : "you take part"),
      h("td", {}, g.constellation.properties.status || "active"),
      h("td", {}, since),
      h("td", {}, action));
  });
  box.append(h("table", {}, h("thead", {}, h("tr", {}, ["Group", "Your role", "Status", "Since", ""].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows)));
}

// ------------------------------------------------------------------ requests to join

function requestLine(r) {
  const decided = r.decided_at ? ` on ${r.decided_at.slice(0, 10)}` : "";
  return h("li", { dataset: { request: r.id, state: r.state } },
    h("strong", {}, r.constellation_label || r.constellation), ": ",
    h("span", { class: `badge state-${r.state}` }, r.state), decided,
    r.reason ? h("span", { class: "muted" }, ` (${r.reason})`) : null);
}

function renderJoin() {
  const pick = clear(document.getElementById("join-group"));
  const pending = new Set(view.requests.filter((r) => r.state === "pending").map((r) => r.constellation));
  const choices = view.open_groups.filter((g) => !pending.has(g.id));
  pick.append(option("", choices.length ? "— choose a group —" : "no other group is open", true));
  for (const g of choices) pick.append(option(g.id, `${g.label}${g.status && g.status !== "active" ? ` (${g.status})` : ""}`));
  const list = clear(document.getElementById("requests"));
  if (view.requests.length) list.append(h("h3", {}, "Your requests"), h("ul", { class: "requests" }, view.requests.map(requestLine)));

  const card = document.getElementById("decide-card");
  const decide = clear(document.getElementById("to-decide"));
  card.hidden = !view.to_decide.length && !view.groups.some((g) => g.role === "convenes" && !g.ended);
  if (!view.to_decide.length) decide.append(h("p", { class: "muted" }, "No request waits for you."));
  for (const r of view.to_decide) {
    const day = h("input", { type: "date", value: TODAY, "aria-label": "Day they join" });
    const reason = h("input", { placeholder: "Reason (if you decline)", "aria-label": "Reason", size: 30 });
    const path = (what) => wsPath(`/join-requests/${encodeURIComponent(r.id)}/${what}`);
    decide.append(h("div", { class: "finding", dataset: { request: r.id } },
      h("strong", {}, r.organization_label || r.organization), " asks to join ",
      h("strong", {}, r.constellation_label || r.constellation), ` (asked ${r.created_at.slice(0, 10)})`,
      r.message ? h("div", { class: "muted" }, `“${r.message}”`) : null,
      h("div", { class: "filters" }, day,
        h("button", { type: "button", class: "accept", onclick: () => change(
          () => partnerApi(path("accept"), { method: "POST", body: { valid_from: day.value || TODAY } }),
          `${r.organization_label} joins ${r.constellation_label} from ${day.value || TODAY}.`) }, "Accept"),
        reason,
        h("button", { type: "button", class: "secondary decline", onclick: () => change(
          () => partnerApi(path("decline"), { method: "POST", body: { reason: reason.value.trim() || null } }),
          `You declined ${r.organization_label}'s request.`) }, "Decline"))));
  }
}

document.getElementById("join").addEventListener("submit", (event) => {
  event.preventDefault();
  const group = document.getElementById("join-group").value;
  if (!group) { failed("Choose the group you want to join."); return; }
  const message = document.getElementById("join-message").value.trim() || null;
  change(() => partnerApi(wsPath("/join-requests"), { method: "POST", body: { constellation: group, message } }),
         `Your request to join ${label(group, view.open_groups)} is sent.`);
});

// ------------------------------------------------------------------ representatives

function renderPeople() {
  const box = clear(document.getElementById("people"));
  if (!view.representatives.length) box.append(h("p", { class: "muted" }, "No representative recorded yet."));
  for (const { person, tie } of view.representatives) {
    const title = h("input", { value: tie.properties.title || "", size: 30, "aria-label": `Title of ${person.label}` });
    box.append(h("form", { class: "filters person", dataset: { person: person.id }, onsubmit: (event) => {
      event.preventDefault();
      change(() => partnerApi(wsPath(`/edges/${encodeURIComponent(tie.id)}`),
                              { method: "PATCH", body: { properties: { title: title.value.trim() || null } }, headers: etag(tie) }),
             `${person.label}'s title is saved.`);
    } }, h("strong", {}, person.label), title,
      h("button", { type: "submit", class: "secondary" }, "Save the title"),
      h("button", { type: "button", class: "secondary", onclick: () => change(
        () => partnerApi(wsPath(`/edges/${encodeURIComponent(tie.id)}`),
                         { method: "PATCH", body: { valid_to: TODAY }, headers: etag(tie) }),
        `${person.label} no longer represents you from today.`) }, "No longer with us")));
  }
}

document.getElementById("add-person").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = document.getElementById("person-name").value.trim();
  const title = document.getElementById("person-title").value.trim();
  if (!name) return;
  change(async () => {
    const person = await partnerApi(wsPath("/nodes"), { method: "POST", body: { kind: "person", label: name } });
    await partnerApi(wsPath("/edges"), { method: "POST", body: {
      kind: "represents", source: person.id, target: view.organization.id,
      properties: title ? { title } : {}, valid_from: TODAY } });
  }, `${name} now represents you.`);
});

// ------------------------------------------------------------------ the page

async function load() {
  view = await partnerApi(wsPath("/partner"));
  document.title = `${view.organization.label} · Constellation`;
  document.getElementById("org-title").textContent = view.organization.label;
  const until = view.expires_at ? ` This link works until ${view.expires_at.slice(0, 10)}.` : "";
  document.getElementById("partner-of").textContent = `partner page of ${view.organization.label}`;
  document.getElementById("intro").textContent =
    "This page keeps your organization's record in the partnership's network current: what you " +
    "change here is saved at once, under your organization's name. Keep the link you were sent: " +
    "it opens this page." + until;
  renderProfile();
  renderCommitments();
  renderGroups();
  renderJoin();
  renderPeople();
}

(async () => {
  try {
    if (!TOKEN) throw "This page opens from the link the partnership's staff sent you; open that link.";
    const schema = await api("/api/schema");
    const org = schema.node_kinds.find((k) => k.name === "organization");
    sectors = (org && org.properties.sector && org.properties.sector.enum) || [];
    await load();
  } catch (error) {
    failed(error);
    for (const card of document.querySelectorAll("main section")) card.hidden = true;
  } finally {
    markReady();
  }
})();
