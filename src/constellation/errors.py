"""Errors a person can act on: each names the record and, where it can, the field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


class ConstellationError(Exception):
    """Base of every error the library raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record: where it is, which field, and why."""

    message: str
    field: str | None = None
    record: str | None = None
    position: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            p
            for p in (
                self.position,
                f"record {self.record!r}" if self.record else None,
                f"field {self.field!r}" if self.field else None,
            )
            if p
        )
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class InvalidRecords(ConstellationError, ValueError):
    """Records that cannot be written; nothing was written. `problems` lists every one."""

    #: What the caller is told happened; a question that is not answered wrote nothing either.
    outcome: str | None = "nothing was written"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s)" + (f"; {self.outcome}" if self.outcome else "")
        super().__init__(
            head
            + ":\n"
            + "\n".join(f"  - {p}" for p in self.problems[:50])
            + ("\n  …" if len(self.problems) > 50 else "")
        )


class InvalidQuestion(InvalidRecords):
    """A question the analysis cannot answer as asked: an unknown check, a bad threshold, a
    name that is not an organization. Every interface answers it as it answers invalid
    records (a 422 naming each field); its message does not speak of writing."""

    outcome = None

    def sentence(self) -> str:
        """The problems on one line, for a command's error message."""
        return "; ".join(str(p) for p in self.problems)


def problems_from_validation(
    exc: ValidationError, prefix: str = "", position: str | None = None, record: str | None = None
) -> list[Problem]:
    """pydantic's errors as Problems, each field named from `prefix` (``"params."``) and the
    error's location; an error with no location names the prefix itself."""
    return [
        Problem(
            message=e["msg"],
            field=prefix + ".".join(str(p) for p in e["loc"])
            if e["loc"]
            else prefix.rstrip(".") or None,
            record=record,
            position=position,
        )
        for e in exc.errors()
    ]


class NotFound(ConstellationError):
    """Nothing by that name. `suggestions` are the closest names there are (a "did you
    mean"); `choices`, when short enough to list, every name there is (the workspaces)."""

    def __init__(
        self,
        what: str,
        ident: str,
        workspace: str | None = None,
        *,
        suggestions: list[str] | None = None,
        choices: list[str] | None = None,
    ):
        from constellation.names import did_you_mean

        self.what, self.ident, self.workspace = what, ident, workspace
        self.suggestions = list(suggestions or [])
        self.choices = list(choices or [])
        where = f" in workspace {workspace!r}" if workspace else ""
        listed = f" (the {what}s: {', '.join(self.choices)})" if self.choices else ""
        super().__init__(f"no {what} {ident!r}{where}{did_you_mean(self.suggestions)}{listed}")

    LISTED = 20
    """`among` lists every name up to this many."""

    @classmethod
    def among(cls, what: str, ident: str, names: list[str]) -> NotFound:
        """Nothing called `ident` among `names`: the closest of them as suggestions, and
        all of them when there are few (the workspaces a caller may name)."""
        from constellation.names import closest

        return cls(
            what,
            ident,
            suggestions=closest(ident, names),
            choices=names if len(names) <= cls.LISTED else None,
        )


class AlreadyExists(ConstellationError):
    def __init__(self, what: str, ident: str, workspace: str | None = None):
        self.what, self.ident, self.workspace = what, ident, workspace
        where = f" in workspace {workspace!r}" if workspace else ""
        super().__init__(f"a {what} with id {ident!r} already exists{where}")


class VersionConflict(ConstellationError):
    """An update named a version that is no longer current: someone else changed it first."""

    def __init__(self, what: str, ident: str, expected: int, actual: int):
        self.what, self.ident, self.expected, self.actual = what, ident, expected, actual
        super().__init__(
            f"{what} {ident!r} is at version {actual}, not {expected}: it was changed since you "
            f"read it; reload it and apply your change again"
        )


class InUse(ConstellationError):
    """A node still has edges; deleting it would leave them dangling."""

    def __init__(self, ident: str, edge_count: int):
        self.ident, self.edge_count = ident, edge_count
        super().__init__(
            f"node {ident!r} still has {edge_count} edge(s); archive it instead, or delete "
            f"with cascade to delete its edges too"
        )


class DuplicateTie(ConstellationError):
    """A tie of a kind a pair holds once at a time, between two nodes that already hold one
    whose dates overlap it (vocabulary: `EdgeKind.repeats`)."""

    def __init__(self, kind: str, source: str, target: str, existing: str, workspace: str):
        self.kind, self.source, self.target = kind, source, target
        self.existing, self.workspace = existing, workspace
        super().__init__(
            f"{source!r} already has a {kind} tie to {target!r} at those dates: {existing!r}; "
            "change or end that one, or give this one dates that follow it"
        )


class NotNow(ConstellationError):
    """A change that the record's present state refuses: a request to join that was already
    decided, an organization that is already a member. The message says what state it is in."""


class StoreError(ConstellationError):
    """The database failed or refused a statement. The store raises this (or one of its
    kinds below) in place of the driver's error, which stays attached as ``__cause__``."""


class StoreUnavailable(StoreError):
    """The database is not answering: down, locked by another writer, or without its schema."""


class StoreConflict(StoreError):
    """A write broke a rule the database keeps: a duplicate key, or a record still in use."""


class UnstorableValue(StoreError):
    """A value the database cannot hold as given: too long, or a character it refuses."""
