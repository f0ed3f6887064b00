"""The meeting packet: what the HTML holds, that it loads nothing and runs nothing, and the
PDF's pages (counted with pypdf, one rendered with pdftoppm)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from constellation.analysis.audit import audit_workspace
from constellation.cli import app as cli
from constellation.demo import load_demo
from constellation.report.packet import SECTIONS
from constellation.report.pdf import pdf_available
from constellation.services.indicators import indicator_report
from constellation.services.network import Network
from constellation.services.report import packet_document

IN_CI = bool(os.environ.get("CI"))
AS_OF, SINCE = dt.date(2023, 6, 1), dt.date(2023, 1, 1)
XSS = '<img src=x onerror="window.__xss=1">Jobs<script>window.__xss=2</script>'


class Text(HTMLParser):
    """The page's text as a reader sees it (entities decoded, tags and styles dropped)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script", "title")
        if tag in ("td", "th", "li", "p", "h1", "h2", "h3", "tr", "figcaption"):
            self.parts.append(" ")  # cells and blocks read apart

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script", "title")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        p = cls()
        p.feed(html)
        return re.sub(r"\s+", " ", "".join(p.parts))


class References(HTMLParser):
    """Every attribute of the page that could load something."""

    NAMES = {"src", "href", "xlink:href", "action", "poster", "data", "srcset", "formaction"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [v or "" for k, v in attrs if k in self.NAMES]

    handle_startendtag = handle_starttag

    @classmethod
    def of(cls, html: str) -> list[str]:
        p = cls()
        p.feed(html)
        return p.found


def values(*pairs, group=None):
    return [
        {"date": f"{y}-01-01", "value": v} | ({"group": group} if group else {}) for y, v in pairs
    ]


@pytest.fixture
def packet_ws(store):
    """A small network where, between SINCE and AS_OF, a group with a hostile label
    launched with nobody convening it (a high finding that appeared); committed, so that
    the command line sees it too."""
    with store.repository(actor="test") as repo:
        _build(repo)
    with store.repository(actor="test") as repo:
        yield repo


def _build(repo):
    repo.create_workspace("packet", name="Packet <Compact>")
    repo.bulk_upsert(
        "packet",
        [
            {"id": "compact", "kind": "initiative", "label": "The Compact"},
            {"id": "g1", "kind": "goal", "label": "All students graduate"},
            {
                "id": "reading",
                "kind": "indicator",
                "label": "Reading",
                "properties": {
                    "unit": "percent",
                    "baseline": 50,
                    "target": 60,
                    "target_date": "2025-01-01",
                    "values": values((2020, 50), (2021, 52), (2022, 54), (2023, 56)),
                },
            },
            {
                "id": "grad",
                "kind": "indicator",
                "label": "Graduation <b>rate</b>",
                "properties": {
                    "unit": "percent",
                    "values": values((2020, 70), (2023, 75))
                    + values((2020, 80), (2023, 88), group="race: A")
                    + values((2020, 62), (2023, 64), group="race: B"),
                },
            },
            {
                "id": "u",
                "kind": "organization",
                "label": "UNITE-LA",
                "properties": {"sector": "non-profit", "staff_capacity": 1},
            },
            {
                "id": "e",
                "kind": "organization",
                "label": "Employer",
                "properties": {"sector": "business", "staff_capacity": 2},
            },
            {
                "id": "f",
                "kind": "organization",
                "label": "Foundation",
                "properties": {"sector": "philanthropy"},
            },
            {
                "id": "c1",
                "kind": "constellation",
                "label": "Data Workgroup",
                "properties": {"status": "active", "launched": "2015-01-01"},
            },
            {
                "id": "c2",
                "kind": "constellation",
                "label": XSS,
                "valid_from": "2023-03-01",
                "properties": {"status": "active", "launched": "2023-03-01"},
            },
        ],
        [
            {"kind": "pursues", "source": "compact", "target": "g1"},
            {"kind": "measures", "source": "reading", "target": "g1"},
            {"kind": "measures", "source": "grad", "target": "g1"},
            {"kind": "convenes", "source": "u", "target": "c1"},
            {"kind": "participates_in", "source": "e", "target": "c1"},
            {"kind": "advances", "source": "c1", "target": "g1"},
            {"kind": "advances", "source": "c2", "target": "g1"},
            {"kind": "participates_in", "source": "e", "target": "c2", "valid_from": "2023-03-01"},
            {"kind": "signs", "source": "u", "target": "compact"},
            {
                "kind": "funds",
                "source": "f",
                "target": "c1",
                "properties": {"amount": 50000, "currency": "USD"},
            },
        ],
    )


@pytest.fixture
def html(packet_ws):
    return packet_document(Network(packet_ws, "packet"), AS_OF, SINCE).decode()


def test_the_html_holds_the_health_score_and_every_high_finding(packet_ws, html):
    report = audit_workspace(packet_ws, "packet", AS_OF)
    text = Text.of(html)
    score = report.summary["health"]["score"]
    assert f"Health {score}/100" in text
    high = [f for f in report.findings if f.severity.value == "high"]
    assert any(f.check == "leaderless_constellations" for f in high)
    for f in high:
        assert f.message in text  # verbatim, as the reader reads it
    for _, heading in SECTIONS:
        assert re.search(rf"<h2>{re.escape(heading)}", html), heading


def test_the_html_shows_what_changed_since(packet_ws, html):
    text = Text.of(html)
    now, then = (
        audit_workspace(packet_ws, "packet", day).summary["health"]["score"]
        for day in (AS_OF, SINCE)
    )
    assert now < then  # a leaderless group launched
    assert f"({then} on 2023-01-01, down {then - now})" in text
    moved = text.split("What moved it since 2023-01-01")[1].split("The score:")[0]
    assert "Leaderless constellations: 0 → 1 finding(s) (more; -" in moved
    appeared = text.split("Appeared since 2023-01-01")[1].split("Resolved since")[0]
    assert f"{XSS} is active but nobody convenes it." in appeared
    changes = text.split("Changes since 2023-01-01")[1]
    assert f"New constellation: {XSS}." in changes
    assert f"Employer joined {XSS}." in changes
    leaderless = text.split("Leaderless groups (1)")[1]
    assert "Employer (spare capacity" in leaderless.split("Overloaded conveners")[0]
    funded = text.split("What is funded (1)")[1]
    assert "Data Workgroup Foundation USD 50,000" in funded


def test_one_chart_per_indicator_and_the_map_picture(packet_ws, html):
    indicators = indicator_report(Network(packet_ws, "packet"), AS_OF).indicators
    figures = re.findall(r'<figure class="curve" data-indicator="([^"]+)"><svg ', html)
    assert sorted(figures) == sorted(t.id for t in indicators)
    assert "race: A" in html and "target 60% by 2025-01-01" in html
    picture = re.search(r'<figure class="map"><svg .*?</svg>', html, re.S).group(0)
    assert 'class="map-picture"' in picture
    nodes = set(re.findall(r'<g data-id="([^"]+)"', picture))
    assert nodes == {"compact", "g1", "reading", "grad", "u", "e", "f", "c1", "c2"}
    assert re.search(r'<g data-id="c2" data-kind="constellation" data-mark="high"', picture)


def test_the_html_loads_nothing(html):
    # every src/href (and the like) of every element is a reference inside the page: "#…"
    refs = References.of(html)
    assert refs and all(target.startswith("#") for target in refs), refs
    assert not re.search(r"url\(\s*['\"]?(?!#)", html)
    assert "@import" not in html
    assert "<script" not in html.lower()
    assert "default-src 'none'" in html  # and a policy that would block it anyway


def test_an_xss_label_is_inert(html, browser):
    assert "<img" not in html and "<b>rate</b>" not in html
    assert "&lt;img src=x onerror=" in html and "&lt;b&gt;rate&lt;/b&gt;" in html
    assert "Packet &lt;Compact&gt;" in html
    page = browser.new_page()
    try:
        page.set_content(html)
        assert page.evaluate("window.__xss") is None
        assert page.evaluate("document.querySelectorAll('img, script').length") == 0
        heading = page.text_content("section#conveners")
        assert XSS in heading
    finally:
        page.close()


def test_since_must_be_before_the_date(packet_ws):
    from constellation.errors import InvalidQuestion

    with pytest.raises(InvalidQuestion, match="must be before"):
        packet_document(Network(packet_ws, "packet"), AS_OF, AS_OF)


def _need(available: bool, what: str):
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is mandatory in CI")
        pytest.skip(f"{what} is not installed here")


def test_the_pdf_has_the_sections_as_pages_and_renders_to_png(packet_ws, tmp_path):
    _need(pdf_available(), "WeasyPrint with Pango")
    from pypdf import PdfReader

    pdf = packet_document(Network(packet_ws, "packet"), AS_OF, SINCE, format="pdf")
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) >= len(SECTIONS)
    # every section starts a page, in the packet's order (health shares the cover's)
    starts = []
    for _, heading in SECTIONS:
        pages = [i for i, t in enumerate(texts) if re.search(rf"^\s*{re.escape(heading)}", t, re.M)]
        assert pages, heading
        starts.append(pages[0])
    assert starts == sorted(starts) and len(set(starts)) == len(SECTIONS)
    assert texts[0].lstrip().startswith("STEWARDSHIP MEETING PACKET")

    _need(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    path = tmp_path / "packet.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_the_cli_writes_the_packet(packet_ws, db_url, tmp_path):
    out = tmp_path / "packet.html"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--db",
            db_url,
            "-w",
            "packet",
            "--as-of",
            "2023-06-01",
            "--since",
            "2023-01-01",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Wrote the HTML packet of packet" in result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
    bad = CliRunner().invoke(
        cli,
        [
            "report",
            "--db",
            db_url,
            "-w",
            "packet",
            "--as-of",
            "2023-06-01",
            "--since",
            "2024-01-01",
        ],
    )
    assert bad.exit_code == 1
    assert "since (2024-01-01) must be before the packet's date (2023-06-01)" in bad.stderr


def test_without_weasyprint_pdf_is_a_clear_error(packet_ws, db_url, tmp_path):
    """A Python where WeasyPrint's system libraries cannot load (a stand-in package that
    fails as WeasyPrint does without Pango)."""
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': not found\")\n"
    )
    env = os.environ | {"PYTHONPATH": str(tmp_path / "fake")}
    out = tmp_path / "p.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "constellation.cli",
            "report",
            "--db",
            db_url,
            "-w",
            "packet",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "PDF output needs WeasyPrint" in done.stderr
    assert "libpango-1.0-0" in done.stderr
    assert not out.exists()


@pytest.fixture
def demo(repo):
    load_demo(repo, "achieve-escambia")
    return repo


def test_the_demo_packet_shows_real_curves(demo):
    html = packet_document(Network(demo, "achieve-escambia"), dt.date(2024, 6, 1)).decode()
    text = Text.of(html)
    assert "the gap between White and Black (race) is 24.3 points and widening" in text
    assert "Some figures are illustrative." in text
