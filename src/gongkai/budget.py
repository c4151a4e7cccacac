"""Parse files one by one within a per-file budget: wall-clock seconds and resident memory.

``parse``, ``check`` and ``view`` parse in their own process when no budget is set.  With ``--timeout``
or ``--memory-mb`` each file is parsed in a worker process (the batch's pool, one worker) that the
command watches from outside and kills past the budget: no ``except`` in the parsing code can swallow
it, and a native allocation that runs away is stopped like any other.
"""
from __future__ import annotations

import json
from collections.abc import Iterator


def parse_files(paths: list[str], timeout: float = 0.0, mem_mb: int = 0) -> Iterator[tuple[str, dict | None, str | None]]:
    """Yield ``(path, report dict, None)`` or ``(path, None, reason)`` for each path, in order."""
    from .batch import parse_one

    if not timeout and not mem_mb:
        for path in paths:
            status, rec = parse_one(path, "")
            yield (path, rec, None) if status == "ok" else (path, None, rec["reason"])
        return
    for path, _status, res in _in_worker(paths, timeout, mem_mb):
        if isinstance(res, str):  # a report, serialised by the worker
            yield path, json.loads(res), None
        else:
            yield path, None, res["reason"]


def _in_worker(paths: list[str], timeout: float, mem_mb: int) -> list[tuple[str, str, dict | str]]:
    from .batch import _run_pool

    results: list[tuple[str, str, dict | str]] = []

    def record(status: str, rec: dict | str) -> None:
        results.append((paths[len(results)], status, rec))  # one worker: results come in order

    _run_pool([(p, "") for p in paths], 1, timeout, mem_mb, record)
    return results
