"""What a killed run leaves in a reports folder, and its removal by the next run.

A run writes each executed notebook to `.<name>.partial.ipynb` before publishing it, and
every other output through a temporary `.<file>.<random>.tmp` (`results.write_atomic`).
A run that is killed (kill -9, power cut) leaves these hidden files behind; the next run on
the folder removes them before it starts. Two runs must not share a folder at once (the
second would remove the first's files in flight).
"""
from __future__ import annotations

from pathlib import Path

LEFTOVER_PATTERNS = (".*.partial.ipynb", ".*.tmp")


def remove_leftovers(reports_dir: Path) -> list[Path]:
    """Remove the temporary files of earlier runs from the folder and its region folders."""
    found = [path for folder in (reports_dir, *(p for p in reports_dir.glob("*") if p.is_dir()))
             for pattern in LEFTOVER_PATTERNS for path in folder.glob(pattern) if path.is_file()]
    for path in found:
        path.unlink(missing_ok=True)
    return found
