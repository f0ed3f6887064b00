/* Shared by every page: the header, the workspace, the token, the API and safe DOM building.
   Nothing here sets innerHTML from data: text always goes in through textContent. */
"use strict";

const PAGES = [
  ["index.html", "Overview"],
  ["map.html", "Map"],
  ["conveners.html", "Who convenes what"],
  ["commitments.html", "Commitments"],
  ["whatif.html", "What if"],
  ["changes.html", "Changes"],
  ["find.html", "Find a constellation"],
  ["funding.html", "Funding"],
  ["duplicates.html", "Duplicates"],
  ["edit.html", "Edit"],
];
const ADMIN_PAGES = [["workspaces.html", "Workspaces"]];  // in the menu for admins only
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
  constructor(status, problem, headers) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.headers = headers || new Headers();  // a 412 carries the current version's ETag
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
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : null, response.headers);
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

function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((e) => { e.textContent = ""; });
}

/** Put each problem next to its field (an element `err-FORMID-FIELD`); the rest in the status box. */
function showProblems(form, status, error) {
  clearErrors(form);
  const errors = (error.problem && error.problem.errors) || [];
  const names = new Set([...form.elements].map((e) => e.name).filter(Boolean));
  let placed = 0;
  for (const e of errors) {
    const loc = (e.loc || []).map(String);
    const field = [...loc].reverse().find((part) => names.has(part));
    const box = field && document.getElementById(`err-${form.id}-${field}`);
    if (box) { box.textContent = e.msg; placed += 1; }
  }
  if (!placed || placed < errors.length || !errors.length) showError(clear(status), error);
  else clear(status).append(h("div", { class: "error-box", role: "alert" }, "Nothing was saved: see the fields marked above."));
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

/** The header: brand, pages, workspace picker and sign-in; then the page's own code.
    `withoutWorkspace`: the page runs even when no workspace is there to show (the
    workspaces page, where an admin makes the first one). */
async function boot(pageInit, { withoutWorkspace = false } = {}) {
  const here = location.pathname.split("/").pop() || "index.html";
  const picker = h("select", { id: "workspace", "aria-label": "Workspace" });
  const signin = h("form", { class: "signin", id: "signin" });
  const link = ([file, title]) => h("a", { href: pageUrl(file), "aria-current": file === here ? "page" : null }, title);
  const nav = h("nav", {}, PAGES.map(link));
  const header = h("header", { class: "top" },
    h("a", { class: "brand", href: pageUrl("index.html") }, "Constellation"),
    nav, h("span", { class: "spacer" }), picker, signin);
  document.body.prepend(header);
  try { session = await api("/api/session"); } catch (error) { session = { signed_in: false }; }
  if (session.role === "admin" || ADMIN_PAGES.some(([file]) => file === here)) nav.append(...ADMIN_PAGES.map(link));
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
  if (!workspaces.length && !withoutWorkspace) {
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

/** Sortable table: columns [{title, value(row) -> sortable, cell(row) -> node/text}]; a
    column with a `value` sorts, through its header's button (see sortHeader). `sorted`
    ({index, dir}) says which column the rows already come sorted by, if any. */
function sortableTable(columns, rows, rowAttrs, sorted) {
  const tbody = h("tbody");
  let order = sorted ? { index: sorted.index, dir: sorted.dir } : { index: -1, dir: 1 };
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
  const head = h("tr", {});
  columns.forEach((c, i) => {
    if (!c.value) { head.append(h("th", { scope: "col" }, c.title)); return; }
    const th = sortHeader(c.title, () => {
      order = { index: i, dir: order.index === i ? -order.dir : 1 };
      render();
      return order.dir;
    });
    if (order.index === i) th.setAttribute("aria-sort", order.dir > 0 ? "ascending" : "descending");
    head.append(th);
  });
  if (!sorted) render();
  else for (const row of rows) {  // already in order: shown as given
    tbody.append(h("tr", rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h("td", {}, c.cell(row)))));
  }
  return h("table", {}, h("thead", {}, head), tbody);
}

/* ---- Sortable column headers, the same on every page ------------------------------------ */

/** A sortable column's header: a <th aria-sort> holding a <button>, so the column sorts by
    keyboard (Tab to it, Enter or Space) as by mouse, and a screen reader hears the order.
    `onsort()` sorts the rows and returns the new direction (1 ascending, -1 descending);
    the other headers of the row go back to aria-sort="none". */
function sortHeader(title, onsort) {
  const th = h("th", { scope: "col", class: "sortable", "aria-sort": "none" });
  th.append(h("button", { type: "button", class: "sort", onclick: () => {
    const dir = onsort();
    for (const other of th.parentNode ? th.parentNode.children : []) {
      if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
    }
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  } }, title));
  return th;
}

/** A type-ahead picker over the whole workspace: as you type, the service is asked for the
    nodes of the given kinds whose label holds the text (GET …/nodes?q=…&kind=…), so a large
    workspace is searched in full rather than cut at a first page. Picked records show as
    chips, each with a remove button. Keyboard: arrows move, Enter picks, Escape closes.

    picker({id, label, kinds, placeholder, onchange}) → {element, items(), settled(), set(items), add(item)};
    `settled()` resolves once a pick asked for by Enter has been made (the search it waits for
    may still be under way when the user moves on): a form awaits it before reading items().
    an item is {id, label, kind} and may carry `problem` (shown on its chip, e.g. "not found").
    `kinds` may hold "*" (any kind); `single` keeps one pick (a new one replaces it);
    `archived` searches archived records too; `showLabel: false` leaves the label to the
    caller's own (the input gets it as its aria-label). */
function picker({ id, label, kinds, placeholder, onchange, single, archived, showLabel = true }) {
  const SHOW = 20;
  let chosen = [];
  let options = [];
  let active = -1;
  let asked = 0;  // the latest question; an older answer arriving late is dropped
  let timer = null;
  const listId = `${id}-options`;
  const chips = h("ul", { class: "chips", id: `${id}-chosen`, "aria-label": `${label}: chosen` });
  const input = h("input", { type: "text", id, role: "combobox", autocomplete: "off",
                             "aria-autocomplete": "list", "aria-expanded": "false",
                             "aria-controls": listId, placeholder: placeholder || "type a name",
                             "aria-label": showLabel ? null : label });
  const anyKind = kinds.includes("*");
  const list = h("ul", { class: "options", id: listId, role: "listbox", hidden: true, "aria-label": label });
  const note = h("div", { class: "muted picker-note", id: `${id}-note`, "aria-live": "polite" });
  const element = h("div", { class: "picker" }, showLabel ? h("label", { for: id }, label) : null, chips,
                    h("div", { class: "picker-box" }, input, list), note);

  const renderChips = () => {
    clear(chips);
    for (const item of chosen) {
      chips.append(h("li", { class: item.problem ? "chip problem" : "chip", dataset: { id: item.id } },
        h("span", {}, item.label),
        item.kind && !item.problem ? h("span", { class: "muted" }, ` ${item.kind.replace(/_/g, " ")}`) : null,
        item.problem ? h("span", { class: "chip-problem" }, ` — ${item.problem}`) : null,
        h("button", { type: "button", class: "remove", "aria-label": `Remove ${item.label}`,
                      onclick: () => { chosen = chosen.filter((c) => c !== item); renderChips(); changed(); } }, "×")));
    }
  };
  const changed = () => { if (onchange) onchange(chosen.slice()); };
  const close = () => {
    list.hidden = true; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant"); active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0 && list.children[i]) {
      input.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({ block: "nearest" });
    }
  };
  const pick = (item) => {
    if (single) chosen = [item];
    else if (!chosen.some((c) => c.id === item.id)) chosen.push(item);
    // back to the box for the next name, unless the user has moved on while the search ran
    const stay = [input, document.body, null].includes(document.activeElement);
    input.value = ""; clear(note); close(); renderChips(); changed();
    if (stay) input.focus();
  };
  let choosing = Promise.resolve();  // the pick Enter asked for, once its search has answered
  let inflight = null;  // the search under way, so that Enter waits for its answer
  const search = () => {
    const run = lookUp();
    inflight = run;
    run.finally(() => { if (inflight === run) inflight = null; });
    return run;
  };
  const lookUp = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    let pages;
    try {
      pages = await Promise.all((anyKind ? [null] : kinds).map((kind) => {
        const ask = new URLSearchParams({ q: text, limit: String(SHOW) });
        if (kind) ask.set("kind", kind);
        if (archived) ask.set("include_archived", "true");
        return api(wsPath(`/nodes?${ask}`));
      }));
    } catch (error) {
      if (mine === asked) { clear(note).append(error.message); close(); }
      return;
    }
    if (mine !== asked) return;
    const total = pages.reduce((n, p) => n + p.total, 0);
    const lower = text.toLowerCase();
    const starts = (n) => (n.label.toLowerCase().startsWith(lower) ? 0 : 1);
    options = pages.flatMap((p) => p.items).filter((n) => !chosen.some((c) => c.id === n.id))
      .sort((a, b) => starts(a) - starts(b) || byLabel(a, b));
    clear(list);
    options.forEach((n, i) => list.append(h("li", { role: "option", id: `${id}-option-${i}`,
      "aria-selected": "false", dataset: { id: n.id },
      onmousedown: (event) => { event.preventDefault(); pick({ id: n.id, label: n.label, kind: n.kind }); } },
      n.label, kinds.length > 1 || anyKind ? h("span", { class: "muted" }, ` ${n.kind.replace(/_/g, " ")}`) : null,
      n.archived_at ? h("span", { class: "muted" }, " (archived)") : null)));
    const shown = pages.reduce((n, p) => n + p.items.length, 0);
    clear(note).append(!total ? `Nothing called “${text}”.`
      : total > shown ? `${shown} of ${total} shown: type more of the name.` : "");
    const near = pages.flatMap((p) => p.did_you_mean || []);
    if (!total && near.length) {  // the service's closest names: one click picks one
      note.append(" Did you mean ", ...near.flatMap((n, i) => [i ? ", " : "",
        h("button", { type: "button", class: "link", onclick: () => pick(n) }, n.label)]), "?");
    }
    list.hidden = !options.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    highlight(options.length ? 0 : -1);
  };
  // Every keystroke makes the matches shown stale at once, so Enter never picks a match of
  // what was typed before; the search itself waits for a pause in the typing.
  input.addEventListener("input", () => {
    asked++; options = []; clear(list); close();
    clearTimeout(timer); timer = setTimeout(() => { timer = null; search(); }, 150);
  });
  input.addEventListener("focus", () => { if (!input.value.trim()) search(); });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight(Math.min(active + 1, options.length - 1));
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault(); highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const choose = () => {
        if (!list.hidden && active >= 0) {
          const n = options[active];
          pick({ id: n.id, label: n.label, kind: n.kind });
        }
      };
      if (timer) {  // typed, not yet searched: search now, then pick the best match
        clearTimeout(timer); timer = null;
        choosing = search().then(choose);
      } else if (inflight) {  // searched, the answer not back yet: pick once it is
        choosing = inflight.then(choose);
      } else {
        choose();
      }
    } else if (event.key === "Escape") {
      close();
    }
  });
  return {
    element,
    items: () => chosen.slice(),
    settled: () => choosing,
    set: (items) => { chosen = items.slice(); renderChips(); },
    add: (item) => pick(item),
  };
}
