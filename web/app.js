/* Shared by every page: the header, the workspace, the token, the API and safe DOM building.
   Nothing here sets innerHTML from data: text always goes in through textContent. */
"use strict";

const PAGES = [
  ["index.html", "Overview"],
  ["map.html", "Map"],
  ["conveners.html", "Who convenes what"],
  ["commitments.html", "Commitments"],
  ["find.html", "Find a constellation"],
  ["funding.html", "Funding"],
  ["duplicates.html", "Duplicates"],
  ["edit.html", "Edit"],
];
let session = { signed_in: false };  // who the sign-in cookie says we are (GET /api/session)
let workspace = null;  // the workspace this page shows, as GET /api/workspaces lists it

/** h("a", {href: "x", class: "y"}, "text", child) — builds elements; strings become text. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

function params() { return new URLSearchParams(location.search); }

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** Call the API; JSON in and out; a problem+json answer becomes an ApiError. The sign-in
    cookie (HttpOnly, set by POST /api/session) goes with every request. */
async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  let body = options.body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(body);
  }
  const response = await fetch(path, { method: options.method || "GET", headers, body,
                                       credentials: "same-origin" });
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : null);
  if (options.withHeaders) return { data, headers: response.headers };
  return data;
}

function ws() { return params().get("w") || localStorage.getItem("constellation.workspace") || ""; }

function wsPath(suffix) { return `/api/workspaces/${encodeURIComponent(ws())}${suffix || ""}`; }

function pageUrl(page, extra) {
  const q = new URLSearchParams(extra || {});
  if (ws()) q.set("w", ws());
  return `${page}?${q.toString()}`;
}

function showError(container, error) {
  const box = h("div", { class: "error-box", role: "alert" },
                error instanceof ApiError ? error.message : "Something went wrong: " + error);
  if (error instanceof ApiError && error.status === 401) {
    box.append(" Sign in with a token at the top of the page.");
  } else if (error instanceof ApiError && error.status === 404 && /^No workspace/.test(error.message)) {
    // a private workspace answers anonymous visitors as a missing one does
    box.append(" If it is private, sign in with a token at the top of the page.");
  }
  container.prepend(box);
  return box;
}

function severityBadge(severity) {
  return h("span", { class: `badge sev-${severity}` }, severity);
}

/** A link to this record on the map page, focused on it. */
function mapLink(id, text = "show on the map") {
  return h("a", { href: pageUrl("map.html", { focus: id }) }, text);
}

/** Sort order for records shown by name. */
function byLabel(a, b) { return a.label.localeCompare(b.label); }

function findingItem(f) {
  const main = f.subjects[0];
  return h("div", { class: "finding", dataset: { check: f.check, key: f.key } },
    severityBadge(f.severity), " ", f.message, " ",
    main ? mapLink(main.id) : null,
    h("div", { class: "next" }, f.suggestion));
}

/** The header: brand, pages, workspace picker and sign-in; then the page's own code. */
async function boot(pageInit) {
  const here = location.pathname.split("/").pop() || "index.html";
  const picker = h("select", { id: "workspace", "aria-label": "Workspace" });
  const signin = h("form", { class: "signin", id: "signin" });
  const header = h("header", { class: "top" },
    h("a", { class: "brand", href: pageUrl("index.html") }, "Constellation"),
    h("nav", {}, PAGES.map(([file, title]) =>
      h("a", { href: pageUrl(file), "aria-current": file === here ? "page" : null }, title))),
    h("span", { class: "spacer" }), picker, signin);
  document.body.prepend(header);
  try { session = await api("/api/session"); } catch (error) { session = { signed_in: false }; }
  renderSignin(signin);

  let workspaces = [];
  try {
    workspaces = await api("/api/workspaces");
  } catch (error) {
    showError(document.querySelector("main"), error);
  }
  if (!ws() && workspaces.length) {
    const q = params(); q.set("w", workspaces[0].slug);
    history.replaceState(null, "", `?${q.toString()}`);
  }
  workspace = workspaces.find((w) => w.slug === ws()) || null;
  for (const w of workspaces) picker.append(h("option", { value: w.slug, selected: w.slug === ws() }, w.name));
  picker.addEventListener("change", () => {
    localStorage.setItem("constellation.workspace", picker.value);
    const q = params(); q.set("w", picker.value); q.delete("focus");
    location.search = q.toString();
  });
  if (ws()) localStorage.setItem("constellation.workspace", ws());
  if (!workspaces.length) {
    document.querySelector("main").append(h("p", { class: "muted" },
      "No workspace to show. Sign in with a token, or run `constellation demo`."));
    markReady();
    return;
  }
  try {
    await pageInit();
  } catch (error) {
    showError(document.querySelector("main"), error);
  } finally {
    markReady();
  }
}

/** Say the page has finished setting itself up (its handlers are attached), so
    tests and embedding pages know when it will answer clicks. */
function markReady() { document.body.dataset.ready = "true"; }

function renderSignin(form) {
  clear(form);
  if (session.signed_in) {
    form.append(h("span", { id: "signed-in" }, `Signed in: ${session.name} (${session.role})`),
      h("button", { type: "button", class: "secondary", id: "signout",
                    onclick: async () => { await api("/api/session", { method: "DELETE" }); location.reload(); } },
        "Sign out"));
  } else {
    const input = h("input", { type: "password", id: "token", placeholder: "API token",
                               "aria-label": "API token", autocomplete: "off" });
    form.append(input, h("button", { type: "submit" }, "Sign in"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      try {
        await api("/api/session", { method: "POST", body: { token: input.value.trim() } });
        location.reload();
      } catch (error) {
        showError(document.querySelector("main"), error);
      }
    });
  }
}

function option(value, text, selected) { return h("option", { value, selected: !!selected }, text); }

/** Sortable table: columns [{title, value(row) -> sortable, cell(row) -> node/text}]. */
function sortableTable(columns, rows, rowAttrs) {
  const tbody = h("tbody");
  let order = { index: -1, dir: 1 };
  const render = () => {
    clear(tbody);
    const sorted = rows.slice();
    if (order.index >= 0) {
      const col = columns[order.index];
      sorted.sort((a, b) => {
        const x = col.value(a), y = col.value(b);
        return (x > y ? 1 : x < y ? -1 : 0) * order.dir;
      });
    }
    for (const row of sorted) {
      tbody.append(h("tr", rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h("td", {}, c.cell(row)))));
    }
  };
  const head = h("tr", {}, columns.map((c, i) => h("th", {
    class: c.value ? "sortable" : null, scope: "col",
    onclick: c.value ? () => { order = { index: i, dir: order.index === i ? -order.dir : 1 }; render(); } : null,
  }, c.title)));
  render();
  return h("table", {}, h("thead", {}, head), tbody);
}
