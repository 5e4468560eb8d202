"""The reviewer site as a reviewer's browser shows it: headless Chromium (Debian's) via Playwright.

Builds three real regions and the summary, then opens the index and the three assessments
and proposals pages at 1280 x 900: no console error, no request leaving the page, the brief
in the first screen, pages within their length budget with the appendices closed, and no
filesystem path or code identifier in the visible text. Skips, saying why, without Chromium
or the `playwright` package.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from workbench.data import load_snapshot
from workbench.pipeline.runner import RunOutcome, run_reports

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH, SCREEN = 1280, 900
REGIONS = ["saxony", "lithuania", "wallonia"]
SCREENS = {"assessment": 8, "proposals": 6}
PATH = re.compile(r"(?<![\w.])/(?:tmp|home|work|root|usr|var|opt|mnt)/|[A-Za-z]:\\\\")
URL = re.compile(r"\b(?:https?://)?[\w.-]+\.[a-z]{2,}/\S*")
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _identifiers(text: str) -> list[str]:
    """snake_case tokens in visible text, except Eurostat dataset codes and dimension names cited
    in source lines (`Eurostat edat_lfse_04 (isced11=ED5-8, ...)`), which are how a reader finds the data."""
    catalogue = load_snapshot().catalogue
    citations = [catalogue[c].astype(str) for c in ("dataset", "filters", "recent_source") if c in catalogue]
    cited = set(IDENTIFIER.findall(" ".join(" ".join(c) for c in citations)))
    text = URL.sub(" ", text)  # a cited web address may hold underscores
    return sorted(set(IDENTIFIER.findall(text)) - cited - {"indic_is", "indic_sb", "nace_r2", "na_item", "prof_pos"})


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not installed (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[browser-test]')"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=f"browser test skipped: {_missing()}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> RunOutcome:
    outcome = run_reports(REGIONS, reports_dir=tmp_path_factory.mktemp("site"), jobs=2, progress=False)
    assert outcome.ok, outcome.describe()
    return outcome


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _visit(browser, page_file: Path) -> dict:
    """Open a page; return its console errors, outside requests, height and visible text."""
    page = browser.new_page(viewport={"width": WIDTH, "height": SCREEN})
    errors, outside = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: None if request.url.startswith(("file:", "data:"))
            else outside.append(request.url))
    page.goto(page_file.as_uri(), wait_until="load")
    found = {
        "errors": errors, "outside": outside,
        "height": page.evaluate("document.documentElement.scrollHeight"),
        "text": page.inner_text("body"),
        "brief": page.evaluate("(() => { const b = document.querySelector('.wb-brief');"
                               " if (!b) return null; const r = b.getBoundingClientRect();"
                               " return [r.top, r.bottom]; })()"),
    }
    page.close()
    return found


def test_index_is_a_clean_offline_dashboard(site, browser):
    found = _visit(browser, site.reports_dir / "index.html")
    assert found["errors"] == [] and found["outside"] == []
    for region in ("Saxony", "Lithuania", "Wallonia"):
        assert region in found["text"]
    assert not PATH.search(found["text"])
    assert _identifiers(found["text"]) == []


@pytest.mark.parametrize("region", REGIONS)
def test_assessment_opens_with_the_brief_and_stays_short(site, browser, region):
    found = _visit(browser, site.reports_dir / region / "assessment.html")
    assert found["errors"] == [] and found["outside"] == []
    top, bottom = found["brief"]
    assert top < SCREEN and bottom <= SCREEN + 60, f"brief spans {top:.0f}-{bottom:.0f} px"
    assert found["height"] <= SCREENS["assessment"] * SCREEN, f"{found['height']} px"
    assert not PATH.search(found["text"]), PATH.search(found["text"])
    assert _identifiers(found["text"]) == []


@pytest.mark.parametrize("region", REGIONS)
def test_proposals_page_stays_short_and_reader_only(site, browser, region):
    found = _visit(browser, site.reports_dir / region / "proposals.html")
    assert found["errors"] == [] and found["outside"] == []
    assert found["height"] <= SCREENS["proposals"] * SCREEN, f"{found['height']} px"
    assert not PATH.search(found["text"])
    assert _identifiers(found["text"]) == []
