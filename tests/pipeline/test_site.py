"""reports/index.html from a run manifest."""
from __future__ import annotations

import re

import pytest

from workbench.pipeline.manifest import Manifest, NotebookError, NotebookRecord
from workbench.pipeline.site import index_html
from workbench.results import result_path, write_result

REGION_NOTEBOOKS = ("assessment", "proposals")


def _ok(region: str | None, name: str, notebook: str) -> NotebookRecord:
    folder = f"{region}/" if region else ""
    return NotebookRecord(region=region, region_name=name, notebook=notebook, status="ok", seconds=2.0,
                          data_vintage="snapshot 2026-11-21", notebook_path=f"{folder}{notebook}.ipynb",
                          html_path=f"{folder}{notebook}.html")


SAXONY = {
    "region": {"id": "saxony", "name": "Saxony", "code": "DED", "level": 1, "parts": ["DED2", "DED4", "DED5"]},
    "indicators": [{"id": "gdp_pps_per_head_index", "value": 91.6, "year": 2023},
                   {"id": "unemployment_rate", "value": 4.4, "year": 2024}],
    "sectors": [{"nace": "C29", "label": "Motor vehicles", "year": 2015, "employment": 41000, "lq": 2.3,
                 "traded": True, "suspect": "", "headline_stars": 3},
                {"nace": "G47", "label": "Retail trade", "year": 2015, "employment": 90000, "lq": 2.9,
                 "traded": False, "suspect": "", "headline_stars": 0}],
    "challenges": [{"id": "research_innovation_access", "verdict": "not_indicated", "published": False},
                   {"id": "ecosystem_collaboration", "verdict": "indicated", "published": True},
                   {"id": "cluster_management", "verdict": "insufficient_data", "published": False}],
}


@pytest.fixture
def page(tmp_path) -> str:
    write_result(result_path(tmp_path, "saxony", "assessment"), "assessment", "saxony", SAXONY, "test")
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
    return index_html(manifest, REGION_NOTEBOOKS, "summary", tmp_path)


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


def test_index_gives_one_finding_per_region_from_its_result(page):
    row = _row(page, "saxony")
    assert "GDP per head 92 % of the EU-27 (2023)" in row and "unemployment 4.4 % (2024)" in row
    assert "strongest traded cluster: Motor vehicles (location quotient 2.3, 2015)" in row  # not retail
    assert "1 of 3 joint challenges indicated by the data" in row
    assert "No assessment result in this run." in _row(page, "wallonia")


def test_challenge_matrix_sets_the_data_verdict_beside_the_published_finding(page):
    matrix = re.search(r'<table class="matrix">(.*?)</table>', page, re.DOTALL).group(1)
    saxony = re.search(r'<tr><td><a href="saxony/assessment.html">Saxony</a></td>(.*?)</tr>', matrix,
                       re.DOTALL).group(1)
    cells = re.findall(r'<td class="v v-(\w+)">(.*?)</td>', saxony)
    assert [c[0] for c in cells] == ["not_indicated", "indicated", "missing", "insufficient_data", "missing"]
    assert "listed" in cells[1][1] and "listed" not in cells[0][1]


def test_map_links_each_region_with_a_result_to_its_assessment(page):
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL).group(0)
    assert re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg) == [("saxony/assessment.html", "Saxony")]
    assert svg.count("<path") > 27  # EU-27 countries drawn as background
