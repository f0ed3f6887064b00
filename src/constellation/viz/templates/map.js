/* The map page's behaviour: filters, search, details, saved layouts, labels sized for the
 * screen, colour and size by any field, the audit of the date shown, a table of the nodes,
 * views kept in the URL fragment, and saving the picture.
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
  var audit = { day: meta.as_of, health: meta.health, counts: meta.counts, exact: true };
  var kindByName = {};
  data.kinds.nodes.forEach(function (k) { kindByName[k.name] = k; });
  var MEASURE_NAMES = { degree: "Ties (distinct neighbours)", betweenness: "Betweenness",
    partners: "Partners", funding: "Funding received" };
  var SEVERITIES = ["high", "medium", "low", "info"];
  var OVERVIEW_LIMIT = 100;
  var SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };
  var kindOfEdge = {};
  data.kinds.edges.forEach(function (k) { kindOfEdge[k.name] = k; });
  var edgeStyled = {};  // edge id -> the change it is drawn with (null: none)

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
  function stageOn(r, day) {  // the latest stage reached by the day (analysis.stages.stage_of)
    var found = null;
    (r.stages || []).forEach(function (p) { if (!day || p[0] <= day) found = p[1]; });
    return found;
  }
  /* The nodes the view is focused on: `focus` holds one id, or several joined by commas
   * (two groups that share partners, from the conveners page). */
  function focusIds() {
    return state.focus ? String(state.focus).split(",").filter(function (id) { return records[id]; }) : [];
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
      statuses: new Set(data.statuses.filter(function (s) { return data.hidden_statuses.indexOf(s) < 0; })),
      goal: "", area: "", day: meta.as_of, since: "", focus: null, depth: 1
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
    if (!validOn(r.from, r.to, state.day) && !(state.since && validOn(r.from, r.to, state.since))) return false;
    var status = statusOn(r, state.day);
    if (status && !state.statuses.has(status)) return false;
    if (state.goal && !(r.goals && r.goals.indexOf(state.goal) >= 0)) return false;
    if (state.area && !(r.areas && r.areas.indexOf(state.area) >= 0)) return false;
    return true;
  }
  function edgePasses(e) {
    if (!state.edgeKinds.has(e.kind)) return false;
    var info = edgeInfo[e.id];
    return !info || validOn(info.from, info.to, state.day) ||
      !!(state.since && validOn(info.from, info.to, state.since));
  }
  /* In the changes mode (a first date, `since`, before the date shown): was the record
   * added between the two dates, or did it end? */
  function changeOf(from, to) {
    if (!state.since || state.since >= state.day) return null;
    var was = validOn(from, to, state.since), now = validOn(from, to, state.day);
    return !was && now ? "added" : was && !now ? "ended" : null;
  }

  /* Which nodes and ties are shown under the current filters. */
  function visibility() {
    var shown = new Set();
    data.nodes.forEach(function (n) { if (nodePasses(n.id)) shown.add(n.id); });
    if (focusIds().length) {
      var reached = new Set(focusIds());
      var frontier = focusIds();
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

  var hidden = { nodes: {}, edges: {} };  // hidden by the filters
  var drawn = { nodes: {}, edges: {} };  // hidden in the DataSet: by the filters, or folded in a group
  var shownNow = null;  // what the filters showed last
  function applyFilters() {
    var v = visibility();
    shownNow = v;
    computeGroups(v.nodes);
    var nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var off = !v.nodes.has(n.id);
      hidden.nodes[n.id] = off;
      var h = off || !!folded[n.id];
      if (drawn.nodes[n.id] !== h) { drawn.nodes[n.id] = h; nodeUpdates.push({ id: n.id, hidden: h }); }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var off = !v.edges.has(e.id);
      hidden.edges[e.id] = off;
      if (inSet[e.id]) {
        if (drawn.edges[e.id] !== off) { drawn.edges[e.id] = off; edgeUpdates.push({ id: e.id, hidden: off }); }
      } else if (!folded[e.from] && !folded[e.to]) {  // both ends drawn now: the tie joins the DataSet
        edgeUpdates.push(edgeItem(e, off));
      }
    });
    syncGroups(v, nodeUpdates, edgeUpdates);
    $("filter-status-line").textContent = "Showing " + v.nodes.size.toLocaleString("en") + " of " +
      plural(data.nodes.length, "node") + " and " + v.edges.size.toLocaleString("en") + " of " +
      plural(data.edges.length, "tie") + ".";
    var focusNote = $("focus-status");
    if (focusIds().length) {
      focusNote.hidden = false;
      focusNote.textContent = "Neighbourhood of " +
        focusIds().map(function (id) { return records[id].label; }).join(" and ") + " (" +
        plural(state.depth, "step") + ").";
    } else {
      focusNote.hidden = true;
      focusNote.textContent = "";
    }
    placeLabelsSoon();
    refreshTable();
    return v;
  }

  // ------------------------------------------------------------------ groups (clusters)

  /* Group by community, goal or constellation. Each group of two or more nodes shown is
   * drawn as one node of the DataSet (id "cluster:<by>:<key>", kind "group"), sized by its
   * members, labelled with its name and count, at the middle of its members; its members
   * stay in the DataSet with hidden: true, and the ties between groups (or between a group
   * and a node drawn on its own) are drawn as one tie per pair with the count. A click on a
   * group opens it (its members shown, the group hidden); its details, or the View panel,
   * close it again. Above meta.cluster_above nodes (viz.map.CLUSTER_ABOVE) the map opens
   * grouped by community; #cluster=none opens it whole. A neighbourhood (focus) is never
   * folded. */
  var GROUP_RADIUS = 25;  // canvas px per square root of the members: area follows the count
  function primaryGroup(id) {  // the constellation a node belongs with: itself, or its first
    var r = records[id];
    if (r.kind === "constellation") return id;
    var best = null;
    adjacency[id].forEach(function (i) {
      var e = data.edges[i];
      var other = e.from === id ? e.to : e.from;
      if (!best && records[other] && records[other].kind === "constellation" &&
          (e.kind === "convenes" || e.kind === "participates_in")) best = other;
    });
    return best;
  }
  function labelOf(id) { return records[id] ? records[id].label : id; }
  var GROUPS = {
    community: { title: "Community", key: function (id) {
      var m = records[id].measures; return m && m.community !== undefined ? String(m.community + 1) : null; },
      name: function (k) { return "Community " + k; } },
    goal: { title: "Goal", key: function (id) { var g = records[id].goals; return g ? g[0] : null; },
      name: function (k) { return labelOf(k); } },
    constellation: { title: "Constellation", key: primaryGroup, name: function (k) { return labelOf(k); } }
  };
  var defaultCluster = meta.cluster_above !== null && data.nodes.length > meta.cluster_above ? "community" : "";
  var clusterBy = (function () {  // the fragment's choice, read before the network is built
    var f = new URLSearchParams(window.location.hash.replace(/^#/, "")).get("cluster");
    return f === null ? defaultCluster : GROUPS[f] ? f : "";
  })();
  var groups = {};  // group id -> {id, key, name, title, members}
  var groupOrder = [];  // the group ids, largest first
  var folded = {};  // node id -> the id of the closed group it is drawn in
  var opened_groups = {};  // group id -> true: open (its members shown)
  var groupItems = {};  // group id -> its DataSet item as last written (JSON), or absent
  var tieItems = {};  // group tie id -> JSON of its item
  function computeGroups(shown) {
    groups = {};
    groupOrder = [];
    folded = {};
    var g = GROUPS[clusterBy];
    if (!g || focusIds().length) return;
    var members = {};
    shown.forEach(function (id) {
      var k = g.key(id);
      if (k === null || k === undefined) return;
      (members[k] = members[k] || []).push(id);
    });
    Object.keys(members).forEach(function (k) {
      var ids = members[k];
      if (ids.length < 2) return;
      var cid = "cluster:" + clusterBy + ":" + k;
      var name = g.name(k);
      if (clusterBy === "community") {  // named after its best-connected member too
        var top = ids.reduce(function (a, b) { return records[b].measure > records[a].measure || (records[b].measure === records[a].measure && b < a) ? b : a; });
        name += " \u00b7 " + records[top].label;
      }
      groups[cid] = { id: cid, key: k, name: name, short: g.name(k), title: g.title, members: ids };
      groupOrder.push(cid);
      if (!opened_groups[cid]) ids.forEach(function (id) { folded[id] = cid; });
    });
    groupOrder.sort(function (a, b) {
      return groups[b].members.length - groups[a].members.length || (a < b ? -1 : 1);
    });
  }
  function closedGroups() { return groupOrder.filter(function (c) { return !opened_groups[c]; }); }
  function nodeXY(id) {
    var b = typeof network !== "undefined" && network.body.nodes[id];
    if (b) return { x: b.x, y: b.y };
    var n = nodeById[id];
    return { x: n.x || 0, y: n.y || 0 };
  }
  /* Where the closed groups are drawn: at the middle of their members, then pushed apart
   * (largest first) until no two overlap, the same way every time. */
  function groupPlaces() {
    var list = closedGroups().map(function (cid) {
      var sx = 0, sy = 0, ids = groups[cid].members;
      ids.forEach(function (id) { var p = nodeXY(id); sx += p.x; sy += p.y; });
      return { id: cid, x: sx / ids.length, y: sy / ids.length, r: GROUP_RADIUS * Math.sqrt(ids.length) };
    });
    for (var round = 0; round < 60; round++) {
      var moved = false;
      for (var i = 0; i < list.length; i++) {
        for (var j = i + 1; j < list.length; j++) {
          var a = list[i], b = list[j];
          var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy);
          var want = a.r + b.r + 60;
          if (d >= want) continue;
          if (d < 1e-6) { var t = (j * 2.399963) % (2 * Math.PI); dx = Math.cos(t); dy = Math.sin(t); d = 1; }
          var push = (want - d) / d;
          var wa = b.r * b.r / (a.r * a.r + b.r * b.r);  // the smaller group moves more
          a.x -= dx * push * wa; a.y -= dy * push * wa;
          b.x += dx * push * (1 - wa); b.y += dy * push * (1 - wa);
          moved = true;
        }
      }
      if (!moved) break;
    }
    var out = {};
    list.forEach(function (p) { out[p.id] = p; });
    return out;
  }
  function groupFill(ids) {  // the fill most of its members have
    var counts = {}, best = null;
    ids.forEach(function (id) { var f = fillOf(id); counts[f] = (counts[f] || 0) + 1; });
    Object.keys(counts).sort().forEach(function (f) { if (best === null || counts[f] > counts[best]) best = f; });
    return best || "#7f7f7f";
  }
  function groupItem(cid, place) {
    var g = groups[cid], ids = g.members;
    var marks = ids.filter(function (id) { return worstMark(id) === "high"; }).length;
    var fill = groupFill(ids);
    var label = (marks ? data.marks.high.badge + " " : "") + shortLabel(g.short) + " (" + ids.length.toLocaleString("en") + ")";
    return { id: cid, kind: "group", group_of: clusterBy, members: ids.length, shape: "dot",
      size: place.r, x: Math.round(place.x), y: Math.round(place.y), physics: false, hidden: false,
      label: label, borderWidth: marks ? 4 : 2,
      color: { background: fill, border: marks ? data.marks.high.color : "#222222",
        highlight: { background: fill, border: "#000000" }, hover: { background: fill, border: "#000000" } },
      font: { size: (labelSizes && labelSizes[cid]) || 1, vadjust: (labelShifts && labelShifts[cid]) || 0 },
      title: g.title + ": " + g.name + " \u2014 " + plural(ids.length, "node") +
        (marks ? ", " + plural(marks, "high-severity finding") : "") + ". Click to open." };
  }
  /* The group nodes and the ties between them, written into the DataSets with the other
   * `nodeUpdates` and `edgeUpdates` (one update of each: vis-network redoes its indices
   * after each), what changed only. */
  var building = true;  // the first groups and ties go into the DataSets as they are made
  var firstGroups = { nodes: [], edges: [] };
  function syncGroups(v, nodeUpdates, edgeUpdates) {
    var places = groupPlaces();
    var want = {};
    var adds = [];
    Object.keys(places).forEach(function (cid) {
      var item = groupItem(cid, places[cid]);
      var key = JSON.stringify(item);
      want[cid] = true;
      if (groupItems[cid] !== key) { groupItems[cid] = key; adds.push(item); }
    });
    var gone = [];
    Object.keys(groupItems).forEach(function (cid) {
      if (want[cid]) return;
      if (groups[cid] && opened_groups[cid]) {  // open: kept in the DataSet, hidden
        if (groupItems[cid] !== "open") { groupItems[cid] = "open"; adds.push({ id: cid, hidden: true }); }
      } else {
        gone.push(cid);
        delete groupItems[cid];
      }
    });
    if (building) firstGroups.nodes = adds;
    if (gone.length && !building) nodeSet.remove(gone);
    adds = nodeUpdates.concat(adds);
    if (adds.length && !building) nodeSet.update(adds);
    // one tie per pair of a closed group and another group or node, with the count
    var counts = {};
    var inOpen = {};  // the members of the open groups: their ties to a closed group are not drawn
    groupOrder.forEach(function (c) { if (opened_groups[c]) groups[c].members.forEach(function (id) { inOpen[id] = true; }); });
    if (groupOrder.length && Object.keys(folded).length) {
      data.edges.forEach(function (e) {
        var a = folded[e.from], b = folded[e.to];
        if ((!a && !b) || (a && inOpen[e.to]) || (b && inOpen[e.from]) || !v.edges.has(e.id)) return;
        a = a || e.from; b = b || e.to;
        if (a === b) return;
        var k = a < b ? a + "|" + b : b + "|" + a;
        counts[k] = (counts[k] || 0) + 1;
      });
    }
    var ties = [], keep = {};
    Object.keys(counts).forEach(function (k) {
      var ends = k.split("|"), id = "group-tie:" + k, c = counts[k];
      var item = { id: id, kind: "group", from: ends[0], to: ends[1], ties: c,
        width: Math.min(1 + Math.log(c) / Math.LN2, 12), arrows: { to: { enabled: false } },
        dashes: false, hidden: false, color: { color: "#555555", opacity: 0.45 },
        title: plural(c, "tie") + " between " + (groups[ends[0]] ? groups[ends[0]].name : labelOf(ends[0])) +
          " and " + (groups[ends[1]] ? groups[ends[1]].name : labelOf(ends[1])) };
      var key = JSON.stringify(item);
      keep[id] = true;
      if (tieItems[id] !== key) { tieItems[id] = key; ties.push(item); }
    });
    var cut = Object.keys(tieItems).filter(function (id) { return !keep[id]; });
    cut.forEach(function (id) { delete tieItems[id]; });
    if (building) firstGroups.edges = ties;
    if (cut.length && !building) edgeSet.remove(cut);
    ties = edgeUpdates.concat(ties);
    if (ties.length && !building) edgeSet.update(ties);
    var status = $("cluster-status");
    var open = groupOrder.length - closedGroups().length;
    status.textContent = clusterBy && groupOrder.length ? plural(groupOrder.length, "group") + " of two or more (" +
      open.toLocaleString("en") + " open); click one to open it." : clusterBy && focusIds().length ?
      "A neighbourhood is shown whole." : "";
    $("close-groups").hidden = !open;
  }
  function openGroup(cid) {
    if (!groups[cid] || opened_groups[cid]) return;
    opened_groups[cid] = true;
    applyFilters();
    writeFragment();
  }
  function closeGroup(cid) {
    if (!opened_groups[cid]) return;
    delete opened_groups[cid];
    applyFilters();
    writeFragment();
  }
  function showGroupDetails(cid) {
    var g = groups[cid];
    if (!g) return;
    clear(details);
    details.appendChild(el("span", { cls: "kind-chip", text: "Group by " + g.title.toLowerCase() }));
    details.lastChild.style.background = "#555555";
    details.appendChild(el("h2", { cls: "name", text: g.name }));
    var open = !!opened_groups[cid];
    var b = el("button", { type: "button", text: open ? "Close the group" : "Open the group" });
    b.addEventListener("click", function () { if (open) closeGroup(cid); else openGroup(cid); showGroupDetails(cid); });
    details.appendChild(b);
    var members = g.members.slice().sort(function (a, c) { return records[c].measure - records[a].measure || (a < c ? -1 : 1); });
    var list = el("ul", { cls: "plain" });
    members.slice(0, 60).forEach(function (id) { list.appendChild(el("li", null, [nodeButton(id)])); });
    if (members.length > 60) list.appendChild(el("li", { cls: "note", text: "and " + (members.length - 60).toLocaleString("en") + " more" }));
    details.appendChild(section(plural(members.length, "member") + ", the best connected first", list));
  }
  function setCluster(by) {
    clusterBy = GROUPS[by] ? by : "";
    opened_groups = {};
    $("cluster-by").value = clusterBy;
    applyFilters();
    writeFragment();
  }

  // ------------------------------------------------------------------ build the network

  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var initial = visibility();
  var stored = readStoredLayout();
  var restored = 0;
  var useStored = stored && stored.positions && (!meta.save_url || stored.pending);
  data.nodes.forEach(function (n) {
    n.title = nodeTooltip(n.id);
    var p = useStored ? stored.positions[n.id] : null;
    if (p && isFinite(p.x) && isFinite(p.y)) {
      n.x = p.x; n.y = p.y; n.physics = false; restored += 1;
    }
  });
  computeGroups(initial.nodes);  // a big map opens grouped: its members go in hidden
  data.nodes.forEach(function (n) {
    hidden.nodes[n.id] = !initial.nodes.has(n.id);
    n.hidden = hidden.nodes[n.id] || !!folded[n.id];
    drawn.nodes[n.id] = n.hidden;
  });
  /* A tie goes into the DataSet once neither of its ends is folded in a closed group (vis
   * draws no tie to a hidden node, and 200,000 ties in the DataSet cost the page seconds at
   * every change): so `network.body.data.edges` holds the ties that can be drawn now. */
  var inSet = {};
  var firstEdges = [];
  data.edges.forEach(function (e) {
    e.title = edgeTooltip(e);
    hidden.edges[e.id] = !initial.edges.has(e.id);
    e.hidden = hidden.edges[e.id];
    if (!folded[e.from] && !folded[e.to]) {
      inSet[e.id] = true;
      drawn.edges[e.id] = e.hidden;
      firstEdges.push(e);
    }
  });
  var options = data.options;
  if (restored && restored === data.nodes.length) options.physics = { enabled: false };
  var physicsOn = !!(options.physics && options.physics.enabled);

  timings.prepared = performance.now();
  syncGroups(initial, [], []);  // the groups the map opens with, and the ties between them
  building = false;
  var nodeSet = new vis.DataSet(data.nodes.concat(firstGroups.nodes));
  var edgeSet = new vis.DataSet(firstEdges.concat(firstGroups.edges));
  var network = new vis.Network($("map"), { nodes: nodeSet, edges: edgeSet }, options);
  window.network = network;
  timings.network = performance.now();
  timings.grouped = performance.now();

  var loading = $("loading");
  var opened = false;  // the first view is set up (fit, the fragment's view, labels)
  var auditAsked = null;  // the day whose audit the service is being asked for (see askAudit)
  /* window.mapReady: the map is drawn, and its header, findings and marks are those of the
   * date shown. Anything that changes the date sets it false first (see setDay). */
  function ready() {
    if (!opened || window.mapReady || auditAsked) return;  // not before the date's audit is here
    loading.hidden = true;
    window.mapReady = true;
    if (!window.mapReadyMs) window.mapReadyMs = Math.round(performance.now());
    timings.drawn = timings.drawn || performance.now();
  }
  if (physicsOn) {
    network.on("stabilizationProgress", function (p) {
      loading.textContent = "Arranging the map\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  // what you drag stays put
      openView();
      ready();
    });
  }

  // ------------------------------------------------------------------ header and legend

  function summary() {
    var parts = [plural(meta.nodes, "node"), plural(meta.edges, "tie"), "as of " + state.day];
    if (audit.health !== null && audit.health !== undefined) {
      var h = "health " + audit.health + "/100";
      if (audit.day !== state.day) {
        h += audit.exact ? " (audit of " + audit.day + ", the last change before)"
          : audit.asking ? " (the audit of the map's date, " + audit.day + ": asking for " + state.day + "'s\u2026)"
          : audit.problem ? " (the audit of the map's date, " + audit.day + ": " + state.day + "'s could not be had: " + audit.problem + ")"
          : " (the audit of the map's date, " + audit.day + ": reload the map for that date's)";
      }
      parts.push(h);
    }
    if (audit.counts) {
      var s = audit.counts.by_severity || {};
      parts.push(plural(s.high || 0, "high-severity finding") + ", " + (s.medium || 0) + " medium");
    }
    var ch = window.mapChanges;
    if (ch && state.since && state.since < state.day) {
      parts.push("since " + state.since + ": +" + ch.nodes.added + " / \u2212" + ch.nodes.ended + " nodes, +" +
        ch.edges.added + " / \u2212" + ch.edges.ended + " ties");
    }
    $("map-summary").textContent = parts.join(" \u00b7 ");
  }
  summary();

  /* A ticked checkbox that adds its value to, or removes it from, one of the filter sets. */
  function toggle(setName, value) {
    var box = el("input", { type: "checkbox", checked: true });
    box.addEventListener("change", function () {
      if (box.checked) state[setName].add(value); else state[setName].delete(value);
      applyFilters();
    });
    return box;
  }
  function styleSwatch(swatch, status) {
    var st = data.status_styles[status];
    var kind = kindByName.constellation;
    swatch.style.background = kind ? kind.color : "#117733";
    swatch.style.opacity = st.opacity;
    swatch.style.borderColor = st.border || "#0b4d22";
    swatch.style.borderStyle = st.borderDashes ? (st.borderDashes[0] <= 2 ? "dotted" : "dashed") : "solid";
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
    Object.keys(data.change_styles).forEach(function (name) {
      var c = data.change_styles[name];
      var ring = el("span", { cls: "halo" });
      ring.style.borderColor = c.color;
      ring.style.borderStyle = c.dashes ? "dashed" : "solid";
      if (c.opacity) ring.style.opacity = c.opacity;
      box.appendChild(el("div", { cls: "mark" }, [ring, el("span", { text: c.badge + "  " + c.legend })]));
    });
    box.appendChild(el("p", { cls: "note", text: "Constellation status: see the swatches by the status filter." }));
    var note = "Size: " + (MEASURE_NAMES[meta.size_by] || meta.size_by) + " as of " + meta.as_of;
    if (meta.measure && meta.measure.approximate) note += " (estimated: " + meta.measure.note + ")";
    $("legend-size").textContent = note + ".";
  })();

  // ------------------------------------------------------------------ filter controls

  var dateInput = $("filter-date");
  dateInput.value = meta.as_of;
  data.as_of_choices.forEach(function (d) { $("date-choices").appendChild(el("option", { value: d })); });
  dateInput.addEventListener("change", function () { setDay(dateInput.value || meta.as_of); });
  $("changes-from").addEventListener("change", function () {
    state.since = this.value || "";
    restyle();
    applyFilters();
    summary();
    writeFragment();
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
    box.checked = state.statuses.has(s);
    var swatch = el("span", { cls: "status-swatch", title: data.status_styles[s].legend });
    styleSwatch(swatch, s);
    $("filter-status").appendChild(el("label", { title: data.status_styles[s].legend },
      [box, swatch, data.status_styles[s].legend]));
  });
  $("show-all").addEventListener("click", function () {
    Object.assign(state, freshState());  // the same object: constellationMap.state stays live
    syncControls();
    setDay(meta.as_of);
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
    var inGroups = {};
    visible.forEach(function (id) { if (folded[id]) inGroups[folded[id]] = true; });
    var toOpen = Object.keys(inGroups);
    if (go && toOpen.length > 5) {
      text += "; in " + plural(toOpen.length, "closed group") + ": type more of the name to open them";
      visible = visible.filter(function (id) { return !folded[id]; });
      status.textContent = text;
    } else if (go && toOpen.length) {
      toOpen.forEach(function (c) { opened_groups[c] = true; });
      applyFilters();
      writeFragment();
    }
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
    var inGroup = groupOrder.filter(function (c) { return opened_groups[c] && groups[c].members.indexOf(id) >= 0; })[0];
    if (inGroup) {
      var close = el("button", { type: "button", text: "Close its group (" + groups[inGroup].name + ")" });
      close.addEventListener("click", function () { closeGroup(inGroup); showGroupDetails(inGroup); });
      actions.appendChild(close);
    }
    details.appendChild(actions);
    if (r.chart) {  // an indicator's curve, drawn on the server (a data: URI)
      details.appendChild(section("Trend", el("img", { cls: "chart", src: r.chart,
        alt: "Turn-the-curve chart of " + r.label })));
    } else if (r.chart_left_out) {
      details.appendChild(section("Trend", el("p", { cls: "note", text: "A map this large leaves the " +
        "turn-the-curve charts out: GET \u2026/indicators/" + id + "/chart.svg draws this one (and the meeting packet has it)." })));
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
      details.appendChild(el("p", { cls: "note", text: "No findings about this node as of " + audit.day + "." }));
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
    if (!audit.counts) {
      details.appendChild(el("p", { cls: "note", text: "This map was drawn without an audit." }));
      return;
    }
    var s = audit.counts.by_severity || {};
    details.appendChild(el("p", { text: "Health " + audit.health + "/100 as of " + audit.day +
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
    if (folded[id]) openGroup(folded[id]);  // a node inside a closed group: open it
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
    writeFragment();
  }

  var clicked = [null, null];  // the nodes of the last two clicks
  network.on("click", function (params) {
    clicked = [clicked[1], params.nodes.length ? params.nodes[0] : null];
    if (params.nodes.length && groups[params.nodes[0]]) {  // open it, and show it whole
      var cid = params.nodes[0];
      openGroup(cid);
      network.fit({ nodes: groups[cid].members.filter(function (id) { return !drawn.nodes[id]; }), animation: false });
      placeLabelsSoon();
      writeFragmentSoon();
      showGroupDetails(cid);
      return;
    }
    if (params.nodes.length) showDetails(params.nodes[0]);
    else if (params.edges.length && tieItems[params.edges[0]]) showOverview();
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


  // ------------------------------------------------------------------ the audit of the date shown

  /* The audit for a day: the embedded audit of that date, or of the last date before it on
   * which something changed (the network is the same in between); without embedded audits
   * (large maps), the map's own. */
  function auditFor(day) {
    var days = meta.audit_dates;
    if (day === meta.as_of) return { day: day, exact: true, a: null };
    if (fetchedAudits[day]) return { day: day, exact: true, a: fetchedAudits[day] };
    if (!days || !data.audits || !data.audits.dates) return { day: meta.as_of, exact: false, a: null };
    var best = null;
    days.forEach(function (d) { if (d <= day) best = d; });
    if (best === null) best = days[0];
    return { day: best, exact: true, a: data.audits.dates[best] };
  }
  /* A served map embeds the audits of its dates only when they are few (`audit_url` says
   * where to ask for the others): the audit of a day it moved to is asked for once, and the
   * map is drawn again with it; window.mapReady waits for it. */
  var fetchedAudits = {};  // day → the service's audit of that day
  var auditProblems = {};  // day → why the service could not give it
  function askAudit(day) {
    if (!meta.audit_url || fetchedAudits[day] || auditProblems[day] || auditAsked === day) return;
    auditAsked = day;
    fetch(meta.audit_url + "?as_of=" + encodeURIComponent(day),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.detail || r.statusText);
          return body;
        });
      })
      .then(function (a) { fetchedAudits[day] = a; },
            function (err) { auditProblems[day] = err.message || String(err); })
      .then(function () {
        if (auditAsked !== day) return;
        auditAsked = null;
        if (state.day !== day) { ready(); return; }
        useAudit(day);
        restyle();
        applyFilters();
        summary();
        showOverview();
        network.once("afterDrawing", ready);
        network.redraw();
      });
  }
  function useAudit(day) {
    var found = auditFor(day);
    if (!found.a) {
      audit = { day: meta.as_of, health: meta.health, counts: meta.counts, exact: found.exact,
                asking: false, problem: auditProblems[day] || null };
      findings = data.findings;
      if (!found.exact && meta.audit_url && !auditProblems[day]) { audit.asking = true; askAudit(day); }
      markFindings();
      return;
    }
    var a = found.a;
    findings = a.findings.map(function (i) { return typeof i === "number" ? data.audits.findings[i] : i; });
    audit = { day: found.day, health: a.health, counts: a.counts, exact: true };
    markFindings();
  }
  /* Each record's findings (it is the first subject) and those it is involved in. */
  function markFindings() {
    Object.keys(records).forEach(function (id) { delete records[id].findings; delete records[id].involved; });
    findings.forEach(function (f, i) {
      var ids = f.subjects;
      if (!ids.length || !records[ids[0]]) return;
      (records[ids[0]].findings = records[ids[0]].findings || []).push(i);
      var seenHere = {};
      ids.slice(1).forEach(function (other) {
        if (other === ids[0] || seenHere[other] || !records[other]) return;
        seenHere[other] = true;
        (records[other].involved = records[other].involved || []).push(i);
      });
    });
  }
  /* Move the date shown: filters, statuses, the audit, marks, header and panels follow. */
  function setDay(day) {
    window.mapReady = false;
    state.day = day || meta.as_of;
    dateInput.value = state.day;
    useAudit(state.day);
    restyle();
    applyFilters();
    summary();
    showOverview();
    writeFragment();
    network.once("afterDrawing", ready);
    network.redraw();
  }

  // ------------------------------------------------------------------ colour, size, status, marks

  function worstMark(id) {
    var r = records[id];
    var worst = null;
    (r.findings || []).forEach(function (i) {
      var sev = findings[i].severity;
      if (data.marks[sev] && (worst === null || SEVERITY_ORDER[sev] < SEVERITY_ORDER[worst])) worst = sev;
    });
    return worst;
  }
  function shortLabel(label) {
    if (label.length <= 40) return label;
    var cut = label.slice(0, 40);
    if (cut.indexOf(" ") >= 0) cut = cut.slice(0, cut.lastIndexOf(" "));
    return cut.replace(/[ ,;:-]+$/, "") + "\u2026";
  }
  function darker(hex) {
    var out = "#";
    for (var i = 1; i < 7; i += 2) {
      var c = Math.floor(parseInt(hex.slice(i, i + 2), 16) * 0.7);
      out += (c < 16 ? "0" : "") + c.toString(16);
    }
    return out;
  }

  /* The fields the map can be coloured by: kind, then the fields every workspace has, then
   * each property or attribute whose values are words (at most 40 of them). */
  var COLOR_FIELDS = [
    { name: "kind", title: "Kind" },
    { name: "sector", title: "Sector", get: function (r) { return r.properties && r.properties.sector; } },
    { name: "status", title: "Constellation status", get: function (r) { return statusOn(r, state.day); } },
    { name: "stage", title: "Stage in the process", get: function (r) { return stageOn(r, state.day); } },
    { name: "area", title: "Issue area", get: function (r) { return r.areas ? labelOf(r.areas[0]) : null; } },
    { name: "community", title: "Community", get: function (r) {
      return r.measures && r.measures.community !== undefined ? "community " + (r.measures.community + 1) : null; } },
    { name: "goal", title: "Goal", get: function (r) { return r.goals ? labelOf(r.goals[0]) : null; } }
  ];
  var SIZE_FIELDS = [];
  function labelOf(id) { return records[id] ? records[id].label : id; }
  (function discoverFields() {
    var words = {}, numbers = {};
    Object.keys(records).forEach(function (id) {
      var r = records[id];
      [["properties", "p"], ["attributes", "a"]].forEach(function (pair) {
        var obj = r[pair[0]];
        if (!obj) return;
        Object.keys(obj).forEach(function (k) {
          var v = obj[k], key = pair[1] + ":" + k;
          if (typeof v === "number") numbers[key] = true;
          else if (typeof v === "string" || typeof v === "boolean") {
            words[key] = words[key] || new Set();
            if (words[key].size <= 40) words[key].add(String(v));
          }
        });
      });
    });
    function getter(key) {
      var where = key[0] === "p" ? "properties" : "attributes", name = key.slice(2);
      return function (r) { var v = r[where] && r[where][name]; return v === undefined || v === null ? null : v; };
    }
    Object.keys(words).sort().forEach(function (key) {
      if (key === "p:sector" || key === "p:status" || words[key].size > 40 || words[key].size < 2) return;
      COLOR_FIELDS.push({ name: key, title: (key[0] === "p" ? "" : "attribute ") + key.slice(2).replace(/_/g, " "),
        get: getter(key) });
    });
    ["degree", "betweenness", "partners", "funding"].forEach(function (m) {
      var has = Object.keys(records).some(function (id) { return records[id].measures && records[id].measures[m] !== undefined; });
      if (has || m === meta.size_by) {
        SIZE_FIELDS.push({ name: m, title: MEASURE_NAMES[m], get: function (r) {
          if (m === meta.size_by) return r.measure;
          return r.measures ? r.measures[m] : null; } });
      }
    });
    Object.keys(numbers).sort().forEach(function (key) {
      if (key === "a:map_position") return;
      SIZE_FIELDS.push({ name: key, title: (key[0] === "p" ? "" : "attribute ") + key.slice(2).replace(/_/g, " "),
        get: getter(key) });
    });
  })();
  function field(list, name) {
    return list.filter(function (f) { return f.name === name; })[0] || list[0];
  }
  var view = { color: "kind", size: meta.size_by, colors: {} };

  /* Which colour each value of the colour-by field gets: the most common value the first
   * colour of the palette; values past the palette share the "other" colour. */
  function colourTable() {
    var f = field(COLOR_FIELDS, view.color);
    if (f.name === "kind") return null;
    var counts = {};
    data.nodes.forEach(function (n) {
      var v = f.get(records[n.id]);
      if (v === null || v === undefined || v === "") return;
      v = String(v);
      counts[v] = (counts[v] || 0) + 1;
    });
    var values = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var table = { field: f, colours: {}, counts: counts, order: values };
    values.forEach(function (v, i) {
      table.colours[v] = data.category_colors.values[i] || data.category_colors.other;
    });
    return table;
  }
  var colours = null;
  function fillOf(id) {
    var r = records[id];
    if (!colours) return kindByName[r.kind] ? kindByName[r.kind].color : "#7f7f7f";
    var v = colours.field.get(r);
    if (v === null || v === undefined || v === "") return data.category_colors.none;
    return colours.colours[String(v)] || data.category_colors.other;
  }
  function sizeOf(id) {
    var f = field(SIZE_FIELDS, view.size);
    var v = f ? f.get(records[id]) : 0;
    return typeof v === "number" && isFinite(v) ? Math.round(Math.sqrt(Math.max(v, 0)) * 1e4) / 1e4 : 0;
  }

  /* Every node's colour, size, status style and finding mark, for the view and date shown;
   * only the items that changed go to the DataSet (a 20,000-node map changes a few on a new
   * date). */
  var styledAs = {};  // node id -> its style as last written (JSON)
  function restyle() {
    colours = colourTable();
    var changes = { nodes: { added: 0, ended: 0 }, edges: { added: 0, ended: 0 } };
    var updates = [];
    data.nodes.forEach(function (n) {
      var r = records[n.id];
      var fill = fillOf(n.id);
      var item = { id: n.id, value: sizeOf(n.id), borderWidth: 1, opacity: 1, shadow: { enabled: false },
        shapeProperties: { borderDashes: false },
        color: { background: fill, border: darker(fill),
          highlight: { background: fill, border: "#000000" }, hover: { background: fill, border: "#000000" } } };
      var status = statusOn(r, state.day);
      if (status && data.status_styles[status]) {
        var st = data.status_styles[status];
        item.opacity = st.opacity;
        item.borderWidth = st.borderWidth;
        item.shapeProperties = { borderDashes: st.borderDashes };
        if (st.border) item.color.border = st.border;
      }
      var label = shortLabel(r.label);
      var mark = worstMark(n.id);
      if (mark) {
        var m = data.marks[mark];
        label = m.badge + " " + label;
        item.borderWidth = m.border;
        item.color.border = m.color;
        item.shadow = { enabled: true, color: m.color, size: m.halo, x: 0, y: 0 };
      }
      var change = changeOf(r.from, r.to);
      if (change) {
        var c = data.change_styles[change];
        label = c.badge + " " + label;
        item.borderWidth = c.border;
        item.color.border = c.color;
        if (c.opacity) item.opacity = c.opacity;
        if (c.dashes) item.shapeProperties = { borderDashes: c.dashes };
        changes.nodes[change] += 1;
      }
      item.label = label;
      var key = JSON.stringify(item) + (r.status ? statusOn(r, state.day) : "") + (r.findings || []).join(",");
      if (styledAs[n.id] === key) return;
      styledAs[n.id] = key;
      n.title = nodeTooltip(n.id);
      item.title = n.title;
      updates.push(item);
    });
    if (updates.length) nodeSet.update(updates);
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var info = edgeInfo[e.id] || {};
      var change = changeOf(info.from, info.to);
      if (change) changes.edges[change] += 1;
      if (!inSet[e.id] || (edgeStyled[e.id] || null) === change) return;
      edgeStyled[e.id] = change;
      edgeUpdates.push(edgeStyle(e, change));
    });
    if (edgeUpdates.length) edgeSet.update(edgeUpdates);
    var note = $("changes-status");
    if (state.since && state.since < state.day) {
      note.textContent = "Between " + state.since + " and " + state.day + ": " +
        plural(changes.nodes.added, "node") + " and " + plural(changes.edges.added, "tie") + " added (+), " +
        plural(changes.nodes.ended, "node") + " and " + plural(changes.edges.ended, "tie") + " ended (\u2212).";
    } else {
      note.textContent = state.since ? "The first date must come before the date shown." : "";
    }
    window.mapChanges = changes;
    if (shownNow && groupOrder.length) syncGroups(shownNow, [], []);  // the groups' fill follows
    labelWidths = {};
    labelOrder();
    colourLegend();
    placeLabels();
    refreshTable();
  }

  /* A tie's style in the changes mode (added: thick; ended: dashed, faded). */
  function edgeStyle(e, change) {
    var k = kindOfEdge[e.kind] || {};
    var item = { id: e.id, width: 1, dashes: !!k.dashes, color: { color: e.color, opacity: 0.8 } };
    if (change === "added") item.width = data.change_styles.added.width;
    if (change === "ended") { item.dashes = data.change_styles.ended.dashes; item.color.opacity = 0.35; }
    return item;
  }
  /* A tie as it joins the DataSet (see inSet), styled for the changes mode shown. */
  function edgeItem(e, off) {
    var info = edgeInfo[e.id] || {};
    var change = changeOf(info.from, info.to);
    var item = Object.assign({}, e, { hidden: off });
    if (change) Object.assign(item, edgeStyle(e, change));
    edgeStyled[e.id] = change;
    inSet[e.id] = true;
    drawn.edges[e.id] = off;
    return item;
  }

  function colourLegend() {
    var box = $("legend-colour");
    clear(box);
    var f = field(COLOR_FIELDS, view.color);
    if (!colours) {
      box.appendChild(el("p", { cls: "note", text: "Fill: the node's kind (above)." }));
    } else {
      box.appendChild(el("p", { cls: "note", text: "Fill: " + f.title.toLowerCase() + (f.name === "status" ? " as of " + state.day : "") + "." }));
      var shown = 0;
      colours.order.forEach(function (v) {
        if (shown >= 15) return;
        shown += 1;
        var sw = el("span", { cls: "shape shape-dot" });
        sw.style.background = colours.colours[v];
        box.appendChild(el("div", { cls: "value-row" }, [sw, el("span", { text: v }),
          el("span", { cls: "count", text: colours.counts[v].toLocaleString("en") })]));
      });
      if (colours.order.length > 15) {
        var other = el("span", { cls: "shape shape-dot" });
        other.style.background = data.category_colors.other;
        box.appendChild(el("div", { cls: "value-row" }, [other, el("span", { text: "other values (" + (colours.order.length - 15) + ")" })]));
      }
      var none = el("span", { cls: "shape shape-dot" });
      none.style.background = data.category_colors.none;
      box.appendChild(el("div", { cls: "value-row" }, [none, el("span", { text: "no value" })]));
    }
    var sf = field(SIZE_FIELDS, view.size);
    var note = "Size: " + (sf ? sf.title : view.size) + " as of " + meta.as_of;
    if (sf && sf.name === meta.size_by && meta.measure && meta.measure.approximate) note += " (estimated: " + meta.measure.note + ")";
    $("legend-size").textContent = note + ".";
  }

  // ------------------------------------------------------------------ labels sized for the screen

  /* vis-network draws a label at its font size times the zoom, so at the zoom that fits a
   * few hundred nodes 14 px labels come out at 6 px. Instead, after each zoom every label is
   * given the font size that draws it at its tier's size on screen (14 or 12 px), in tier
   * order (then the larger node first), and only where it overlaps no label placed before
   * it; the others get a font too small to draw (under the drawThreshold) and show on hover,
   * when selected, or once the zoom makes room. Tier 3 labels wait until the zoom is twice
   * the opening one. */
  var labelCanvas = document.createElement("canvas").getContext("2d");
  var labelWidths = {};
  var fitScale = null;
  var hovered = null;
  var order = [];
  function labelOrder() {  // tier; the initiative, then a high-severity finding; the larger node
    var high = {};
    data.nodes.forEach(function (n) {  // the initiative first of all
      high[n.id] = records[n.id].kind === "initiative" ? 0 : worstMark(n.id) === "high" ? 1 : 2;
    });
    order = data.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
      var ra = records[a], rb = records[b];
      return (ra.tier - rb.tier) || (high[a] - high[b]) || (rb.measure - ra.measure) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
  var labelSizes = {};
  var labelShifts = {};
  data.nodes.forEach(function (n) { labelSizes[n.id] = n.font && n.font.size ? n.font.size : 1; });
  function textWidth(id, px) {
    var key = id + "@" + px;
    if (labelWidths[key] === undefined) {
      var item = nodeSet.get(id);
      labelCanvas.font = px + "px system-ui, sans-serif";
      labelWidths[key] = labelCanvas.measureText(item && item.label ? item.label : "").width;
    }
    return labelWidths[key];
  }
  function placeLabels() {
    if (!fitScale) return;
    var scale = network.getScale();
    var zoomRatio = scale / fitScale;
    var box = $("map").getBoundingClientRect();
    var placed = [];
    var updates = [];
    var selected = new Set(network.getSelectedNodes());
    var positions = network.getPositions();
    var loose = new Set(network.body.nodeIndices);  // not inside a cluster
    var limit = loose.size > 2000 ? 300 : 1000;
    var shapes = {};  // the nodes on screen, which labels should not cover
    var closed = closedGroups();
    var ids = closed.concat(order);
    closed.forEach(function (id) {  // no label covers a group: its disc is taken first
      var b = network.body.nodes[id];
      if (!b || !positions[id] || !loose.has(id)) return;
      var c = network.canvasToDOM(positions[id]);
      var rad = (b.options.size || 10) * scale;
      shapes[id] = { l: c.x - rad, r: c.x + rad, t: c.y - rad, b: c.y + rad };
      placed.push({ id: id, l: shapes[id].l, r: shapes[id].r, t: shapes[id].t, b: shapes[id].b });
    });
    if (loose.size <= 2000) {
      order.forEach(function (id) {
        var b = network.body.nodes[id];
        if (drawn.nodes[id] || !b || !positions[id] || !loose.has(id)) return;
        var c = network.canvasToDOM(positions[id]);
        var rad = (b.shape && b.shape.height ? b.shape.height / 2 : (b.options.size || 10)) * scale * 0.8;
        shapes[id] = { l: c.x - rad, r: c.x + rad, t: c.y - rad, b: c.y + rad };
      });
    }
    function isFree(rect, own) {  // overlaps no label placed, nor the node of one, but its own
      return placed.every(function (q) {
        return q.id === own || rect.r < q.l || rect.l > q.r || rect.b < q.t || rect.t > q.b;
      });
    }
    ids.forEach(function (id) {
      var r = records[id] || { tier: 1 };  // a group: as important as tier 1
      var want = 1;  // too small to draw (the drawThreshold): what the page starts with
      var shift = 0;
      var body = network.body.nodes[id];
      if (!drawn.nodes[id] && body && positions[id] && loose.has(id)) {
        var px = meta.label_tiers[r.tier] || 12;
        var p = network.canvasToDOM(positions[id]);
        var inView = p.x > -200 && p.y > -50 && p.x < box.width + 200 && p.y < box.height + 50;
        var forced = selected.has(id) || hovered === id;
        if (inView && (forced || ((r.tier < 3 || zoomRatio >= 2) && placed.length < limit))) {
          var w = textWidth(id, px) + 6;
          var radius = (body.shape && body.shape.height ? body.shape.height / 2 : (body.options.size || 10)) * scale;
          var inside = body.options.shape === "box";
          var h = px * 1.3;
          // below the node, or else above it (font.vadjust); inside a box, in the middle
          var spots = inside ? [[p.y - px * 0.7, 0]] : [[p.y + radius + 1, 0], [p.y - radius - 1 - h, -(2 * radius + h + 2) / scale]];
          if (groupItems[id] && w <= 1.9 * radius) spots.unshift([p.y - h / 2, -(radius + 1 + h / 2) / scale]);  // in its disc
          var ownFree = !shapes[id] || isFree(shapes[id], id);
          for (var k = 0; k < spots.length; k++) {
            var rect = { l: p.x - w / 2, r: p.x + w / 2, t: spots[k][0], b: spots[k][0] + h };
            var whole = rect.l >= 0 && rect.t >= 0 && rect.r <= box.width && rect.b <= box.height;
            if ((forced && k === 0) || (whole && ownFree && isFree(rect, id))) {
              placed.push(rect);
              if (shapes[id]) placed.push({ id: id, l: shapes[id].l, r: shapes[id].r, t: shapes[id].t, b: shapes[id].b });
              want = px / scale;
              shift = spots[k][1];
              break;
            }
          }
        }
      }
      var was = labelSizes[id];
      if (was === undefined || Math.abs(was - want) > 1e-3 * want || (labelShifts[id] || 0) !== shift) {
        labelSizes[id] = want;
        labelShifts[id] = shift;
        if (records[id] || groupItems[id]) updates.push({ id: id, font: { size: want, vadjust: shift } });
      }
    });
    if (updates.length) nodeSet.update(updates);
  }
  var labelTimer = null;
  function placeLabelsSoon() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(placeLabels, 80);
  }
  network.on("zoom", function () { placeLabelsSoon(); writeFragmentSoon(); });
  network.on("dragEnd", function () { placeLabelsSoon(); writeFragmentSoon(); });
  network.on("hoverNode", function (p) { hovered = p.node; placeLabels(); });
  network.on("blurNode", function () { hovered = null; placeLabelsSoon(); });
  network.on("select", placeLabelsSoon);

  // ------------------------------------------------------------------ colour and size controls

  COLOR_FIELDS.forEach(function (f) {
    $("color-by").appendChild(el("option", { value: f.name, text: f.title }));
  });
  SIZE_FIELDS.forEach(function (f) {
    $("size-by").appendChild(el("option", { value: f.name, text: f.title }));
  });
  $("color-by").addEventListener("change", function () { view.color = this.value; restyle(); writeFragment(); refreshTable(); });
  $("size-by").addEventListener("change", function () { view.size = this.value; restyle(); writeFragment(); });

  // ------------------------------------------------------------------ cluster controls

  [["", "No grouping"]].concat(Object.keys(GROUPS).map(function (k) { return [k, "By " + GROUPS[k].title.toLowerCase()]; }))
    .forEach(function (o) { $("cluster-by").appendChild(el("option", { value: o[0], text: o[1] })); });
  $("cluster-by").addEventListener("change", function () { setCluster(this.value); });
  $("cluster-by").value = clusterBy;
  $("close-groups").addEventListener("click", function () { opened_groups = {}; applyFilters(); writeFragment(); });

  // ------------------------------------------------------------------ the table

  var TABLE_COLUMNS = [
    { key: "label", title: "Name", get: function (id) { return records[id].label; } },
    { key: "kind", title: "Kind", get: function (id) { return kindTitle(records[id].kind); } },
    { key: "status", title: "Status", get: function (id) { return statusOn(records[id], state.day) || ""; } },
    { key: "sector", title: "Sector", get: function (id) {
      var p = records[id].properties; return p && p.sector ? String(p.sector) : ""; } },
    { key: "degree", title: "Ties", numeric: true, get: function (id) {
      var m = records[id].measures; return m && m.degree !== undefined ? m.degree : null; } },
    { key: "betweenness", title: "Betweenness", numeric: true, get: function (id) {
      var m = records[id].measures; return m && m.betweenness !== undefined ? m.betweenness : null; } },
    { key: "findings", title: "Findings", numeric: true, get: function (id) {
      return (records[id].findings || []).length; } }
  ];
  var tableSort = { key: "label", dir: 1 };
  var tableShown = false;
  function buildTableHead() {
    var row = $("records-table").querySelector("thead tr");
    clear(row);
    TABLE_COLUMNS.forEach(function (c) {
      var b = el("button", { type: "button", cls: "sort", text: c.title });
      b.addEventListener("click", function () {
        tableSort = { key: c.key, dir: tableSort.key === c.key ? -tableSort.dir : (c.numeric ? -1 : 1) };
        refreshTable();
      });
      var th = el("th", { scope: "col" }, [b]);
      th.setAttribute("aria-sort", tableSort.key === c.key ? (tableSort.dir > 0 ? "ascending" : "descending") : "none");
      row.appendChild(th);
    });
  }
  function refreshTable() {
    if (!tableShown) return;
    buildTableHead();
    var q = $("table-filter").value.trim().toLowerCase();
    var col = TABLE_COLUMNS.filter(function (c) { return c.key === tableSort.key; })[0];
    var ids = data.nodes.map(function (n) { return n.id; }).filter(function (id) {
      return !hidden.nodes[id] && (!q || records[id].label.toLowerCase().indexOf(q) >= 0);
    });
    ids.sort(function (a, b) {
      var x = col.get(a), y = col.get(b);
      if (x === y) return a < b ? -1 : 1;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * tableSort.dir;
    });
    var body = $("records-table").querySelector("tbody");
    clear(body);
    ids.forEach(function (id) {
      var tr = el("tr", { tabIndex: 0 });
      tr.dataset.id = id;
      TABLE_COLUMNS.forEach(function (c) {
        var v = c.get(id);
        var td = el(c.key === "label" ? "th" : "td", { text: v === null ? "\u2014" : fmt(v) });
        if (c.key === "label") td.scope = "row";
        if (c.numeric) td.className = "num";
        if (c.key === "label") {
          var sw = el("span", { cls: "shape shape-dot", title: "its colour on the map" });
          sw.style.background = fillOf(id);
          td.insertBefore(sw, td.firstChild);
        }
        tr.appendChild(td);
      });
      tr.addEventListener("click", function () { selectNode(id); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectNode(id); } });
      body.appendChild(tr);
    });
    $("table-status").textContent = plural(ids.length, "row") + " (the nodes shown on the map" + (q ? ", whose name has \u201c" + q + "\u201d" : "") + ").";
  }
  function showTable(on) {
    tableShown = on;
    $("table-panel").hidden = !on;
    $("toggle-table").setAttribute("aria-pressed", on ? "true" : "false");
    $("toggle-table").textContent = on ? "Hide the table" : "Show the table";
    if (on) refreshTable();
    network.setSize("100%", "100%");  // the map gives the table room, or takes it back
    network.redraw();
  }
  $("toggle-table").addEventListener("click", function () { showTable(!tableShown); writeFragment(); });
  $("table-filter").addEventListener("input", refreshTable);

  // ------------------------------------------------------------------ the picture

  $("save-png").addEventListener("click", function () {
    var source = $("map").querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    var a = el("a", { href: out.toDataURL("image/png"), download: (meta.workspace || "map") + "-map-" + state.day + ".png" });
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  /* Served, the page can also offer the server's SVG picture of the date shown (the meeting
   * packet's, GET …/map.svg beside GET …/map); a file has no server to ask. */
  function svgLink() {
    var a = $("save-svg");
    if (!/^https?:$/.test(window.location.protocol) || !/\/map$/.test(window.location.pathname)) return;
    a.hidden = false;
    a.href = window.location.pathname + ".svg?as_of=" + encodeURIComponent(state.day);
    a.download = (meta.workspace || "map") + "-map-" + state.day + ".svg";
  }

  // ------------------------------------------------------------------ the view in the URL fragment

  /* Everything that makes a view, as `#color=sector&size=betweenness&focus=unite-la&as_of=…`:
   * color, size, focus (and depth), as_of, goal, area, status, kinds, ties, view=table, zoom
   * and center. A copied link opens the same view; the fragment wins over ?focus=. */
  var writing = false;
  function writeFragment() {
    if (!opened || writing) return;
    svgLink();
    var q = new URLSearchParams();
    if (view.color !== "kind") q.set("color", view.color);
    if (view.size !== meta.size_by) q.set("size", view.size);
    if (state.focus) { q.set("focus", state.focus); if (state.depth !== 1) q.set("depth", String(state.depth)); }
    if (state.day !== meta.as_of) q.set("as_of", state.day);
    if (state.since) { q.set("from", state.since); q.set("to", state.day); }
    if (state.goal) q.set("goal", state.goal);
    if (state.area) q.set("area", state.area);
    var fresh = freshState();
    function same(a, b) { return a.size === b.size && Array.from(a).every(function (x) { return b.has(x); }); }
    if (!same(state.statuses, fresh.statuses)) q.set("status", Array.from(state.statuses).join(","));
    if (!same(state.kinds, fresh.kinds)) q.set("kinds", Array.from(state.kinds).join(","));
    if (!same(state.edgeKinds, fresh.edgeKinds)) q.set("ties", Array.from(state.edgeKinds).join(","));
    if (tableShown) q.set("view", "table");
    if (clusterBy !== defaultCluster) q.set("cluster", clusterBy || "none");
    var pos = network.getViewPosition();
    q.set("zoom", (Math.round(network.getScale() * 1000) / 1000).toString());
    q.set("center", Math.round(pos.x) + "," + Math.round(pos.y));
    var text = q.toString().replace(/%2C/g, ",");
    try {
      history.replaceState(null, "", "#" + text);
    } catch (err) { /* a page that cannot keep its URL still works */ }
  }
  var fragmentTimer = null;
  function writeFragmentSoon() {
    clearTimeout(fragmentTimer);
    fragmentTimer = setTimeout(writeFragment, 200);
  }
  function readFragment() {
    var q = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var out = {};
    q.forEach(function (v, k) { out[k] = v; });
    return out;
  }
  function setFrom(list, allowed) {
    return new Set(list.split(",").filter(function (x) { return allowed.indexOf(x) >= 0; }));
  }
  function syncControls() {
    $("filter-goal").value = state.goal;
    $("filter-area").value = state.area;
    document.querySelectorAll("#filter-status input").forEach(function (b) { b.checked = state.statuses.has(b.dataset.status); });
    document.querySelectorAll("#legend-nodes input").forEach(function (b) { b.checked = state.kinds.has(b.dataset.kind); });
    document.querySelectorAll("#legend-edges input").forEach(function (b) { b.checked = state.edgeKinds.has(b.dataset.edgeKind); });
    $("color-by").value = view.color;
    $("changes-from").value = state.since;
    $("size-by").value = view.size;
  }
  ["filter-goal", "filter-area"].forEach(function (id) { $(id).addEventListener("change", writeFragment); });
  $("controls").addEventListener("change", function (e) {
    if (e.target && e.target.type === "checkbox") { writeFragment(); refreshTable(); }
  });

  /* The first view: the fragment's (or the query's) choices, fitted or at its zoom. */
  function openView(again) {
    var f = readFragment();
    var query = new URLSearchParams(window.location.search);
    writing = true;
    if (f.color) view.color = field(COLOR_FIELDS, f.color).name;
    if (f.size) view.size = field(SIZE_FIELDS, f.size).name;
    if (f.goal && records[f.goal]) state.goal = f.goal;
    if (f.area && records[f.area]) state.area = f.area;
    if (f.status !== undefined) state.statuses = setFrom(f.status, data.statuses);
    if (f.kinds !== undefined) state.kinds = setFrom(f.kinds, allKinds);
    if (f.ties !== undefined) state.edgeKinds = setFrom(f.ties, allEdgeKinds);
    var focus = f.focus || query.get("focus");
    if (focus && f.focus && focus.split(",").every(function (id) { return records[id]; })) { state.focus = focus; state.depth = f.depth === "2" ? 2 : 1; }
    syncControls();
    if (f.view === "table") showTable(true);
    var by = f.cluster !== undefined ? (GROUPS[f.cluster] ? f.cluster : "") : defaultCluster;
    if (by !== clusterBy) { clusterBy = by; opened_groups = {}; }
    $("cluster-by").value = clusterBy;
    if (again) applyFilters();  // fit what this view shows
    network.fit({ animation: false });
    fitScale = network.getScale() * 0.92;
    timings.fitted = timings.fitted || performance.now();
    network.moveTo({ scale: fitScale, animation: false });
    var isDay = function (d) { return !!d && /^\d{4}-\d{2}-\d{2}$/.test(d); };
    state.day = isDay(f.to) ? f.to : isDay(f.as_of) ? f.as_of : meta.as_of;
    state.since = isDay(f.from) ? f.from : "";
    $("changes-from").value = state.since;
    dateInput.value = state.day;
    useAudit(state.day);
    if (again || view.color !== "kind" || view.size !== meta.size_by || state.day !== meta.as_of || state.since) {
      restyle();
    } else {  // the page's items are already drawn for the map's own view and date
      labelOrder();
      colourLegend();
    }
    timings.styled = timings.styled || performance.now();
    applyFilters();
    timings.filtered = timings.filtered || performance.now();
    summary();
    showOverview();
    if (state.focus) {
      var v = visibility();
      network.fit({ nodes: Array.from(v.nodes), animation: false });
      network.selectNodes(focusIds());
      showDetails(focusIds()[0]);
    } else if (focus && records[focus]) {
      selectNode(focus);
    }
    var zoom = parseFloat(f.zoom);
    var center = (f.center || "").split(",").map(Number);
    if (isFinite(zoom) && zoom > 0 && center.length === 2 && center.every(isFinite)) {
      network.moveTo({ scale: zoom, position: { x: center[0], y: center[1] }, animation: false });
    }
    opened = true;
    writing = false;
    placeLabels();
    timings.labelled = timings.labelled || performance.now();
    if (window.location.hash) writeFragment();
    svgLink();
    network.once("afterDrawing", ready);
    network.redraw();
  }

  if (!physicsOn) openView();

  // ------------------------------------------------------------------ the meeting's views and presenting

  /* Views kept for a meeting, in this browser (localStorage, per workspace): each is the
   * fragment of a view. *Present* shows the map alone, full screen, and steps through them
   * with the arrow keys or the buttons. */
  var viewsKey = "constellation-views:" + meta.workspace;
  function savedViews() {
    try { return JSON.parse(window.localStorage.getItem(viewsKey) || "[]"); } catch (err) { return []; }
  }
  function keepViews(list) {
    try { window.localStorage.setItem(viewsKey, JSON.stringify(list)); return true; } catch (err) { return false; }
  }
  function viewName(text) {
    var q = new URLSearchParams(text);
    var parts = [];
    q.forEach(function (v, k) { if (k !== "zoom" && k !== "center") parts.push(k + " " + v); });
    return parts.length ? parts.join(", ") : "the map as it opens";
  }
  function listViews() {
    var select = $("saved-views");
    clear(select);
    savedViews().forEach(function (v, i) {
      select.appendChild(el("option", { value: String(i), text: (i + 1) + ". " + v.name }));
    });
    $("views-status").textContent = plural(savedViews().length, "view") + " kept in this browser.";
  }
  function showView(text) {
    try { history.replaceState(null, "", "#" + text); } catch (err) { /* kept in memory only */ }
    Object.assign(state, freshState());
    view.color = "kind";
    view.size = meta.size_by;
    if (tableShown) showTable(false);
    network.unselectAll();
    opened = false;
    window.mapReady = false;
    openView(true);
  }
  $("keep-view").addEventListener("click", function () {
    writeFragment();
    var text = window.location.hash.replace(/^#/, "");
    var list = savedViews();
    list.push({ name: viewName(text), view: text });
    $("views-status").textContent = keepViews(list) ? "Kept." : "This browser does not let the page keep views.";
    listViews();
  });
  $("open-view").addEventListener("click", function () {
    var v = savedViews()[Number($("saved-views").value)];
    if (v) showView(v.view);
  });
  $("drop-view").addEventListener("click", function () {
    var list = savedViews();
    list.splice(Number($("saved-views").value), 1);
    keepViews(list);
    listViews();
  });
  var step = -1;
  /* What Present steps through: the views saved for the workspace on the server (a served
   * map), in their order there, then the views kept in this browser. */
  function presentViews() {
    return sharedViews.map(function (v) { return { name: v.name, view: v.fragment, where: "saved for the workspace" }; })
      .concat(savedViews().map(function (v) { return { name: v.name, view: v.view, where: "kept in this browser" }; }));
  }
  function stepTo(i) {
    var list = presentViews();
    if (!list.length) { $("present-title").textContent = "No views saved or kept yet: the map as it is."; return; }
    step = (i + list.length) % list.length;
    showView(list[step].view);
    $("present-title").textContent = (step + 1) + " / " + list.length + ": " + list[step].name +
      " (" + list[step].where + ")";
  }
  function present(on) {
    document.body.classList.toggle("presenting", on);
    $("present-bar").hidden = !on;
    if (on) {
      var root = document.documentElement;
      if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* not allowed here */ });
      if (meta.views_url) listShared().then(function () { stepTo(0); });  // the list as it is now
      else stepTo(0);
    } else if (document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
    network.setSize("100%", "100%");
    network.redraw();
  }
  $("present").addEventListener("click", function () { present(true); });
  $("present-leave").addEventListener("click", function () { present(false); });
  $("present-next").addEventListener("click", function () { stepTo(step + 1); });
  $("present-back").addEventListener("click", function () { stepTo(step - 1); });
  document.addEventListener("keydown", function (e) {
    if (!document.body.classList.contains("presenting")) return;
    if (e.key === "ArrowRight" || e.key === "PageDown") stepTo(step + 1);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") stepTo(step - 1);
    else if (e.key === "Escape") present(false);
  });
  listViews();

  /* Views saved on the server for the whole workspace (a served page only): everyone who
   * can read it lists and opens them; an editor saves the current view under a name
   * (PUT views_url/{name}; If-Match with the version listed when the name is taken). */
  var sharedViews = [];
  function sharedStatus(text) { $("shared-views-status").textContent = text; }
  function listShared() {
    return fetch(meta.views_url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      }).then(function (body) {
        sharedViews = body.views || [];
        var select = $("shared-view-list");
        clear(select);
        sharedViews.forEach(function (v) {
          select.appendChild(el("option", { value: v.name, text: v.name }));
        });
        $("open-shared-view").disabled = !sharedViews.length;
        sharedStatus(sharedViews.length ? plural(sharedViews.length, "view") + " saved for this workspace."
          : "No views saved for this workspace yet.");
      }).catch(function (err) { sharedStatus("The saved views could not be listed (" + err.message + ")."); });
  }
  if (meta.views_url) {
    $("shared-views").hidden = false;
    $("view-save").hidden = !meta.views_editable;
    $("open-shared-view").addEventListener("click", function () {
      var name = $("shared-view-list").value;
      var v = sharedViews.filter(function (x) { return x.name === name; })[0];
      if (v) { showView(v.fragment); sharedStatus("Opened \u201c" + v.name + "\u201d."); }
    });
    if (meta.views_editable) {
      $("save-view").addEventListener("click", function () {
        var name = $("view-name").value.trim();
        if (!name) { sharedStatus("Give the view a name first."); $("view-name").focus(); return; }
        writeFragment();
        var text = window.location.hash.replace(/^#/, "");
        var known = sharedViews.filter(function (x) { return x.name === name; })[0];
        var headers = { "Content-Type": "application/json", "Accept": "application/json" };
        if (known) headers["If-Match"] = '"' + known.version + '"';
        sharedStatus("Saving\u2026");
        fetch(meta.views_url + "/" + encodeURIComponent(name), {
          method: "PUT", credentials: "same-origin", headers: headers,
          body: JSON.stringify({ fragment: text })
        }).then(function (response) {
          if (response.status === 412) throw new Error("someone changed that view since; the list is reloaded");
          if (!response.ok) {
            return response.json().catch(function () { return {}; }).then(function (p) {
              throw new Error(p.detail || "the server answered " + response.status);
            });
          }
          return response.json();
        }).then(function (saved) {
          return listShared().then(function () {
            $("shared-view-list").value = saved.name;
            sharedStatus("Saved \u201c" + saved.name + "\u201d for everyone (version " + saved.version + ").");
          });
        }).catch(function (err) {
          listShared().then(function () { sharedStatus("Not saved: " + err.message + "."); });
        });
      });
    }
    listShared();
  }

  window.constellationMap = {
    data: data, nodes: nodeSet, edges: edgeSet, state: state, applyFilters: applyFilters,
    showDetails: showDetails, selectNode: selectNode, focusOn: focusOn, search: runSearch,
    setDay: setDay, view: view, showTable: showTable, placeLabels: placeLabels,
    setCluster: setCluster, clusters: closedGroups, groups: function () { return groups; },
    openGroup: openGroup, closeGroup: closeGroup, passes: nodePasses,
    showView: showView, present: present
  };
})();
