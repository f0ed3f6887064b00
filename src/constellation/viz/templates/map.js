/* The map page's behaviour: filters, search, details, saved layouts.
 *
 * Everything it shows comes from the JSON block #map-data and goes into the page through
 * textContent and DOM nodes, never innerHTML; vis-network draws labels on a canvas and
 * shows tooltips given as elements (nodes) or plain text (ties, set as innerText).
 */
(function () {
  "use strict";

  var timings = { start: performance.now() };
  window.mapTimings = timings;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  timings.parsed = performance.now();
  var meta = data.meta;
  var records = data.records;
  var edgeInfo = data.edge_info;
  var findings = data.findings;
  var kindByName = {};
  data.kinds.nodes.forEach(function (k) { kindByName[k.name] = k; });
  var MEASURE_NAMES = { degree: "Ties (distinct neighbours)", betweenness: "Betweenness",
    partners: "Partners" };
  var SEVERITIES = ["high", "medium", "low", "info"];
  var OVERVIEW_LIMIT = 100;

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "text") node.textContent = props[k];
        else if (k === "cls") node.className = props[k];
        else node[k] = props[k];
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function $(id) { return document.getElementById(id); }
  function fmt(x) {
    if (typeof x !== "number") return String(x);
    return Number.isInteger(x) ? String(x) : x.toPrecision(3);
  }
  function kindTitle(kind) { return kindByName[kind] ? kindByName[kind].title : kind; }
  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : (many || one + "s"));
  }

  // ------------------------------------------------------------------ validity and status

  function validOn(from, to, day) {
    return (!day) || ((!from || from <= day) && (!to || to >= day));
  }
  function statusOn(r, day) {  // graph.status_as_of, for the date filter's day
    if (!r.status) return null;
    if (day && r.disbanded && r.disbanded <= day) return "disbanded";
    if (day && r.launched && r.launched > day) return "planned";
    var recorded = r.recorded_status || r.status;
    if (recorded === "disbanded" && r.disbanded) return "active";  // not yet disbanded then
    return recorded;
  }

  // ------------------------------------------------------------------ tooltips

  function findingSummary(indices) {
    var bySeverity = {};
    indices.forEach(function (i) {
      var s = findings[i].severity;
      bySeverity[s] = (bySeverity[s] || 0) + 1;
    });
    return SEVERITIES.filter(function (s) { return bySeverity[s]; })
      .map(function (s) { return bySeverity[s] + " " + s; }).join(", ");
  }
  function nodeTooltip(id) {
    var r = records[id];
    var box = el("div", null, [el("strong", { text: r.label })]);
    var line = kindTitle(r.kind);
    if (r.status) line += " \u00b7 " + statusOn(r, meta.as_of);
    box.appendChild(el("div", { text: line }));
    if (r.findings) {
      box.appendChild(el("div", { text: "Findings: " + findingSummary(r.findings) }));
    }
    box.appendChild(el("div", { text: MEASURE_NAMES[meta.size_by] + ": " + fmt(r.measure) }));
    box.appendChild(el("div", { cls: "note", text: "Click for details" }));
    return box;
  }
  function edgeTooltip(e) {
    var from = records[e.from] ? records[e.from].label : e.from;
    var to = records[e.to] ? records[e.to].label : e.to;
    return from + " \u2014 " + e.kind.replace(/_/g, " ") + " \u2192 " + to;
  }

  // ------------------------------------------------------------------ filters

  var allKinds = data.kinds.nodes.map(function (k) { return k.name; });
  var allEdgeKinds = data.kinds.edges.map(function (k) { return k.name; });
  function freshState() {  // everything shown, as of the map's own date
    return {
      kinds: new Set(allKinds), edgeKinds: new Set(allEdgeKinds),
      statuses: new Set(data.statuses), goal: "", area: "", day: meta.as_of,
      focus: null, depth: 1
    };
  }
  var state = freshState();
  var adjacency = {};
  data.nodes.forEach(function (n) { adjacency[n.id] = []; });
  data.edges.forEach(function (e, i) {
    if (adjacency[e.from]) adjacency[e.from].push(i);
    if (adjacency[e.to] && e.to !== e.from) adjacency[e.to].push(i);
  });

  function nodePasses(id) {
    var r = records[id];
    if (!state.kinds.has(r.kind)) return false;
    if (!validOn(r.from, r.to, state.day)) return false;
    var status = statusOn(r, state.day);
    if (status && !state.statuses.has(status)) return false;
    if (state.goal && !(r.goals && r.goals.indexOf(state.goal) >= 0)) return false;
    if (state.area && !(r.areas && r.areas.indexOf(state.area) >= 0)) return false;
    return true;
  }
  function edgePasses(e) {
    if (!state.edgeKinds.has(e.kind)) return false;
    var info = edgeInfo[e.id];
    return !info || validOn(info.from, info.to, state.day);
  }

  /* Which nodes and ties are shown under the current filters. */
  function visibility() {
    var shown = new Set();
    data.nodes.forEach(function (n) { if (nodePasses(n.id)) shown.add(n.id); });
    if (state.focus && records[state.focus]) {
      var reached = new Set([state.focus]);
      var frontier = [state.focus];
      for (var step = 0; step < state.depth; step++) {
        var next = [];
        frontier.forEach(function (id) {
          adjacency[id].forEach(function (i) {
            var e = data.edges[i];
            var other = e.from === id ? e.to : e.from;
            if (!reached.has(other) && shown.has(other) && edgePasses(e)) {
              reached.add(other);
              next.push(other);
            }
          });
        });
        frontier = next;
      }
      shown = reached;
    }
    var shownEdges = new Set();
    data.edges.forEach(function (e) {
      if (shown.has(e.from) && shown.has(e.to) && edgePasses(e)) shownEdges.add(e.id);
    });
    return { nodes: shown, edges: shownEdges };
  }

  var hidden = { nodes: {}, edges: {} };
  function applyFilters() {
    var v = visibility();
    var nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var h = !v.nodes.has(n.id);
      if (hidden.nodes[n.id] !== h) { hidden.nodes[n.id] = h; nodeUpdates.push({ id: n.id, hidden: h }); }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var h = !v.edges.has(e.id);
      if (hidden.edges[e.id] !== h) { hidden.edges[e.id] = h; edgeUpdates.push({ id: e.id, hidden: h }); }
    });
    if (nodeUpdates.length) nodeSet.update(nodeUpdates);
    if (edgeUpdates.length) edgeSet.update(edgeUpdates);
    $("filter-status-line").textContent = "Showing " + v.nodes.size.toLocaleString("en") + " of " +
      plural(data.nodes.length, "node") + " and " + v.edges.size.toLocaleString("en") + " of " +
      plural(data.edges.length, "tie") + ".";
    var focusNote = $("focus-status");
    if (state.focus && records[state.focus]) {
      focusNote.hidden = false;
      focusNote.textContent = "Neighbourhood of " + records[state.focus].label + " (" +
        plural(state.depth, "step") + ").";
    } else {
      focusNote.hidden = true;
      focusNote.textContent = "";
    }
    return v;
  }

  // ------------------------------------------------------------------ build the network

  var initial = visibility();
  var stored = readStoredLayout();
  var restored = 0;
  var useStored = stored && stored.positions && (!meta.save_url || stored.pending);
  data.nodes.forEach(function (n) {
    n.title = nodeTooltip(n.id);
    n.hidden = !initial.nodes.has(n.id);
    hidden.nodes[n.id] = n.hidden;
    var p = useStored ? stored.positions[n.id] : null;
    if (p && isFinite(p.x) && isFinite(p.y)) {
      n.x = p.x; n.y = p.y; n.physics = false; restored += 1;
    }
  });
  data.edges.forEach(function (e) {
    e.title = edgeTooltip(e);
    e.hidden = !initial.edges.has(e.id);
    hidden.edges[e.id] = e.hidden;
  });
  var options = data.options;
  if (restored && restored === data.nodes.length) options.physics = { enabled: false };
  var physicsOn = !!(options.physics && options.physics.enabled);

  timings.prepared = performance.now();
  var nodeSet = new vis.DataSet(data.nodes);
  var edgeSet = new vis.DataSet(data.edges);
  var network = new vis.Network($("map"), { nodes: nodeSet, edges: edgeSet }, options);
  window.network = network;
  timings.network = performance.now();

  var loading = $("loading");
  function ready() {
    if (window.mapReady) return;
    loading.hidden = true;
    window.mapReady = true;
    window.mapReadyMs = Math.round(performance.now());
    timings.drawn = performance.now();
  }
  if (physicsOn) {
    network.on("stabilizationProgress", function (p) {
      loading.textContent = "Arranging the map\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  // what you drag stays put
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }

  // ------------------------------------------------------------------ header and legend

  (function summary() {
    var parts = [plural(meta.nodes, "node"), plural(meta.edges, "tie"), "as of " + meta.as_of];
    if (meta.health !== null && meta.health !== undefined) parts.push("health " + meta.health + "/100");
    if (meta.counts) {
      var s = meta.counts.by_severity || {};
      parts.push(plural(s.high || 0, "high-severity finding") + ", " + (s.medium || 0) + " medium");
    }
    $("map-summary").textContent = parts.join(" \u00b7 ");
  })();

  /* A ticked checkbox that adds its value to, or removes it from, one of the filter sets. */
  function toggle(setName, value) {
    var box = el("input", { type: "checkbox", checked: true });
    box.addEventListener("change", function () {
      if (box.checked) state[setName].add(value); else state[setName].delete(value);
      applyFilters();
    });
    return box;
  }
  function legendRow(parent, box, swatch, text, kind) {
    parent.appendChild(el("label", { title: kind.description }, [box, swatch, text,
      el("span", { cls: "count", text: kind.count.toLocaleString("en") })]));
  }

  data.kinds.nodes.forEach(function (k) {
    var glyph = el("span", { cls: "shape shape-" + k.shape, title: k.shape });
    glyph.style.background = k.color;
    var box = toggle("kinds", k.name);
    box.dataset.kind = k.name;
    legendRow($("legend-nodes"), box, glyph, k.title, k);
  });
  data.kinds.edges.forEach(function (k) {
    var line = el("span", { cls: "line" + (k.dashes ? " dashed" : "") });
    line.style.borderTopColor = k.color;
    var box = toggle("edgeKinds", k.name);
    box.dataset.edgeKind = k.name;
    legendRow($("legend-edges"), box, line, k.name.replace(/_/g, " "), k);
  });
  (function marks() {
    var box = $("legend-marks");
    Object.keys(data.marks).forEach(function (severity) {
      var m = data.marks[severity];
      var halo = el("span", { cls: "halo" });
      halo.style.borderColor = m.color;
      halo.style.boxShadow = "0 0 6px 2px " + m.color;
      box.appendChild(el("div", { cls: "mark" }, [halo,
        el("span", { text: m.badge + "  " + m.label + " (the node it is about)" })]));
    });
    box.appendChild(el("p", { cls: "note", text: "Low and info findings, and findings that " +
      "only name a node, are listed in its details. Click a node to see them." }));
    var note = "Size: " + (MEASURE_NAMES[meta.size_by] || meta.size_by) + " as of " + meta.as_of;
    if (meta.measure && meta.measure.approximate) note += " (estimated: " + meta.measure.note + ")";
    $("legend-size").textContent = note + ".";
  })();

  // ------------------------------------------------------------------ filter controls

  var dateInput = $("filter-date");
  dateInput.value = meta.as_of;
  data.as_of_choices.forEach(function (d) { $("date-choices").appendChild(el("option", { value: d })); });
  dateInput.addEventListener("change", function () {
    state.day = dateInput.value || meta.as_of;
    applyFilters();
  });
  data.filters.goals.forEach(function (g) {
    $("filter-goal").appendChild(el("option", { value: g.id, text: g.label }));
  });
  data.filters.issue_areas.forEach(function (a) {
    $("filter-area").appendChild(el("option", { value: a.id, text: a.label }));
  });
  $("filter-goal").addEventListener("change", function () { state.goal = this.value; applyFilters(); });
  $("filter-area").addEventListener("change", function () { state.area = this.value; applyFilters(); });
  data.statuses.forEach(function (s) {
    var box = toggle("statuses", s);
    box.dataset.status = s;
    $("filter-status").appendChild(el("label", null, [box, s]));
  });
  $("show-all").addEventListener("click", function () {
    Object.assign(state, freshState());  // the same object: constellationMap.state stays live
    dateInput.value = meta.as_of;
    $("filter-goal").value = "";
    $("filter-area").value = "";
    document.querySelectorAll("#controls input[type=checkbox]").forEach(function (b) { b.checked = true; });
    applyFilters();
  });

  // ------------------------------------------------------------------ search

  var labels = [];
  var seen = new Set();
  data.nodes.forEach(function (n) {
    var label = records[n.id].label;
    if (!seen.has(label)) { seen.add(label); labels.push(label); }
  });
  labels.sort().forEach(function (label) { $("search-names").appendChild(el("option", { value: label })); });
  var search = $("search");
  function runSearch(go) {
    var q = search.value.trim().toLowerCase();
    var status = $("search-status");
    if (!q) { status.textContent = ""; return []; }
    var matches = data.nodes.map(function (n) { return n.id; }).filter(function (id) {
      return records[id].label.toLowerCase().indexOf(q) >= 0;
    });
    var exact = matches.filter(function (id) { return records[id].label.toLowerCase() === q; });
    if (exact.length) matches = exact;
    var visible = matches.filter(function (id) { return !hidden.nodes[id]; });
    var text = matches.length ? plural(matches.length, "match", "matches") : "No node has that name.";
    if (matches.length > visible.length) text += " (" + (matches.length - visible.length) + " hidden by the filters)";
    status.textContent = text;
    if (go && visible.length) {
      network.selectNodes(visible);
      if (visible.length === 1) selectNode(visible[0]);
      else network.fit({ nodes: visible, animation: false });
    }
    return matches;
  }
  var searchTimer = null;
  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { runSearch(false); }, 150);
  });
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") runSearch(true); });
  search.addEventListener("change", function () { runSearch(true); });

  // ------------------------------------------------------------------ details panel

  var details = $("details");

  function renderValue(value) {
    if (value === null || value === undefined) return document.createTextNode("\u2014");
    if (Array.isArray(value)) {
      if (value.every(function (v) { return v === null || typeof v !== "object"; })) {
        return document.createTextNode(value.map(String).join(", "));
      }
      var list = el("ul", { cls: "plain" });
      value.forEach(function (v) { list.appendChild(el("li", null, [renderValue(v)])); });
      return list;
    }
    if (typeof value === "object") return table(value);
    return document.createTextNode(String(value));
  }
  function table(obj) {
    var dl = el("dl");
    Object.keys(obj).forEach(function (key) {
      dl.appendChild(el("dt", { text: key.replace(/_/g, " ") }));
      dl.appendChild(el("dd", null, [renderValue(obj[key])]));
    });
    return dl;
  }
  function nodeButton(id) {
    var label = records[id] ? records[id].label : id;
    var b = el("button", { type: "button", cls: "linklike", text: label });
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }
  function findingBlock(i, about) {
    var f = findings[i];
    var block = el("div", { cls: "finding " + f.severity }, [
      el("p", null, [el("span", { cls: "sev sev-" + f.severity, text: f.severity }),
        el("strong", { text: f.title })]),
      el("p", { text: f.message })]);
    if (f.suggestion) block.appendChild(el("p", { cls: "next", text: "Next step: " + f.suggestion }));
    if (about && f.subjects.length && f.subjects[0] !== about) {
      block.appendChild(el("p", { cls: "note" }, ["About ", nodeButton(f.subjects[0])]));
    }
    return block;
  }
  function section(title, body) {
    return el("section", null, [el("h2", { text: title }), body]);
  }

  function showDetails(id) {
    var r = records[id];
    if (!r) return;
    clear(details);
    var kind = kindByName[r.kind];
    var chip = el("span", { cls: "kind-chip", text: kindTitle(r.kind) });
    chip.style.background = kind ? kind.color : "#999";
    details.appendChild(chip);
    details.appendChild(el("h2", { cls: "name", text: r.label }));
    var facts = {};
    facts.id = id;
    if (r.status) facts["status (as of " + state.day + ")"] = statusOn(r, state.day);
    facts[MEASURE_NAMES[meta.size_by].toLowerCase() + " (as of " + meta.as_of + ")"] = fmt(r.measure);
    if (r.from || r.to) facts.valid = (r.from || "\u2026") + " to " + (r.to || "\u2026");
    details.appendChild(table(facts));

    var actions = el("div");
    [1, 2].forEach(function (depth) {
      var b = el("button", { type: "button", text: depth === 1 ? "Focus on its neighbours" : "\u2026 and theirs" });
      b.addEventListener("click", function () { focusOn(id, depth); });
      actions.appendChild(b);
    });
    if (state.focus) {
      var all = el("button", { type: "button", text: "Show everything again" });
      all.addEventListener("click", function () { state.focus = null; applyFilters(); showDetails(id); });
      actions.appendChild(all);
    }
    details.appendChild(actions);
    if (r.chart) {  // an indicator's curve, drawn on the server (a data: URI)
      details.appendChild(section("Trend", el("img", { cls: "chart", src: r.chart,
        alt: "Turn-the-curve chart of " + r.label })));
    }

    var own = r.findings || [];
    var named = r.involved || [];
    if (own.length) {
      var box = el("div");
      own.forEach(function (i) { box.appendChild(findingBlock(i, id)); });
      details.appendChild(section("Findings (" + own.length + ")", box));
    }
    if (named.length) {
      var box2 = el("div");
      named.forEach(function (i) { box2.appendChild(findingBlock(i, id)); });
      details.appendChild(section("Named in findings about others (" + named.length + ")", box2));
    }
    if (!own.length && !named.length) {
      details.appendChild(el("p", { cls: "note", text: "No findings about this node as of " + meta.as_of + "." }));
    }
    if (r.properties) details.appendChild(section("Properties", table(r.properties)));
    if (r.tags) {
      var tags = el("div", { cls: "tags" });
      r.tags.forEach(function (t) { tags.appendChild(el("span", { text: t })); });
      details.appendChild(section("Tags", tags));
    }
    if (r.attributes) details.appendChild(section("Attributes", table(r.attributes)));

    var ties = el("ul", { cls: "plain" });
    var shownTies = 0;
    adjacency[id].forEach(function (i) {
      var e = data.edges[i];
      if (shownTies >= 60) return;
      shownTies += 1;
      var out = e.from === id;
      ties.appendChild(el("li", null, [
        (out ? "" : "\u2190 ") + e.kind.replace(/_/g, " ") + (out ? " \u2192 " : " "),
        nodeButton(out ? e.to : e.from)]));
    });
    if (adjacency[id].length > shownTies) {
      ties.appendChild(el("li", { cls: "note", text: "and " + (adjacency[id].length - shownTies) + " more" }));
    }
    if (adjacency[id].length) details.appendChild(section("Ties (" + adjacency[id].length + ")", ties));
  }

  function showEdgeDetails(edgeId) {
    var e = edgeSet.get(edgeId);
    if (!e) return;
    clear(details);
    details.appendChild(el("span", { cls: "kind-chip", text: e.kind.replace(/_/g, " ") }));
    details.lastChild.style.background = e.color;
    details.appendChild(el("p", null, [nodeButton(e.from), " \u2192 ", nodeButton(e.to)]));
    var info = edgeInfo[edgeId] || {};
    var facts = { id: edgeId };
    if (info.from || info.to) facts.valid = (info.from || "\u2026") + " to " + (info.to || "\u2026");
    details.appendChild(table(facts));
    if (info.properties) details.appendChild(section("Properties", table(info.properties)));
  }

  function showOverview() {
    clear(details);
    details.appendChild(el("h2", { text: "At a glance" }));
    if (!meta.counts) {
      details.appendChild(el("p", { cls: "note", text: "This map was drawn without an audit." }));
      return;
    }
    var s = meta.counts.by_severity || {};
    details.appendChild(el("p", { text: "Health " + meta.health + "/100 as of " + meta.as_of +
      ": " + SEVERITIES.map(function (k) { return (s[k] || 0) + " " + k; }).join(", ") + "." }));
    var list = el("div");
    var shown = 0;
    var more = 0;
    findings.forEach(function (f, i) {
      if (!data.marks[f.severity] || !f.subjects.length) return;
      if (shown >= OVERVIEW_LIMIT) { more += 1; return; }
      shown += 1;
      var block = findingBlock(i, null);
      block.appendChild(el("p", null, [nodeButton(f.subjects[0])]));
      list.appendChild(block);
    });
    if (!shown) list.appendChild(el("p", { text: "No high or medium findings." }));
    if (more) list.appendChild(el("p", { cls: "note", text: "\u2026 and " + more.toLocaleString("en") + " more." }));
    details.appendChild(list);
    details.appendChild(el("p", { cls: "note", text: "Click a node for its details and all its findings." }));
  }

  function selectNode(id) {
    if (!records[id]) return;  // a finding may name a node the map does not hold
    if (hidden.nodes[id]) {
      state.focus = null;
      applyFilters();
    }
    if (hidden.nodes[id]) {
      showDetails(id);
      details.insertBefore(el("p", { cls: "note", text: "Hidden by the filters on the map." }), details.firstChild);
      return;
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    showDetails(id);
  }

  function focusOn(id, depth) {
    state.focus = id;
    state.depth = depth;
    var v = applyFilters();
    network.fit({ nodes: Array.from(v.nodes), animation: false });
    network.selectNodes([id]);
    showDetails(id);
  }

  var clicked = [null, null];  // the nodes of the last two clicks
  network.on("click", function (params) {
    clicked = [clicked[1], params.nodes.length ? params.nodes[0] : null];
    if (params.nodes.length) showDetails(params.nodes[0]);
    else if (params.edges.length) showEdgeDetails(params.edges[0]);
    else showOverview();
  });
  network.on("doubleClick", function (params) {
    // Two quick clicks on two different nodes are not a double click on either, though
    // vis-network may say so; and it may report a double click before the click of its
    // second tap. So decide once this input's clicks are all in: on the next task.
    var id = params.nodes.length ? params.nodes[0] : null;
    if (!id) return;
    setTimeout(function () {
      if (clicked[0] === id && clicked[1] === id) focusOn(id, 1);
    }, 0);
  });
  showOverview();
  applyFilters();

  // ------------------------------------------------------------------ layouts

  function readStoredLayout() {
    try {
      return JSON.parse(window.localStorage.getItem(meta.storage_key) || "null");
    } catch (err) {
      return null;
    }
  }
  function writeStoredLayout(value) {
    try {
      if (value) window.localStorage.setItem(meta.storage_key, JSON.stringify(value));
      else window.localStorage.removeItem(meta.storage_key);
      return true;
    } catch (err) {
      return false;
    }
  }
  var layoutStatus = $("layout-status");
  if (restored) layoutStatus.textContent = "Your saved layout (" + plural(restored, "node") + ") was restored from this browser.";
  $("save-layout").addEventListener("click", function () {
    var raw = network.getPositions();
    var positions = {};
    Object.keys(raw).forEach(function (id) {
      positions[id] = { x: Math.round(raw[id].x * 10) / 10, y: Math.round(raw[id].y * 10) / 10 };
    });
    var entry = { saved_at: new Date().toISOString(), positions: positions, pending: !!meta.save_url };
    var local = writeStoredLayout(entry);
    if (!meta.save_url) {
      layoutStatus.textContent = local
        ? "Saved in this browser: the layout comes back when you open this map here again."
        : "This browser does not let the page keep a layout.";
      return;
    }
    layoutStatus.textContent = "Saving\u2026";
    fetch(meta.save_url, {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ positions: positions })
    }).then(function (response) {
      if (!response.ok) throw new Error("the server answered " + response.status);
      entry.pending = false;
      writeStoredLayout(entry);
      layoutStatus.textContent = "Saved for everyone who opens this map.";
    }).catch(function (err) {
      layoutStatus.textContent = "Saved in this browser only (" + err.message + ").";
    });
  });
  $("forget-layout").addEventListener("click", function () {
    writeStoredLayout(null);
    layoutStatus.textContent = "Forgotten in this browser; reload the page to see the map's own layout.";
  });
  $("fit").addEventListener("click", function () { network.fit({ animation: false }); });

  // a link may name a node to open on: map.html?focus=<id> (the web pages' "show on the map")
  var wanted = new URLSearchParams(window.location.search).get("focus");
  if (wanted && records[wanted]) selectNode(wanted);

  window.constellationMap = {
    data: data, nodes: nodeSet, edges: edgeSet, state: state, applyFilters: applyFilters,
    showDetails: showDetails, selectNode: selectNode, focusOn: focusOn, search: runSearch
  };
})();
