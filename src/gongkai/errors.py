"""Errors that a user sees as one line: ``error: FILE: reason``."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read as a report (missing, corrupt, encrypted, scanned...)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def line(self) -> str:
        return f"error: {self.path}: {self.reason}"
