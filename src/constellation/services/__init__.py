"""The jobs a user can do, one module per job, shared by the CLI, the API and the pages.

A service function takes a repository (or a graph) and plain parameters, resolves names,
validates the parameters, runs the library and returns a typed result (a pydantic model).
The CLI renders that result and the API returns it as its ``response_model``; neither
holds logic of its own. SQL and transactions stay in ``constellation.store``.
"""
