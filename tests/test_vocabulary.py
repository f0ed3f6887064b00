"""The vocabulary is complete, consistent and the one source of kind names."""

from __future__ import annotations

import pathlib
import re

import pytest

from constellation import vocabulary as vocab
from constellation.schema import markdown_tables, vocabulary_document

DESIGN_NODE_KINDS = {
    "initiative",
    "issue_area",
    "goal",
    "indicator",
    "organization",
    "person",
    "stewardship_group",
    "constellation",
    "assessment",
}
DESIGN_EDGE_KINDS = {
    "signs",
    "represents",
    "member_of",
    "stewards",
    "pursues",
    "in_area",
    "backbone_for",
    "convenes",
    "participates_in",
    "advances",
    "measures",
    "funds",
    "spun_off_from",
    "assesses",
    "collaborates_with",
    "related_to",
}


ISSUE_13_NODE_KINDS = {"event"}
ISSUE_13_EDGE_KINDS = {"held_for", "attended"}
"""Issue 13 adds meetings and engagement events, with the ties to what they are for and who
attended."""


def test_every_kind_of_the_design_is_declared():
    assert set(vocab.NODE_KINDS) == DESIGN_NODE_KINDS | ISSUE_13_NODE_KINDS
    assert set(vocab.EDGE_KINDS) == DESIGN_EDGE_KINDS | ISSUE_13_EDGE_KINDS


def test_events_tie_to_groups_and_attendees():
    assert vocab.EDGE_KINDS["held_for"].allows("event", "constellation")
    assert vocab.EDGE_KINDS["held_for"].allows("event", "stewardship_group")
    assert not vocab.EDGE_KINDS["held_for"].allows("event", "organization")
    assert vocab.EDGE_KINDS["attended"].allows("person", "event")
    assert not vocab.EDGE_KINDS["attended"].allows("constellation", "event")


@pytest.mark.parametrize("kind", ["participates_in", "convenes", "collaborates_with"])
def test_tie_quality_is_on_the_declared_scale(kind):
    low, high = vocab.TIE_SCALE
    props = {"trust": high, "value_resources": low} | {p: 2.5 for p in vocab.TRUST_PARTS}
    assert vocab.validate_properties(kind, props)["trust"] == high
    with pytest.raises(vocab.PropertyError, match="trust"):
        vocab.validate_properties(kind, {"trust": high + 1})
    with pytest.raises(vocab.PropertyError, match="value_power"):
        vocab.validate_properties(kind, {"value_power": low - 1})


def test_edge_endpoints_name_real_node_kinds():
    for spec in vocab.EDGE_KINDS.values():
        for end in spec.sources + spec.targets:
            assert end == vocab.ANY or end in vocab.NODE_KINDS, (spec.name, end)


@pytest.mark.parametrize(
    ("kind", "source", "target", "ok"),
    [
        ("funds", "organization", "constellation", True),
        ("funds", "organization", "organization", True),
        ("funds", "person", "constellation", False),
        ("advances", "constellation", "indicator", True),
        ("in_area", "initiative", "issue_area", True),
        ("related_to", "person", "goal", True),
        ("convenes", "constellation", "organization", False),
    ],
)
def test_allowed_endpoints(kind, source, target, ok):
    assert (vocab.endpoint_error(kind, source, target) is None) is ok


def test_property_errors_list_every_field():
    with pytest.raises(vocab.PropertyError) as info:
        vocab.validate_properties(
            "indicator", {"baseline": "high", "values": [{"value": 1}], "colour": "red"}
        )
    fields = {f for f, _ in info.value.errors}
    assert fields == {"baseline", "values.0.date", "colour"}


def test_enum_values_are_forgiving_about_case_and_spacing():
    props = vocab.validate_properties(
        "constellation", {"status": " Active ", "constellation_type": "Task Force"}
    )
    assert props["status"] == "active" and props["constellation_type"] == "task_force"
    assert vocab.validate_properties("person", {"seniority": "Direct report"}) == {
        "seniority": "direct_report"
    }


def test_schema_document_describes_every_kind():
    doc = vocabulary_document()
    assert {k["name"] for k in doc["node_kinds"]} == DESIGN_NODE_KINDS | ISSUE_13_NODE_KINDS
    funds = next(k for k in doc["edge_kinds"] if k["name"] == "funds")
    assert funds["targets"] == ["organization", "constellation"]
    assert funds["properties"]["amount"]["type"] == "number"
    status = next(k for k in doc["node_kinds"] if k["name"] == "constellation")["properties"][
        "status"
    ]
    assert status["enum"] == ["planned", "forming", "active", "dormant", "disbanded"]


def test_readme_data_model_is_generated_from_the_vocabulary():
    readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
    assert markdown_tables() in readme


def test_no_module_outside_the_vocabulary_hard_codes_the_kind_list():
    """Kinds may be named where code acts on one, but only vocabulary.py lists them all."""
    src = pathlib.Path(vocab.__file__).parent
    for path in src.rglob("*.py"):
        if path.name == "vocabulary.py":
            continue
        text = path.read_text()
        named = {k for k in DESIGN_NODE_KINDS if re.search(rf'["\']{k}["\']', text)}
        assert len(named) < len(DESIGN_NODE_KINDS), path
