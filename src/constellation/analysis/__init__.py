"""The analysis layer: checks over a workspace graph, and what is built on them.

Each check is a plain function ``(graph, params) -> list[Finding]`` in a module named after
its family; `audit.run_audit` runs them all and scores the network's health.
"""
