"use strict";
boot(async () => {
  // The map is one self-contained page, the same file `constellation map` writes; it keeps its
  // filters, search and details panel. A ?focus=id from a finding is passed on to it.
  const q = new URLSearchParams();
  for (const key of ["focus", "as_of", "size_by"]) if (params().get(key)) q.set(key, params().get(key));
  // the sign-in cookie goes with the frame's request, so private workspaces show too
  document.getElementById("map").src = wsPath(`/map?${q}`);
});
