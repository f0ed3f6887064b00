"""Saved positions: written through the repository (versioned, logged), read back by the map."""

from __future__ import annotations

import math

import pytest

from constellation.errors import InvalidRecords, NotFound
from constellation.graph import build_graph, load_graph
from constellation.viz import map_workspace, save_positions, saved_positions, server_layout
from tests.viz.conftest import page_data


def test_saved_positions_come_back_on_the_map(demo):
    with demo.repository(actor="carrie") as repo:
        before = repo.get_node("la-compact", "unite-la")
        result = save_positions(
            repo,
            "la-compact",
            {
                "unite-la": {"x": 12.34, "y": -5},
                "la-compact": {"x": 0, "y": 0},
                "no-such-node": {"x": 1, "y": 1},
            },
        )
    assert result.model_dump() == {
        "workspace": "la-compact",
        "updated": 2,
        "unchanged": 0,
        "ignored": ["no-such-node"],
    }
    with demo.repository() as repo:
        after = repo.get_node("la-compact", "unite-la")
        change = repo.changes("la-compact", entity="node", entity_id="unite-la", limit=1)[0]
        data = page_data(map_workspace(repo, "la-compact"))
    assert after.version == before.version + 1
    assert after.attributes["map_position"] == {"x": 12.3, "y": -5.0}
    assert after.attributes["source"] == before.attributes["source"]  # the rest is kept
    assert after.properties == before.properties and after.tags == before.tags
    assert change.actor == "carrie" and change.action == "update"
    assert change.after["attributes"]["map_position"] == {"x": 12.3, "y": -5.0}
    items = {n["id"]: n for n in data["nodes"]}
    assert (items["unite-la"]["x"], items["unite-la"]["y"]) == (12.3, -5.0)
    assert items["unite-la"]["physics"] is False  # the rest still settle around it
    assert "map_position" not in data["records"]["unite-la"]["attributes"]  # not a detail


def test_saving_the_same_positions_twice_changes_nothing(demo):
    positions = {"unite-la": {"x": 1, "y": 2}}
    with demo.repository() as repo:
        save_positions(repo, "la-compact", positions)
        revision = repo.revision("la-compact")
        again = save_positions(repo, "la-compact", positions)
        assert (again.updated, again.unchanged) == (0, 1)
        assert repo.revision("la-compact") == revision


def test_a_full_layout_turns_physics_off(demo):
    with demo.repository() as repo:
        ids = [n.id for n in repo.query_nodes("la-compact")]
        save_positions(repo, "la-compact", {i: {"x": k * 10, "y": -k} for k, i in enumerate(ids)})
        data = page_data(map_workspace(repo, "la-compact"))
    assert data["meta"]["layout"] == "saved" and data["meta"]["physics"] is False
    assert all(n["x"] == 10 * ids.index(n["id"]) for n in data["nodes"])


@pytest.mark.parametrize(
    "bad",
    [
        {"x": 1},
        {"x": "1", "y": 2},
        {"x": math.nan, "y": 0},
        {"x": math.inf, "y": 0},
        [1, 2],
        None,
        {"x": True, "y": 0},
    ],
)
def test_malformed_positions_are_refused_whole(demo, bad):
    with demo.repository() as repo:
        with pytest.raises(InvalidRecords) as caught:
            save_positions(repo, "la-compact", {"unite-la": {"x": 1, "y": 1}, "aala": bad})
        assert caught.value.problems[0].field == "positions.aala"
        assert "map_position" not in repo.get_node("la-compact", "unite-la").attributes


def test_unknown_workspace(store):
    with store.repository() as repo, pytest.raises(NotFound):
        save_positions(repo, "nowhere", {"a": {"x": 1, "y": 1}})


def test_server_layout_is_stable_keeps_fixed_nodes_and_separates_leaves():
    nodes = [{"id": "hub", "kind": "organization", "label": "Hub"}] + [
        {"id": f"leaf{i}", "kind": "organization", "label": f"Leaf {i}"} for i in range(30)
    ]
    edges = [
        {"kind": "collaborates_with", "source": "hub", "target": f"leaf{i}"} for i in range(30)
    ]
    G = build_graph(nodes, edges)
    first, second = server_layout(G), server_layout(G)
    assert first == second
    assert len({(p["x"], p["y"]) for p in first.values()}) == 31
    fixed = server_layout(G, fixed={"hub": {"x": 5.0, "y": 6.0}})
    assert fixed["hub"] == {"x": 5.0, "y": 6.0}
    assert server_layout(build_graph([])) == {}


def test_saved_positions_skips_malformed_attributes():
    G = build_graph(
        [
            {
                "id": "a",
                "kind": "goal",
                "label": "A",
                "attributes": {"map_position": {"x": 1, "y": 2}},
            },
            {"id": "b", "kind": "goal", "label": "B", "attributes": {"map_position": "left"}},
            {"id": "c", "kind": "goal", "label": "C"},
        ]
    )
    assert saved_positions(G) == {"a": {"x": 1.0, "y": 2.0}}


def test_one_added_node_moves_the_others_little(demo):
    """The server layout starts each node from a point drawn from its id and puts a leaf
    beside its neighbour, so a partner added later moves none of the nodes tied to two or
    more others, and the median node not at all."""
    import statistics

    with demo.repository() as repo:
        G = load_graph(repo, "la-compact", every_date=True)
    before = server_layout(G)
    H = G.copy()
    H.add_node("zz-new", kind="organization", label="New")
    H.add_edge("zz-new", "unite-la", key="zz-tie", kind="participates_in")
    after = server_layout(H)
    moves = {
        v: math.dist((before[v]["x"], before[v]["y"]), (after[v]["x"], after[v]["y"]))
        for v in before
    }
    core = [v for v in G if len(set(G.successors(v)) | set(G.predecessors(v))) >= 2]
    assert len(core) > 40 and all(moves[v] == 0 for v in core)
    assert statistics.median(moves.values()) == 0
    assert "zz-new" in after and after["zz-new"] not in before.values()


def test_a_grouped_layout_gives_each_group_its_own_disc_the_same_every_time():
    from constellation.viz.positions import grouped_layout

    nodes, edges, groups = [], [], {}
    for g, size in enumerate((40, 25, 12)):
        ids = [f"g{g}-{i}" for i in range(size)]
        nodes += [{"id": i, "kind": "organization", "label": i} for i in ids]
        edges += [
            {"kind": "collaborates_with", "source": ids[i], "target": ids[(i * 7 + 3) % size]}
            for i in range(size)
        ]
        edges += [
            {"kind": "collaborates_with", "source": ids[i], "target": ids[(i + 1) % size]}
            for i in range(size)
        ]
        groups.update(dict.fromkeys(ids, g))
    edges.append({"kind": "collaborates_with", "source": "g0-1", "target": "g1-1"})
    edges.append({"kind": "collaborates_with", "source": "g1-2", "target": "g2-2"})
    nodes.append({"id": "loner", "kind": "organization", "label": "no group"})
    edges.append({"kind": "collaborates_with", "source": "loner", "target": "g2-0"})
    G = build_graph(nodes, edges)
    first = grouped_layout(G, groups)
    assert first == grouped_layout(G, groups)
    assert set(first) == set(G)
    discs = []
    for g in range(3):
        pts = [first[v] for v in G if groups.get(v, 2) == g]  # the loner joins its neighbour's
        cx = sum(p["x"] for p in pts) / len(pts)
        cy = sum(p["y"] for p in pts) / len(pts)
        r = max(math.hypot(p["x"] - cx, p["y"] - cy) for p in pts)
        discs.append((cx, cy, r))
    for i, (xi, yi, ri) in enumerate(discs):
        for xj, yj, rj in discs[i + 1 :]:
            assert math.hypot(xi - xj, yi - yj) > ri + rj  # no two groups overlap
