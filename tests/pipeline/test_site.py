"""reports/index.html from a run manifest."""
from __future__ import annotations

import re

import pytest

from workbench.pipeline.manifest import Manifest, NotebookError, NotebookRecord
from workbench.pipeline.site import index_html

REGION_NOTEBOOKS = ("assessment", "proposals")


def _ok(region: str | None, name: str, notebook: str) -> NotebookRecord:
    folder = f"{region}/" if region else ""
    return NotebookRecord(region=region, region_name=name, notebook=notebook, status="ok", seconds=2.0,
                          data_vintage="snapshot 2026-11-21", notebook_path=f"{folder}{notebook}.ipynb",
                          html_path=f"{folder}{notebook}.html")


@pytest.fixture
def page() -> str:
    manifest = Manifest(started_at="2026-11-21T09:00:00+00:00",
                        region_ids=["saxony", "cantabria", "wallonia"], notebooks=[
        _ok("saxony", "Saxony", "assessment"),
        _ok("saxony", "Saxony", "proposals"),
        NotebookRecord(region="cantabria", region_name="Cantabria <Spain>", notebook="assessment",
                       status="failed", notebook_path="cantabria/assessment.ipynb",
                       error=NotebookError("ValueError", "no data for <b>C10</b>", 3, "x = load()")),
        NotebookRecord(region="cantabria", region_name="Cantabria <Spain>", notebook="proposals",
                       status="skipped", error=NotebookError("Skipped", "cantabria/assessment failed")),
        _ok(None, "3 pilot regions", "summary"),
    ])
    return index_html(manifest, REGION_NOTEBOOKS, "summary")


def _row(page: str, region: str) -> str:
    return re.search(rf'<tr id="region-{region}">(.*?)</tr>', page, re.DOTALL).group(1)


def test_index_links_every_report_of_the_run(page):
    links = set(re.findall(r'href="([^"]+)"', page))
    assert {"saxony/assessment.html", "saxony/proposals.html", "summary.html"} <= links


def test_index_shows_why_a_report_is_missing(page):
    row = _row(page, "cantabria")
    assert "ValueError: no data for &lt;b&gt;C10&lt;/b&gt; (cell 3: x = load())" in row
    assert 'href="cantabria/assessment.ipynb"' in row
    assert "cantabria/assessment failed" in row
    assert "cantabria/assessment.html" not in page
    assert "2 notebooks did not produce a report" in page


def test_index_marks_regions_that_never_ran(page):
    assert _row(page, "wallonia").count("not run") == 2


def test_index_escapes_names_and_shows_run_facts(page):
    assert "Cantabria &lt;Spain&gt;" in page and "<Spain>" not in page
    assert "2026-11-21 09:00 UTC" in page
    assert "snapshot 2026-11-21" in page
    assert "<script" not in page and "http" not in page
