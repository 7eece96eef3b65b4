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
        super().__init__(f"Databestand '{shown_name(self.file)}': {problem}")


def shown_name(file: str) -> str:
    """The file as a visitor may see it: its place inside the pack or raw sources (``geo/x.geojson``),
    never the server's directories."""
    parts = Path(file).parts
    for anchor in ("pack", "data"):  # data/pack/…, ../shared/data/…
        if anchor in parts:
            rest = parts[len(parts) - 1 - parts[::-1].index(anchor) + 1:]
            if rest:
                return "/".join(rest)
    return Path(file).name if Path(file).is_absolute() else file


class SourceUnavailable(Exception):
    """A live source (the registry database) cannot be reached; the message is Dutch."""
