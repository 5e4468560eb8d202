"""The reviewers' entry page `reports/index.html`: a dashboard of the run.

A map of the regions in the run, the joint-challenge matrix (published EOCIC finding against the
data verdict) with links, one finding line per region, the data vintage and the age of the
evidence (`workbench.report.dashboard`, read from the regions' result documents), and the run
status only where something failed. Rendered with `templates/reviewer/site_index.html.j2`
(Jinja2 with autoescaping: region names and error messages cannot inject markup; the map is our
own SVG, marked safe). Inline CSS and SVG, no CDN: the page makes no request.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

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
                        index_html(manifest, region_notebooks, summary_notebook, Path(reports_dir)))


def _geometries() -> dict[int, dict]:
    """EU-27 countries (background) and the NUTS 1 and 2 polygons of the data snapshot."""
    from workbench.data import load_snapshot
    from workbench.data.nuts import EU27_2020
    snap = load_snapshot()
    countries = {geo: p for geo, p in snap.geometries(0).items() if geo in EU27_2020}
    return {0: countries, 1: snap.geometries(1), 2: snap.geometries(2)}


def index_html(manifest: Manifest, region_notebooks: tuple[str, ...], summary_notebook: str,
               reports_dir: Path) -> str:
    """The index page: dashboard (map, challenge matrix, findings), reports, failures."""
    records = {(r.region, r.notebook): r for r in manifest.notebooks}
    names = {r.region: r.region_name for r in manifest.notebooks if r.region}
    rows = [RegionRow(region, names.get(region, region), [records.get((region, nb)) for nb in region_notebooks])
            for region in manifest.region_ids]
    vintages = dict.fromkeys(r.data_vintage for r in manifest.notebooks if r.status == "ok" and r.data_vintage)
    started = datetime.fromisoformat(manifest.started_at)
    assessment = region_notebooks[0]
    links = [(row.region, row.name, _html_path(records.get((row.region, assessment)))) for row in rows]
    from workbench.report.dashboard import dashboard  # draws the map only when it changed
    board = dashboard(reports_dir, links, _geometries, started.date(), _snapshot_vintage())
    return _environment().get_template(TEMPLATE).render(
        board=board, map_svg=Markup(board.map_svg),
        run_date=started.strftime("%Y-%m-%d %H:%M UTC"),
        version=manifest.workbench_version,
        data_vintage="; ".join(vintages) or "unknown",
        summary=records.get((None, summary_notebook)),
        columns=[nb.title() for nb in region_notebooks],
        rows=rows,
        failed=sum(r.status != "ok" for r in manifest.notebooks),
        failures=[r for r in manifest.notebooks if r.status != "ok"],
    )


def _snapshot_vintage() -> str:
    """The data snapshot's vintage, read from its manifest (without loading the data)."""
    try:
        return json.loads((paths.SNAPSHOT_DIR / "manifest.json").read_text(encoding="utf-8"))["vintage"]
    except (OSError, ValueError, KeyError):
        return "unknown"


def _html_path(record: NotebookRecord | None) -> str | None:
    return record.html_path if record is not None and record.status == "ok" else None


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(paths.TEMPLATES_DIR / "reviewer"),
                       autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
