"""One notebook of a run (`NotebookTask`): its template, parameters and output files.

Kept apart from `execute` (which imports papermill and nbconvert, two seconds of start-up) so
that a run whose notebooks are all reused (`incremental`) never imports them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.pipeline.manifest import NotebookRecord, Status
from workbench.results import SCHEMA_VERSIONS, result_path


@dataclass(frozen=True)
class NotebookTask:
    """One notebook to run: template, parameters, and what its report header shows."""

    template: Path
    reports_dir: Path
    region: str | None  # None for the cross-region summary
    region_name: str
    parameters: dict[str, Any]
    covers: tuple[str, ...]  # regions whose result documents give the data vintage
    run_date: str
    cell_timeout: int

    @property
    def name(self) -> str:
        return self.template.stem

    @property
    def label(self) -> str:
        return f"{self.region}/{self.name}" if self.region else self.name

    @property
    def folder(self) -> Path:
        return self.reports_dir / self.region if self.region else self.reports_dir

    @property
    def notebook_path(self) -> Path:
        return self.folder / f"{self.name}.ipynb"

    @property
    def html_path(self) -> Path:
        return self.folder / f"{self.name}.html"

    @property
    def partial_path(self) -> Path:
        return self.folder / f".{self.name}.partial.ipynb"

    def derived_outputs(self) -> list[Path]:
        """Files that exist only for a successful run: the HTML and the region's result document."""
        outputs = [self.html_path]
        if self.region and self.name in SCHEMA_VERSIONS:
            outputs.append(result_path(self.reports_dir, self.region, self.name))
        return outputs

    def record(self, status: Status, **fields: Any) -> NotebookRecord:
        return NotebookRecord(region=self.region, region_name=self.region_name, notebook=self.name,
                              status=status, **fields)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.reports_dir).as_posix()
