"""Helpers the tests share: demo databases (`demo`), imports and exports (`imports`),
snapshots of what is stored (`store`), hand-made graphs (`builders`) and the pinned date
(`dates`). The fixtures that use them are in ``tests/conftest.py``."""
