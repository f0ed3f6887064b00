"""The graph builders now live in `tests.helpers.builders`; this name keeps old imports working."""

from tests.helpers.builders import LAST_YEAR, TODAY, G, edge, group, node, org  # noqa: F401
