/* The edit page's partner links and requests to join (editors): make a link for one
   organization and copy it, see and revoke the links, and decide the requests to join. */
"use strict";

const DAY = 24 * 3600 * 1000;

function day(iso) { return iso ? iso.slice(0, 10) : ""; }

async function renderLinks() {
  const box = clear(document.getElementById("links"));
  const links = await api(wsPath("/partner-links"));
  if (!links.length) { box.append(h("p", { class: "muted" }, "No partner link yet.")); return; }
  const columns = ["Organization", "Made", "Last used", "Works until", "State", ""];
  box.append(h("table", { id: "links-table" },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, links.slice().reverse().map((l) => h("tr", { dataset: { prefix: l.prefix, state: l.state } },
      h("td", {}, l.organization_label || l.organization),
      h("td", {}, day(l.created_at)),
      h("td", {}, day(l.last_used_at) || "never"),
      // expires_at is the midnight after the last day
      h("td", {}, l.expires_at ? new Date(Date.parse(l.expires_at) - DAY).toISOString().slice(0, 10) : "no end"),
      h("td", {}, h("span", { class: `badge link-${l.state}` }, l.state)),
      h("td", {}, l.state === "active"
        ? h("button", { type: "button", class: "secondary revoke", onclick: async () => {
            try {
              await api(wsPath(`/partner-links/${encodeURIComponent(l.prefix)}/revoke`), { method: "POST" });
              await renderLinks();
            } catch (error) { showError(box, error); }
          } }, "Revoke")
        : null))))));
}

async function renderRequests() {
  const box = clear(document.getElementById("join-requests"));
  const all = await api(wsPath("/join-requests"));
  const pending = all.filter((r) => r.state === "pending");
  if (!pending.length) box.append(h("p", { class: "muted", id: "no-requests" }, "No request waits."));
  for (const r of pending) {
    const from = h("input", { type: "date", value: new Date().toISOString().slice(0, 10), "aria-label": "Day they join" });
    const reason = h("input", { placeholder: "Reason (if you decline)", "aria-label": "Reason", size: 30 });
    const decide = async (what, body) => {
      try {
        await api(wsPath(`/join-requests/${encodeURIComponent(r.id)}/${what}`), { method: "POST", body });
        await renderRequests();
      } catch (error) { showError(box, error); }
    };
    box.append(h("div", { class: "finding", dataset: { request: r.id } },
      h("strong", {}, r.organization_label || r.organization), " asks to join ",
      h("strong", {}, r.constellation_label || r.constellation), ` (asked ${day(r.created_at)})`,
      r.message ? h("div", { class: "muted" }, `“${r.message}”`) : null,
      h("div", { class: "filters" }, from,
        h("button", { type: "button", class: "accept", onclick: () => decide("accept", { valid_from: from.value || null }) }, "Accept"),
        reason,
        h("button", { type: "button", class: "secondary decline", onclick: () => decide("decline", { reason: reason.value.trim() || null }) }, "Decline"))));
  }
  const decided = all.filter((r) => r.state !== "pending").slice(0, 20);
  if (decided.length) {
    box.append(h("h3", {}, "Decided"), h("ul", { class: "requests" }, decided.map((r) =>
      h("li", { dataset: { request: r.id, state: r.state } },
        `${r.organization_label || r.organization} → ${r.constellation_label || r.constellation}: `,
        h("span", { class: `badge state-${r.state}` }, r.state),
        ` on ${day(r.decided_at)}`, r.decided_by ? ` by ${r.decided_by}` : "",
        r.reason ? h("span", { class: "muted" }, ` (${r.reason})`) : null))));
  }
}

async function setupPartnerLinks() {
  const cards = [document.getElementById("links-card"), document.getElementById("requests-card")];
  if (!session.signed_in || !["editor", "admin"].includes(session.role)) {
    for (const card of cards) {
      card.append(h("p", { class: "muted" }, "Sign in with an editor token to make partner links and decide requests."));
      for (const el of card.querySelectorAll("form")) el.hidden = true;
    }
    return;
  }
  // the suggestions follow what is typed, searched over the whole workspace
  const list = document.getElementById("link-orgs");
  let asked = 0, timer = null;
  const suggest = async () => {
    const mine = ++asked;
    const q = new URLSearchParams({ kind: "organization", q: document.getElementById("link-org").value.trim(), limit: "20" });
    try {
      const found = await api(wsPath(`/nodes?${q}`));
      if (mine !== asked) return;
      clear(list);
      for (const o of found.items.slice().sort(byLabel)) list.append(h("option", { value: o.label }));
    } catch (error) { /* the suggestions only help; making the link says what is wrong */ }
  };
  document.getElementById("link-org").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 150); });
  await suggest();
  const expires = document.getElementById("link-expires");
  expires.value = new Date(Date.now() + 90 * DAY).toISOString().slice(0, 10);
  document.getElementById("link-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const made = clear(document.getElementById("link-made"));
    try {
      const answer = await api(wsPath("/partner-links"), { method: "POST", body: {
        organization: document.getElementById("link-org").value.trim(), expires: expires.value || null } });
      const url = h("input", { id: "link-url", value: answer.url, readonly: true, size: 80,
                               "aria-label": "The partner link" });
      made.append(h("div", { class: "ok-box", role: "status" },
        h("div", {}, `A link for ${answer.link.organization_label}. Send it to them; it is shown only now.`),
        h("div", { class: "filters" }, url,
          h("button", { type: "button", class: "secondary", onclick: async () => {
            url.select();
            try { await navigator.clipboard.writeText(answer.url); } catch (e) { document.execCommand("copy"); }
          } }, "Copy"))));
      await renderLinks();
    } catch (error) { showError(made, error); }
  });
  try { await renderLinks(); } catch (error) { showError(document.getElementById("links"), error); }
  try { await renderRequests(); } catch (error) { showError(document.getElementById("join-requests"), error); }
}
