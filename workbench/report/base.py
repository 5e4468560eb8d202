"""What every report notebook is built on: one report object per notebook.

A report notebook (assessment, proposals, summary, overview) has one shape (docs/design.md,
Notebooks): the parameters cell, then `report = <module>.load(...)`, which reads every input
and computes everything once; then one cell per `report.<method>()`, each showing one text,
table or figure and returning None (so no repr leaks into the page) and writing nothing; and
last `report.write_result()`, the only cell that writes files (the result document or the
exported tables) into `reports_dir`, linked from the page.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from workbench.report.style import escape


class Report(ABC):
    """A report notebook's object: read-only cells, and `write_result` for the last cell."""

    reports_dir: Path

    @abstractmethod
    def write_result(self) -> None:
        """Write the report's files into `reports_dir` and show where they are (the last cell)."""


def file_link(path: Path) -> str:
    """A markdown link to a file written next to the report's HTML page."""
    return f"[{escape(path.name)}]({path.name})"
