"""Duplicate organizations: pairs of records that name one organization, scored and explained.

A partnership's spreadsheets name one organization several ways ("LAUSD", "Los Angeles
Unified", "Los Angeles Unified School District"; "The California Endowment" and
"California Endowment, The"), and every import from another source adds copies. The
finder proposes pairs to merge; it must not pair distinct organizations that merely look
alike ("California State University, Los Angeles" and "…, Northridge"), so fuzzy
similarity only counts for names that differ by typos, never by a word.

Reasons, each with the score it gives (a pair's score is its best reason's):

* ``same identifier`` (1.0) — the same EIN, charity or company number, org-id or other
  identifier (see `identifiers_of`). Two records with *different* identifiers of one
  scheme are different organizations and are never paired, whatever their names;
* ``same name`` (0.95) — equal after `normalise` (case, accents, punctuation, "&", a
  leading or trailing "The", legal forms such as Inc./LLC/Ltd, common abbreviations);
* ``alias`` (0.95) — one's label or alias is the other's label or alias, normalised;
* ``acronym`` (0.9) — one is written as a single acronym ("LAUSD", "UCLA") that the
  other's words make (skipping "of", "the", "and", "for", "at", "in");
* ``same website`` (0.9) — one domain (``https://www.x.org/`` and ``http://x.org``);
  site builders and social networks (facebook.com, sites.google.com …) do not count, nor
  two sections of one site (``lausd.org/roosevelt`` and ``lausd.org/garfield``);
* ``similar name`` (the rapidfuzz ratio ÷ 100 × 0.95, so a typo never outscores an equal
  name; found from `min_similarity`) — names of the
  same words but for typos: every word that differs is itself at least 80% similar to
  its counterpart, and any number is the same.

Only pairs scoring at least `threshold` are proposed, best first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

__all__ = [
    "DedupeParams",
    "Candidate",
    "DuplicatePair",
    "DedupeReport",
    "find_duplicates",
    "normalise",
    "acronym",
    "domain",
    "identifiers_of",
    "identifier_value",
]

SCORES = {
    "same identifier": 1.0,
    "same name": 0.95,
    "alias": 0.95,
    "acronym": 0.9,
    "same website": 0.9,
}
"""What each reason scores; ``similar name`` scores its similarity × 0.95."""

SAID = {
    "same identifier": "both have the identifier {}",
    "same name": "both read “{}” once normalised",
    "alias": "“{}” is a name of both",
    "same website": "both at {}",
}
"""The detail each indexed reason gives, filled with what the two share."""

LEGAL_FORMS = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "plc",
    "llp",
    "lp",
    "cic",
    "pbc",
    "co",
    "company",
}
"""Words that say the legal form, not which organization: dropped before comparing."""

ABBREVIATIONS = {
    "univ": "university",
    "u": "university",
    "dept": "department",
    "assn": "association",
    "assoc": "association",
    "intl": "international",
    "natl": "national",
    "ctr": "center",
    "centre": "center",
    "cntr": "center",
    "fdn": "foundation",
    "fndn": "foundation",
    "coll": "college",
    "sch": "school",
    "schs": "schools",
    "dist": "district",
    "comm": "community",
    "cmty": "community",
    "svcs": "services",
    "svc": "service",
    "org": "organization",
    "organisation": "organization",
    "mt": "mount",
    "ft": "fort",
    "la": "los angeles",
    "sf": "san francisco",
    "nyc": "new york city",
}
"""Common short forms, written out before comparing."""

PHRASES = [
    ("unified school district", "unified"),
    ("independent school district", "isd"),
    ("community college district", "community college district"),
]
"""Longer forms that one name of an organization drops ("Los Angeles Unified")."""

SMALL_WORDS = {"of", "the", "and", "for", "at", "in", "on", "a", "an", "to"}

HOSTS = {
    "facebook.com",
    "linkedin.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "google.com",
    "sites.google.com",
    "wixsite.com",
    "wordpress.com",
    "blogspot.com",
    "github.io",
    "squarespace.com",
    "weebly.com",
    "eventbrite.com",
    "gofundme.com",
}
"""Domains many organizations share pages on: the same one says nothing."""

IDENTIFIER_ATTRIBUTES = {
    "ein": "ein",
    "EIN": "ein",
    "charityNumber": "charity",
    "charity_number": "charity",
    "companyNumber": "company",
    "company_number": "company",
    "org_id": "org-id",
    "orgId": "org-id",
}
"""Attributes that hold an identifier, and the scheme each belongs to."""

ORG_ID = re.compile(r"^[A-Z]{2,3}-[A-Z]{2,6}-[A-Za-z0-9._-]+$")
"""An org-id (org-id.guide) such as ``GB-CHC-1234567``; 360Giving names organizations so."""


ORG_ID_SCHEMES = {"US-EIN": "ein", "GB-CHC": "charity", "GB-COH": "company"}
"""Org-id lists whose numbers are also the identifiers of a scheme here (an EIN …)."""


class DedupeParams(BaseModel):
    """The thresholds of `find_duplicates`, with their defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(
        0.85, ge=0, le=1, description="Pairs scoring at least this are proposed."
    )
    min_similarity: float = Field(
        90,
        ge=0,
        le=100,
        description="Names of the same words but for typos count as similar from this "
        "rapidfuzz ratio (0-100) of their normalised forms.",
    )


@dataclass(frozen=True)
class Candidate:
    """What the finder reads of one node."""

    id: str
    label: str
    kind: str = "organization"
    website: str | None = None
    aliases: tuple[str, ...] = ()
    identifiers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        id: str,
        label: str,
        kind: str = "organization",
        properties: Mapping[str, Any] | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Candidate:
        """A candidate from a stored node's fields."""
        props, attrs = properties or {}, attributes or {}
        aliases = attrs.get("aliases") or []
        return cls(
            id=id,
            label=label,
            kind=kind,
            website=props.get("website") or attrs.get("url") or attrs.get("website"),
            aliases=tuple(str(a) for a in aliases if str(a).strip())
            if isinstance(aliases, list)
            else (str(aliases),),
            identifiers=identifiers_of(id, attrs),
        )


class Side(BaseModel):
    id: str
    label: str


class DuplicatePair(BaseModel):
    """Two records the finder proposes to merge, with why."""

    a: Side
    b: Side
    score: float = Field(description="The best reason's score, 0-1.")
    reasons: list[str] = Field(description="Every reason found, the strongest first.")
    details: list[str] = Field(
        default_factory=list, description="What each reason saw, in the order of `reasons`."
    )


class DedupeReport(BaseModel):
    """`constellation dedupe --format json` and `GET …/dedupe` return exactly this."""

    pairs: list[DuplicatePair] = Field(default_factory=list, description="Best first.")


# --- what names and sites are, compared ---------------------------------------------------


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _words(text: str) -> list[str]:
    text = _ascii(text).casefold().replace("&", " and ").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def normalise(label: str) -> str:
    """A name as compared: case, accents, punctuation, articles, legal forms and short
    forms aside.

    >>> normalise("California Endowment, The") == normalise("The California Endowment")
    True
    >>> normalise("Acme Widgets, Inc.") == normalise("ACME widgets LLC")
    True
    >>> normalise("Los Angeles Unified School District"), normalise("L.A. Unified")
    ('los angeles unified', 'los angeles unified')
    """
    label = re.sub(r"\s*\(([^)]*)\)\s*", " ", label)  # "(LAUSD)" is an acronym, not a word
    label = _inverted(label)
    words = _collapse_initials(_words(label))
    words = [ABBREVIATIONS.get(w, w) for w in words]
    words = [w for w in " ".join(words).split() if w not in LEGAL_FORMS and w not in SMALL_WORDS]
    text = " ".join(words)
    for long, short in PHRASES:
        text = re.sub(rf"\b{long}\b", short, text)
    return text


def _inverted(label: str) -> str:
    """ "California Endowment, The" and "Los Angeles, City of" the usual way round."""
    m = re.fullmatch(r"(.+?),\s*((?:[\w.]+\s+){0,2}of|the)\s*\.?", label.strip(), re.IGNORECASE)
    return f"{m[2]} {m[1]}" if m else label


def _collapse_initials(words: list[str]) -> list[str]:
    """Initials written apart are one word: "S. D. Bechtel" and "S.D. Bechtel" → "sd"."""
    out: list[str] = []
    run = ""
    for w in words:
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        out.append(w)
    if run:
        out.append(run)
    return out


def acronym(label: str) -> str:
    """The initials of a name's words, small words and legal forms aside.

    >>> acronym("Los Angeles Unified School District"), acronym("Children's Hospital Los Angeles")
    ('lausd', 'chla')
    """
    label = _inverted(re.sub(r"\s*\(([^)]*)\)\s*", " ", label))
    words = [w for w in _words(label) if w not in SMALL_WORDS and w not in LEGAL_FORMS]
    return "".join(w[0] for w in words if not w.isdigit())


def _written_as_acronym(label: str) -> str | None:
    """The acronym a label is written as ("LAUSD", "U.C.L.A.", "LAUSD (the district)")."""
    bare = re.sub(r"\s*\([^)]*\)\s*", "", label).strip().replace(".", "")
    if re.fullmatch(r"[A-Z][A-Z&]{1,7}", bare):
        return bare.replace("&", "").casefold()
    return None


def _parenthesised(label: str) -> list[str]:
    """Acronyms given in brackets: "Los Angeles Unified School District (LAUSD)"."""
    return [m.casefold() for m in re.findall(r"\(([A-Z][A-Z&.]{1,9})\)", label)]


def domain(url: str | None) -> str | None:
    """The website's domain, scheme, ``www.``, port and path aside.

    >>> domain("https://www.x.org/about"), domain("http://x.org"), domain("x.org")
    ('x.org', 'x.org', 'x.org')
    """
    if not url or not str(url).strip():
        return None
    text = str(url).strip()
    if "//" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").casefold().rstrip(".")
    host = host.removeprefix("www.")
    return host or None


def _section(url: str | None) -> str:
    """The first part of a website's path: pages of one shared site are told apart by it."""
    text = str(url or "").strip()
    path = urlsplit(text if "//" in text else "//" + text).path
    first = path.strip("/").split("/")[0].casefold()
    return "" if first in ("", "about", "home", "index.html", "en") else first


def _counts(host: str | None) -> bool:
    if host is None:
        return False
    return not any(host == h or host.endswith("." + h) for h in HOSTS)


def identifiers_of(node_id: str, attributes: Mapping[str, Any]) -> dict[str, str]:
    """A node's identifiers by scheme: ``attributes.identifiers`` ({scheme: value}), the
    attributes named in `IDENTIFIER_ATTRIBUTES`, and its id when the id is an org-id
    (``US-EIN-956000001`` is also the EIN 956000001; see `ORG_ID_SCHEMES`)."""
    found: dict[str, str] = {}
    given = attributes.get("identifiers")
    if isinstance(given, Mapping):
        found |= {
            str(k).casefold(): identifier_value(v) for k, v in given.items() if identifier_value(v)
        }
    for key, scheme in IDENTIFIER_ATTRIBUTES.items():
        if identifier_value(attributes.get(key)):
            found.setdefault(scheme, identifier_value(attributes.get(key)))
    if ORG_ID.match(node_id):
        found.setdefault("org-id", node_id.casefold())
        prefix, _, number = node_id.upper().rpartition("-")
        if prefix in ORG_ID_SCHEMES:
            found.setdefault(ORG_ID_SCHEMES[prefix], identifier_value(number))
    return found


def identifier_value(value: Any) -> str:
    """An identifier as compared: spaces and dashes aside, case aside ("95-1234567")."""
    return re.sub(r"[\s-]", "", str(value)).casefold() if value not in (None, "") else ""


# --- the finder ---------------------------------------------------------------------------


def find_duplicates(
    candidates: Iterable[Candidate], params: DedupeParams | dict[str, Any] | None = None
) -> DedupeReport:
    """Pairs of candidates of one kind that name one organization, best first.

    Pairs come from indexes (name, acronym, domain, identifier → records) and from
    rapidfuzz's `process.cdist` over the normalised names, never from a loop over every
    pair in Python, so a few thousand organizations take seconds.
    """
    p = params if isinstance(params, DedupeParams) else DedupeParams(**(params or {}))
    items = list(candidates)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(items):
        by_kind[c.kind].append(i)
    reasons: Reasons = defaultdict(dict)
    for members in by_kind.values():
        _indexed(items, members, reasons)
        _similar(items, members, reasons, p.min_similarity)
    pairs = []
    for (i, j), found in reasons.items():
        a, b = items[i], items[j]
        if _conflicting(a, b):
            continue
        score = max(v for v, _ in found.values())
        if score < p.threshold:
            continue
        a, b = sorted((a, b), key=lambda c: (c.label.casefold(), c.id))
        ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))
        pairs.append(
            DuplicatePair(
                a=Side(id=a.id, label=a.label),
                b=Side(id=b.id, label=b.label),
                score=round(score, 3),
                reasons=[r for r, _ in ranked],
                details=[d for _, (_, d) in ranked],
            )
        )
    pairs.sort(key=lambda x: (-x.score, x.a.label.casefold(), x.b.label.casefold(), x.a.id))
    return DedupeReport(pairs=pairs)


def _conflicting(a: Candidate, b: Candidate) -> bool:
    """Different identifiers of one scheme: two organizations, whatever their names say."""
    return any(
        scheme in b.identifiers and b.identifiers[scheme] != value
        for scheme, value in a.identifiers.items()
    )


Reasons = dict[tuple[int, int], dict[str, tuple[float, str]]]
"""Per pair of candidates (by position), each reason found: its score and what it saw."""


def _indexed(items: list[Candidate], members: list[int], reasons: Reasons) -> None:
    keys: dict[tuple[str, str], list[int]] = defaultdict(list)
    sites: dict[int, str] = {}
    acronyms: dict[str, list[int]] = defaultdict(list)
    for i in members:
        c = items[i]
        names = {normalise(c.label)} - {""}
        keys[("same name", normalise(c.label))].append(i)
        for alias in c.aliases:
            names.add(normalise(alias))
        for name in names:
            keys[("alias", name)].append(i)
        host = domain(c.website)
        if _counts(host):
            keys[("same website", host or "")].append(i)
            sites[i] = _section(c.website)
        for scheme, value in c.identifiers.items():
            keys[("same identifier", f"{scheme} {value}")].append(i)
        made = acronym(c.label)
        if len(made) >= 2:
            acronyms[made].append(i)
    for (reason, key), found in keys.items():
        if not key or len(found) < 2:
            continue
        for i, j in combinations(sorted(set(found)), 2):
            if reason == "alias" and "same name" in reasons[(i, j)]:
                continue
            if reason == "same website" and sites[i] and sites[j] and sites[i] != sites[j]:
                continue  # two sections of one site (lausd.org/roosevelt, …/garfield)
            reasons[(i, j)][reason] = (SCORES[reason], SAID[reason].format(key))
    for i in members:
        c = items[i]
        written = {_written_as_acronym(c.label)} | set(_parenthesised(c.label))
        for alias in c.aliases:
            written.add(_written_as_acronym(alias))
        for short in written - {None}:
            for j in acronyms.get(short or "", []):
                if j != i and _written_as_acronym(items[j].label) is None:
                    said = f"{(short or '').upper()} is the acronym of “{items[j].label}”"
                    reasons[(min(i, j), max(i, j))]["acronym"] = (SCORES["acronym"], said)


def _similar(items: list[Candidate], members: list[int], reasons: Reasons, cutoff: float) -> None:
    names = [normalise(items[i].label) for i in members]
    if len(names) < 2:
        return
    scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1)
    rows, cols = scores.nonzero()
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        if r >= c or names[r] == names[c]:
            continue
        if not _typos_only(names[r], names[c]):
            continue
        i, j = members[r], members[c]
        ratio = float(scores[r, c])
        said = f"“{names[r]}” and “{names[c]}” differ by typos ({ratio:.0f}% alike)"
        reasons[(min(i, j), max(i, j))]["similar name"] = (
            round(ratio / 100 * SCORES["same name"], 3),
            said,
        )


def _typos_only(a: str, b: str) -> bool:
    """The same words, in order, but for typos: no word added, dropped or replaced."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            continue
        if x.isdigit() or y.isdigit() or any(ch.isdigit() for ch in x + y):
            return False
        if min(len(x), len(y)) < 4 or fuzz.ratio(x, y) < 80:
            return False
    return True
