"""The database's errors in the library's words: the rest of the code never sees SQLAlchemy.

An engine event swaps each driver error, where it is raised, for one of the
`constellation.errors` store errors; the driver's error stays attached as ``__cause__``.
"""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from constellation.errors import StoreConflict, StoreError, StoreUnavailable, UnstorableValue

__all__ = ["translate_errors", "translated"]

_KINDS: tuple[tuple[type[DBAPIError], type[StoreError], str], ...] = (
    (
        OperationalError,
        StoreUnavailable,
        "the database is not answering ({cause}); try again in a moment",
    ),
    (
        IntegrityError,
        StoreConflict,
        "the change conflicts with what is stored, a duplicate id or a record still in use "
        "({cause})",
    ),
    (
        DataError,
        UnstorableValue,
        "a value cannot be stored as given, too long or a character the database does not "
        "accept ({cause})",
    ),
)


def translated(exc: DBAPIError) -> StoreError:
    """The library's error for a driver error (its first line names the cause)."""
    cause = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    for sql_error, store_error, message in _KINDS:
        if isinstance(exc, sql_error):
            return store_error(message.format(cause=cause))
    return StoreError(f"the database refused the statement ({cause})")


def _on_error(context: ExceptionContext) -> StoreError | None:
    # the pool's pre-ping reads the driver's error to decide whether to reconnect: leave it
    if context.is_pre_ping or not isinstance(context.sqlalchemy_exception, DBAPIError):
        return None
    return translated(context.sqlalchemy_exception)


def translate_errors(engine: Engine) -> Engine:
    """Have `engine` raise the library's store errors in place of the driver's (once)."""
    if not event.contains(engine, "handle_error", _on_error):
        event.listen(engine, "handle_error", _on_error)
    return engine
