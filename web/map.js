"use strict";
boot(async () => {
  // The map is one self-contained page, the same file `constellation map` writes; it keeps its
  // filters, search and details panel. A ?focus=id from a finding is passed on to it, and so
  // is this page's URL fragment (the map's view: #color=sector&focus=…&as_of=…), which the
  // map keeps up to date; ?view=table opens the table beside the map.
  const q = new URLSearchParams();
  for (const key of ["focus", "as_of", "size_by"]) if (params().get(key)) q.set(key, params().get(key));
  const view = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (params().get("view") && !view.has("view")) view.set("view", params().get("view"));
  const hash = view.toString() ? `#${view.toString().replace(/%2C/g, ",")}` : "";
  // the sign-in cookie goes with the frame's request, so private workspaces show too
  const frame = document.getElementById("map");
  frame.src = wsPath(`/map?${q}`) + hash;
  // keep this page's address in step with the map's view, so copying it shares the view
  setInterval(() => {
    try {
      const inner = frame.contentWindow.location.hash;
      if (inner && inner !== location.hash) history.replaceState(null, "", location.pathname + location.search + inner);
    } catch (err) { /* the frame is not ours to read (another origin): nothing to mirror */ }
  }, 1000);
});
