"""Fold the workshop's agreed priorities into the region profile for the next `workbench run`.

The top-voted measures get `proposals.priority` 1 (most votes) to 5 in `regions/<id>.yaml`
(equal vote counts share a priority). Only the top-level `proposals:` block of the file is
rewritten; every other line, comments included, stays as it was. The new text is validated
with `workbench.regions.load_profile` and the measure catalogue before it atomically replaces the file, so an invalid
result never reaches the profile.
"""
from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from workbench import templates
from workbench.analysis.proposals import override_problems
from workbench.regions import ProfileError, load_profile, profile_path
from workbench.results import write_atomic

MAX_PRIORITY = 5
MARKER = "# proposals.priority folded from the workshop votes"
_TOP_LEVEL = re.compile(r"^[^\s#]")


def top_voted(votes: pd.DataFrame, n: int = MAX_PRIORITY) -> dict[str, int]:
    """Priorities 1..5 for the `n` measures with most support votes (columns item, total).

    Measures without any support are left out; ties share a priority (dense ranking).
    """
    supported = votes[votes["total"] > 0].sort_values(["total", "item"], ascending=[False, True]).head(n)
    ranks = supported["total"].rank(method="dense", ascending=False).astype(int)
    return {item: min(int(r), MAX_PRIORITY) for item, r in zip(supported["item"], ranks)}


def with_priorities(text: str, priorities: dict[str, int], when: date | None = None) -> str:
    """The profile text with `proposals.priority` replaced by `priorities`."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("proposals:")), None)
    if start is None:
        start = end = len(lines)
        block: dict = {}
    else:
        end = next((i for i in range(start + 1, len(lines)) if _TOP_LEVEL.match(lines[i])), len(lines))
        block = yaml.safe_load("".join(lines[start:end]))["proposals"] or {}
    if start > 0 and lines[start - 1].startswith(MARKER):
        start -= 1
    block["priority"] = dict(priorities)
    stamp = f"{MARKER} on {(when or date.today()).isoformat()} (workbench.widgets.priorities)\n"
    dumped = yaml.safe_dump({"proposals": block}, sort_keys=False, allow_unicode=True, width=100)
    head = "".join(lines[:start])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + stamp + dumped + "".join(lines[end:])


def fold_priorities(region_id: str, priorities: dict[str, int], regions_dir: Path | None = None) -> Path:
    """Write the priorities into the region's profile after validating the result.

    Raises `workbench.regions.ProfileError` (and leaves the file untouched) when the result
    would not be a valid profile or names a measure the catalogue does not know.
    """
    path = profile_path(region_id, regions_dir)
    new_text = with_priorities(path.read_text(encoding="utf-8"), priorities)
    with tempfile.TemporaryDirectory() as folder:
        candidate = Path(folder) / path.name
        candidate.write_text(new_text, encoding="utf-8")
        problems = override_problems(load_profile(candidate), path, catalogue=templates.load_catalogue())
    if problems:
        raise ProfileError(path, problems)
    return write_atomic(path, new_text)
