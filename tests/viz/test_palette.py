"""The map's palette: every colour it declares reads on the white map (WCAG contrast at least
3:1, the rule for graphics), no two node kinds and no two tie kinds share a colour, the node
kinds stay apart under simulated deuteranopia, and the finding marks use colours no node
kind uses."""

from __future__ import annotations

import itertools
import math

import pytest

from constellation import vocabulary as vocab
from constellation.viz.map import MARKS, STATUS_STYLES

BACKGROUND = "#ffffff"

# Machado, Oliveira & Fernandes (2009), deuteranopia at severity 1.0, on linear RGB
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, -0.047413),
    (-0.011820, 0.042940, 0.968881),
)


def _linear(hex_colour: str) -> tuple[float, float, float]:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return tuple(channel(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))


def luminance(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = BACKGROUND) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def difference(a: str, b: str, *, deuteranopia: bool = False) -> float:
    """CIE76 colour difference, seen normally or through simulated deuteranopia."""

    def seen(c: str) -> tuple[float, float, float]:
        rgb = _linear(c)
        if not deuteranopia:
            return rgb
        return tuple(
            min(1.0, max(0.0, sum(m * v for m, v in zip(row, rgb, strict=True))))
            for row in DEUTERANOPIA
        )

    return math.dist(_lab(seen(a)), _lab(seen(b)))


def legend_colours() -> dict[str, str]:
    colours = {f"node {k.name}": k.color for k in vocab.NODE_KINDS.values()}
    colours |= {f"tie {k.name}": k.color for k in vocab.EDGE_KINDS.values()}
    colours |= {f"mark {name}": m["color"] for name, m in MARKS.items()}
    colours |= {f"value {i}": c for i, c in enumerate(vocab.CATEGORY_COLORS)}
    colours |= {"other values": vocab.OTHER_COLOR, "no value": vocab.NO_VALUE_COLOR}
    colours |= {f"status {s}": st["border"] for s, st in STATUS_STYLES.items() if "border" in st}
    return colours


def test_the_contrast_helper_agrees_with_wcag():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("name", "colour"), sorted(legend_colours().items()))
def test_every_legend_colour_has_3_to_1_contrast_on_the_map(name, colour):
    assert contrast(colour) >= 3.0, f"{name} {colour}: {contrast(colour):.2f}:1 on white"


def test_no_two_node_kinds_and_no_two_tie_kinds_share_a_colour():
    for kinds in (vocab.NODE_KINDS.values(), vocab.EDGE_KINDS.values()):
        for a, b in itertools.combinations(kinds, 2):
            assert difference(a.color, b.color) >= 10, (a.name, b.name)
    for a, b in itertools.combinations(vocab.CATEGORY_COLORS, 2):
        assert difference(a, b) >= 10, (a, b)


def test_node_kinds_stay_apart_for_deuteranopes():
    for a, b in itertools.combinations(vocab.NODE_KINDS.values(), 2):
        assert difference(a.color, b.color, deuteranopia=True) >= 12, (a.name, b.name)


def test_finding_marks_use_colours_no_node_kind_uses():
    """A mark stays a mark whatever the map is coloured by: kinds or the values of a field."""
    fills = [k.color for k in vocab.NODE_KINDS.values()]
    fills += [*vocab.CATEGORY_COLORS, vocab.OTHER_COLOR, vocab.NO_VALUE_COLOR]
    for mark in MARKS.values():
        for fill in fills:
            assert difference(mark["color"], fill) >= 20, (mark["label"], fill)
