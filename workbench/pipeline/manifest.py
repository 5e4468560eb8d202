"""The run manifest `reports/run.json`: what ran, how it went, where the files are.

Written atomically whenever a notebook's record changes (when it has run, when its report is
published), so that it is always whole and the summary notebook (which runs last) can read it::

    {"schema": "run", "schema_version": 1, "workbench_version": "0.1.0",
     "started_at": "2026-11-21T09:00:00+00:00", "finished_at": null | "...",
     "region_ids": ["saxony", ...],
     "notebooks": [{"region": "saxony" | null (summary), "region_name": "Saxony",
                    "notebook": "assessment", "status": "ok" | "failed" | "skipped",
                    "seconds": 3.1, "data_vintage": "snapshot ...",
                    "notebook_path": "saxony/assessment.ipynb" | null,
                    "html_path": "saxony/assessment.html" | null,
                    "reused": false, "reason": "re-executed: region profile changed",
                    "error": null | {"name": "ValueError", "message": "...",
                                     "cell_index": 3 | null, "cell_source": "first line"}}]}

Paths are relative to the reports folder. `cell_index` counts the cells of the template in
`notebooks/` from 0 (the cells papermill inserts are not counted). A notebook is `skipped`
when the one it depends on (a region's assessment, for its proposals) failed. `reused` is true
for a notebook whose earlier outputs were kept because none of its inputs changed
(`incremental`); `reason` says why it was reused or re-executed ("" for a skipped one).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from workbench import __version__
from workbench.results import write_atomic

MANIFEST_NAME = "run.json"
SCHEMA_VERSION = 1
Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True)
class NotebookError:
    """Why a notebook failed; `cell_index` is None when no cell was running (e.g. kernel start)."""

    name: str
    message: str
    cell_index: int | None = None
    cell_source: str = ""

    def describe(self) -> str:
        """`ValueError: no data (cell 3: x = load(region_id))`"""
        cell = f" (cell {self.cell_index}: {self.cell_source})" if self.cell_index is not None else ""
        return f"{self.name}: {self.message}{cell}"


@dataclass(frozen=True)
class NotebookRecord:
    """The outcome of one notebook of the run."""

    region: str | None
    region_name: str
    notebook: str
    status: Status
    seconds: float = 0.0
    data_vintage: str = ""
    notebook_path: str | None = None
    html_path: str | None = None
    error: NotebookError | None = None
    reused: bool = False
    reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.region}/{self.notebook}" if self.region else self.notebook


@dataclass
class Manifest:
    """One run: when, which regions, and a record per finished notebook."""

    started_at: str
    region_ids: list[str]
    notebooks: list[NotebookRecord] = field(default_factory=list)
    finished_at: str | None = None
    workbench_version: str = __version__

    def record(self, record: NotebookRecord) -> None:
        """Add a notebook's record, or replace the earlier one of the same notebook (in its place)."""
        for index, known in enumerate(self.notebooks):
            if known.label == record.label:
                self.notebooks[index] = record
                return
        self.notebooks.append(record)

    def to_json(self) -> str:
        document = {"schema": "run", "schema_version": SCHEMA_VERSION, **asdict(self)}
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def manifest_path(reports_dir: Path) -> Path:
    return Path(reports_dir) / MANIFEST_NAME


def write_manifest(reports_dir: Path, manifest: Manifest) -> Path:
    """Write `reports/run.json` atomically."""
    return write_atomic(manifest_path(reports_dir), manifest.to_json())

