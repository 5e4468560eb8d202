"""The reviewers' entry page `reports/index.html`: every report of the run with its status.

Built from the run manifest only, with `templates/reviewer/site_index.html.j2` (Jinja2 with
autoescaping: region names and error messages cannot inject markup). Inline CSS, no CDN.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workbench import paths
from workbench.pipeline.manifest import Manifest, NotebookRecord
from workbench.results import write_atomic

TEMPLATE = "site_index.html.j2"


@dataclass(frozen=True)
class RegionRow:
    region: str
    name: str
    reports: list[NotebookRecord | None]  # one per region notebook; None if it never ran


def write_index(reports_dir: Path, manifest: Manifest, region_notebooks: tuple[str, ...],
                summary_notebook: str) -> Path:
    """Write `reports/index.html` atomically and return its path."""
    return write_atomic(Path(reports_dir) / "index.html",
                        index_html(manifest, region_notebooks, summary_notebook))


def index_html(manifest: Manifest, region_notebooks: tuple[str, ...], summary_notebook: str) -> str:
    """The index page: summary, then a row per region with a cell per region notebook."""
    records = {(r.region, r.notebook): r for r in manifest.notebooks}
    names = {r.region: r.region_name for r in manifest.notebooks if r.region}
    rows = [RegionRow(region, names.get(region, region), [records.get((region, nb)) for nb in region_notebooks])
            for region in manifest.region_ids]
    vintages = dict.fromkeys(r.data_vintage for r in manifest.notebooks if r.status == "ok" and r.data_vintage)
    started = datetime.fromisoformat(manifest.started_at)
    return _environment().get_template(TEMPLATE).render(
        run_date=started.strftime("%Y-%m-%d %H:%M UTC"),
        version=manifest.workbench_version,
        data_vintage="; ".join(vintages) or "unknown",
        summary=records.get((None, summary_notebook)),
        columns=[nb.title() for nb in region_notebooks],
        rows=rows,
        failed=sum(r.status != "ok" for r in manifest.notebooks),
    )


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(paths.TEMPLATES_DIR / "reviewer"),
                       autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
