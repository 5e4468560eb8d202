"""The real notebooks/ for two regions, built like `workbench run` builds them."""
from __future__ import annotations

import re

import pytest

from workbench import __version__
from workbench.pipeline.render import report_problems
from workbench.pipeline.runner import RunOutcome, run_reports
from workbench.regions import load_profile
from workbench.results import SCHEMA_VERSIONS, read_result, result_path

REGIONS = ["saxony", "cantabria"]
NOTEBOOKS = ("assessment", "proposals")

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    reports = tmp_path_factory.mktemp("reports")
    return run_reports(REGIONS, reports_dir=reports, jobs=2, progress=False)


def test_every_notebook_succeeds(built):
    assert built.ok, built.describe()


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("kind", NOTEBOOKS)
def test_result_documents_have_schema_version_and_region(built, region, kind):
    document = read_result(result_path(built.reports_dir, region, kind), kind)
    assert document["schema_version"] == SCHEMA_VERSIONS[kind]
    assert document["region_id"] == region
    assert document["workbench_version"] == __version__
    assert document["payload"]["region"]["id"] == region


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("kind", NOTEBOOKS)
def test_region_reports_show_no_code_or_errors_and_name_the_region(built, region, kind):
    page = (built.reports_dir / region / f"{kind}.html").read_text(encoding="utf-8")
    assert report_problems(page) == []
    assert "Traceback" not in page
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert load_profile(region).name in title
    toc = re.search(r'<nav[^>]*class="wb-toc"[^>]*>(.*?)</nav>', page, re.DOTALL).group(1)
    assert len(re.findall(r"<a href=", toc)) > 3
    footer = re.search(r'<footer[^>]*class="wb-sources"[^>]*>(.*?)</footer>', page, re.DOTALL).group(1)
    assert "Eurostat" in footer


def test_summary_covers_both_regions(built):
    page = (built.reports_dir / "summary.html").read_text(encoding="utf-8")
    assert report_problems(page) == []
    for region in REGIONS:
        assert load_profile(region).name in page


def test_index_links_every_report(built):
    links = set(re.findall(r'href="([^"]+)"', (built.reports_dir / "index.html").read_text(encoding="utf-8")))
    expected = {f"{region}/{kind}.html" for region in REGIONS for kind in NOTEBOOKS} | {"summary.html"}
    assert expected <= links
