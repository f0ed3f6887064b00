"""The audit as Markdown, for a report to paste into the next meeting's papers."""

from __future__ import annotations

from collections import defaultdict

from constellation.analysis.audit import health_breakdown
from constellation.analysis.findings import SEVERITY_ORDER, AuditReport
from constellation.analysis.registry import CHECKS

__all__ = ["audit_markdown"]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def audit_markdown(report: AuditReport) -> str:
    """A heading, the health score, the counts, the score check by check, then one section
    per check with findings."""
    s = report.summary
    lines = [
        f"# Audit of {report.workspace} as of {report.as_of.isoformat()}",
        "",
        f"**Health score: {s['health']['score']} / 100** — "
        f"{s['counts']['total']} finding(s): "
        + ", ".join(f"{n} {sev}" for sev, n in s["counts"]["by_severity"].items() if n)
        + ".",
        "",
    ]
    lines += [
        "## Health by check",
        "",
        "Each check's share of the score: fixing all its findings gains its points lost.",
        "",
        "| check | findings | population | weight | points lost |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    lines += [
        f"| {_cell(r['title'])} | {r['findings']} | {r['population']} {_cell(r['of'])} "
        f"| {r['weight']} | {r['points_lost']:g} |"
        for r in health_breakdown(report)
    ]
    lines.append("")
    grouped = defaultdict(list)
    for f in report.findings:
        grouped[f.check].append(f)
    # the most severe sections first; between equals, the heavier check
    ordered = sorted(
        grouped,
        key=lambda c: (min(SEVERITY_ORDER[f.severity] for f in grouped[c]), -CHECKS[c].weight),
    )
    for check_id in ordered:
        lines += [
            f"## {CHECKS[check_id].title} ({len(grouped[check_id])})",
            "",
            "| severity | finding | next step |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| {f.severity.value} | {_cell(f.message)} | {_cell(f.suggestion)} |"
            for f in grouped[check_id]
        ]
        lines.append("")
    net = s.get("network")
    if net:
        lines += [
            "## The network",
            "",
            f"{net['nodes']} nodes, {net['edges']} edges, density {net['density']}, "
            f"{net['components']} component(s), {net['communities']['count']} "
            f"communities.",
            "",
        ]
        if net["brokers"]:
            lines.append(
                "Brokers (betweenness): "
                + ", ".join(f"{b['label']} ({b['betweenness']})" for b in net["brokers"])
                + (" — approximate" if net["measures"].get("approximate") else "")
                + "."
            )
            lines.append("")
    return "\n".join(lines)
