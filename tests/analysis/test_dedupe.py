"""The duplicate finder on a labelled set of pairs (tests/analysis/data/dedupe_pairs.yaml)
and on hand-made cases; precision and recall are printed with ``-s`` and kept in the README."""

from __future__ import annotations

import pathlib
import time

import pytest
import yaml

from constellation.analysis.dedupe import (
    Candidate,
    domain,
    find_duplicates,
    identifiers_of,
    normalise,
)

PAIRS = yaml.safe_load(
    (pathlib.Path(__file__).parent / "data" / "dedupe_pairs.yaml").read_text(encoding="utf-8")
)["pairs"]


def side(value, id):
    given = value if isinstance(value, dict) else {"label": value}
    return Candidate(
        id=id,
        label=given["label"],
        website=given.get("website"),
        aliases=tuple(given.get("aliases", ())),
        identifiers=given.get("identifiers", {}),
    )


def proposed(pair) -> bool:
    """Whether the finder proposes this pair, looking at the two names alone."""
    report = find_duplicates([side(pair["a"], "a"), side(pair["b"], "b")])
    return bool(report.pairs)


def figures():
    tp = sum(1 for p in PAIRS if p["same"] and proposed(p))
    fp = sum(1 for p in PAIRS if not p["same"] and proposed(p))
    fn = sum(1 for p in PAIRS if p["same"] and not proposed(p))
    return tp, fp, fn


def test_the_labelled_set_is_large_enough_and_of_both_kinds():
    assert len(PAIRS) >= 60
    assert sum(p["same"] for p in PAIRS) >= 30 and sum(not p["same"] for p in PAIRS) >= 30


def test_precision_and_recall_on_the_labelled_set():
    tp, fp, fn = figures()
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"\n{len(PAIRS)} pairs ({tp + fn} duplicates): precision {precision:.3f} "
        f"({tp}/{tp + fp}), recall {recall:.3f} ({tp}/{tp + fn})"
    )
    assert precision >= 0.95
    assert recall >= 0.8


@pytest.mark.parametrize(
    "a, b",
    [
        ("California State University, Los Angeles", "California State University, Northridge"),
        ("University of California, Los Angeles", "University of Southern California"),
    ],
)
def test_look_alikes_the_issue_names_are_never_paired(a, b):
    assert find_duplicates([Candidate("a", a), Candidate("b", b)]).pairs == []


def test_a_pair_says_its_score_and_reasons_best_first():
    found = find_duplicates(
        [
            Candidate("lausd", "LAUSD"),
            Candidate("lausd-2", "Los Angeles Unified School District"),
            Candidate("la-unified", "Los Angeles Unified", website="https://www.lausd.org/"),
            Candidate("la-unified-2", "L.A. Unified", website="http://lausd.org"),
            Candidate("ucla", "UCLA"),
        ]
    )
    got = [(p.a.id, p.b.id, p.score, p.reasons) for p in found.pairs]
    assert got == [
        ("la-unified-2", "la-unified", 0.95, ["same name", "same website"]),
        ("la-unified-2", "lausd-2", 0.95, ["same name"]),
        ("la-unified", "lausd-2", 0.95, ["same name"]),
        ("lausd", "lausd-2", 0.9, ["acronym"]),
    ]
    assert found.model_dump()["pairs"][0]["a"] == {"id": "la-unified-2", "label": "L.A. Unified"}
    assert found.pairs[0].details == [
        "both read “los angeles unified” once normalised",
        "both at lausd.org",
    ]
    assert found.pairs[3].details == [
        "LAUSD is the acronym of “Los Angeles Unified School District”"
    ]


def test_different_identifiers_of_one_scheme_are_two_organizations():
    same_name = [
        Candidate("x1", "Escambia Data Trust", identifiers={"charity": "1"}),
        Candidate("x2", "Escambia Data Trust", identifiers={"charity": "2"}),
        Candidate("x3", "Data Trust", identifiers={"charity": "1"}),
    ]
    found = find_duplicates(same_name).pairs
    assert [(p.a.id, p.b.id, p.reasons) for p in found] == [("x3", "x1", ["same identifier"])]
    assert found[0].details == ["both have the identifier charity 1"]


def test_only_one_kind_is_paired_with_itself():
    found = find_duplicates(
        [Candidate("a", "Data Workgroup", kind="constellation"), Candidate("b", "Data Workgroup")]
    )
    assert found.pairs == []


def test_the_threshold_leaves_weaker_pairs_out():
    typo = [Candidate("a", "Wells Fargo Foundation"), Candidate("b", "Wells Fargo Fondation")]
    [pair] = find_duplicates(typo).pairs
    assert pair.reasons == ["similar name"] and 0.85 <= pair.score < 0.95
    assert pair.details == [
        "“wells fargo foundation” and “wells fargo fondation” differ by typos (98% alike)"
    ]
    assert find_duplicates(typo, {"threshold": 0.95}).pairs == []


def test_names_domains_and_identifiers_as_compared():
    assert normalise("California Endowment, The") == normalise("The California Endowment")
    assert normalise("Acme Widgets, Inc.") == normalise("ACME widgets LLC")
    assert normalise("Los Angeles, City of") == normalise("City of Los Angeles")
    assert domain("https://www.x.org/") == domain("http://x.org") == "x.org"
    assert identifiers_of("GB-CHC-1234567", {"ein": "95-1234567"}) == {
        "ein": "951234567",
        "org-id": "gb-chc-1234567",
        "charity": "1234567",
    }


def test_a_few_thousand_organizations_in_seconds():
    names = [
        f"Organization {i} of {['Pensacola', 'Los Angeles', 'Escambia'][i % 3]}"
        for i in range(3000)
    ]
    started = time.perf_counter()
    find_duplicates([Candidate(str(i), n) for i, n in enumerate(names)])
    assert time.perf_counter() - started < 20
