"""The one error type for a data pack that cannot be used.

Its message is Dutch and names the file and what is wrong, so a page can show it
as it is (``st.error(str(err))``) without a traceback.
"""
from __future__ import annotations

from pathlib import Path


class DataPackError(Exception):
    """A data pack file is missing, empty or malformed."""

    def __init__(self, file: str | Path, problem: str):
        self.file = str(file)
        self.problem = problem
        super().__init__(f"Databestand '{self.file}': {problem}")


class SourceUnavailable(Exception):
    """A live source (the registry database) cannot be reached; the message is Dutch."""
