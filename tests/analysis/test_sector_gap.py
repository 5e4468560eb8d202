"""Regions whose data cannot support the cluster analysis still get an assessment and proposals.

On the real snapshot, from generated profiles (`workbench profile new`): NUTS 2016 regions cut
out of one NUTS 2013 region (LT01, IE04, PL91, HU11), which the regional SBS describe only as
the larger unit, Mayotte (FRY5), which they do not report, and regions with sector data but
too few years for growth (FRY1, HR03). The sections without data say why, in words; no cluster
star or sector figure appears for them; nothing is borrowed from the larger unit.
"""
from __future__ import annotations

import os

import matplotlib
import pandas as pd
import pytest

from fake_snapshot import FakeSnapshot, default_geo
from workbench import contracts
from workbench.analysis import clusters
from workbench.analysis.assessment import assess, validate_payload
from workbench.analysis.proposals import build_plan
from workbench.analysis.sector_gap import sector_gap
from workbench.data import load_snapshot
from workbench.profile_new import draft_profile, eu_units
from workbench.regions import RegionProfile
from workbench.report import assessment as assessment_report
from workbench.report import style
from workbench.report.brief import brief_html

matplotlib.use("Agg")

SPLIT = {"LT01": "LT0", "IE04": "IE0", "PL91": "PL9", "HU11": "HU1"}  # region -> unit with the SBS
NOT_REPORTED = ("FRY5",)
FEW_YEARS = {"FRY1": "only in 2013 and 2014, with a break in series in 2014", "HR03": "only in 2014"}
CLUSTER_SECTION = ("structure_sentence", "employment_chart", "portfolio_chart", "star_table", "star_table_all",
                   "dynamics", "shift_share_table", "local_economy_table", "preset_appendix")


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


def _profile(snap, code: str) -> RegionProfile:
    return RegionProfile.model_validate(draft_profile(snap, code, region_id=code.lower()))


@pytest.fixture(scope="module")
def built(snap, categories, catalogue):
    """Assessment, payload and proposal plan of each region, computed once."""
    out = {}
    for code in [*SPLIT, *NOT_REPORTED, *FEW_YEARS]:
        profile = _profile(snap, code)
        result = assess(snap, profile, categories=categories)
        payload = result.payload()
        out[code] = (profile, result, payload, build_plan(payload, profile, catalogue=catalogue, snapshot=snap))
    return out


def _shown(monkeypatch, report, methods) -> str:
    """The text and kinds of what the report's methods display."""
    shown = []

    def capture(obj, *args, **kwargs):
        shown.append(getattr(obj, "data", None) if not isinstance(obj, dict) else "<figure>")
        if type(obj).__name__ == "Styler":
            shown.append("<styled table>")

    monkeypatch.setattr(assessment_report, "display", capture)
    monkeypatch.setattr(style, "display", capture)
    for method in methods:
        getattr(report, method)()
    return "\n".join(str(s) for s in shown)


@pytest.mark.parametrize("code", [*SPLIT, *NOT_REPORTED])
def test_region_without_sector_data_gets_a_valid_assessment_that_says_why(built, code):
    profile, result, payload, plan = built[code]
    assert validate_payload(payload) == []
    assert payload["sectors"] == [] and result.sectors.empty
    assert payload["clusters"]["traded_employment"] is None and payload["clusters"]["emerging"] == []
    assert plan.clusters == ()  # no cluster star anywhere in the proposals
    assert contracts.payload_problems("proposals", plan.payload("")) == []
    gap = payload["sector_gap"]
    assert f"{profile.name} ({code})" in gap["text"] and "no employment by industry" in gap["text"]
    assert "2008-2015" in gap["text"] and "no cluster can be rated" in gap["text"]
    for measure in plan.measures:
        assert measure.regional.texts["clusters"].startswith("No cluster can be rated: Eurostat's regional")


@pytest.mark.parametrize("code, larger", SPLIT.items())
def test_split_region_names_the_larger_unit_and_borrows_nothing_from_it(snap, built, code, larger):
    _, _, payload, _ = built[code]
    gap = payload["sector_gap"]
    assert gap["larger_unit"] == larger and f"({larger})" in gap["text"]
    assert "does not share the figures" in gap["text"]
    larger_years = set(snap.indicator_rows(clusters.EMPLOYMENT, [larger])["year"])
    assert larger_years & set(clusters.eu_complete_years(snap))  # the larger unit does have them
    # macro indicators the region has itself are shown; those only the larger unit has stay missing
    values = {row["id"]: row["value"] for row in payload["indicators"]}
    assert values["unemployment_rate"] is not None and values["gdp_pps_per_head_index"] is not None
    assert values["local_units_per_1000"] is None  # SBS-derived: exists for the larger unit only


def test_region_not_reported_names_no_larger_unit(built):
    gap = built["FRY5"][2]["sector_gap"]
    assert gap["larger_unit"] is None and "larger unit" not in gap["text"]


@pytest.mark.parametrize("code", [*SPLIT, *NOT_REPORTED])
def test_cluster_sections_and_brief_say_why_and_show_no_star_or_figure(snap, built, code, monkeypatch, tmp_path):
    profile, result, payload, plan = built[code]
    report = assessment_report.AssessmentReport(result.profile, snap, result, tmp_path)
    text = _shown(monkeypatch, report, CLUSTER_SECTION)
    assert "No sector data." in text and style.escape(payload["sector_gap"]["reason"]) in text
    assert "would rate each traded NACE division" in text and "shift-share would split" in text
    assert "<figure>" not in text and "<styled table>" not in text and "stars" not in text
    brief = brief_html(payload, [], [{"title": p.measure.title} for p in plan.measures], "proposals.html")
    assert "No cluster can be rated: Eurostat" in brief and "/3 stars" not in brief


@pytest.mark.parametrize("code, years", FEW_YEARS.items())
def test_region_with_too_few_sector_years_is_rated_and_says_why_it_has_no_growth(snap, built, code, years,
                                                                                   monkeypatch, tmp_path):
    profile, result, payload, _ = built[code]
    assert validate_payload(payload) == [] and payload["sector_gap"] is None
    assert any(s["headline_stars"] > 0 for s in payload["sectors"])  # rated from the one usable year
    assert all(s["growth_pct"] is None for s in payload["sectors"])
    report = assessment_report.AssessmentReport(result.profile, snap, result, tmp_path)
    text = _shown(monkeypatch, report, ["portfolio_chart"])
    assert "No portfolio chart" in text and f"for {profile.name} up to 2014, the year rated, {years}" in text


def test_constructed_cases_of_missing_sector_data():
    """AA1 is reported only as a whole (a split): AA11 names it. CC11 is not reported while its
    sibling CC12 is: no larger unit. BB11 is reported only in a year without a complete EU-27
    total. DD11 is reported: no gap."""
    cells = {("AA1", 2014): 5000, ("BB11", 2011): 700, ("CC1", 2014): 900, ("CC12", 2014): 900,
             ("DD11", 2014): 1200, ("DD11", 2011): 1000}
    values = pd.DataFrame([{"indicator": clusters.EMPLOYMENT, "nace": "C29", "geo": geo, "year": year,
                            "value": float(value), "flag": "", "method": "reported"}
                           for (geo, year), value in cells.items()])
    eu = pd.DataFrame({"indicator": clusters.EMPLOYMENT, "nace": "C29", "year": [2011, 2014],
                       "value": [90_000.0, 100_000.0], "n_countries": [25, 27]})
    geo = default_geo(pd.Series(["AA", "AA1", "AA11", "AA12", "BB", "BB1", "BB11",
                                 "CC", "CC1", "CC11", "CC12", "DD", "DD1", "DD11"]))
    fake = FakeSnapshot(values, eu, geo)
    split, early, unreported = (sector_gap(fake, code, (), f"Region {code}") for code in ("AA11", "BB11", "CC11"))
    assert sector_gap(fake, "DD11", (), "Region DD11") is None
    assert (split.larger_unit, split.larger_name) == ("AA1", "Region AA1")
    assert split.reason() == ("Eurostat's regional structural business statistics have no employment by industry "
                              "for Region AA11 (AA11) in 2011-2014: they report it only for the larger unit "
                              "Region AA1 (AA1), of which it is a part")
    assert "does not share the figures of Region AA1 out among its parts" in split.text()
    assert early.larger_unit is None and early.reason().endswith(
        "for Region BB11 (BB11) only in 2011, when the EU-27 total they are compared with is incomplete "
        "(it is complete in 2014)")
    assert unreported.larger_unit is None and "larger unit" not in unreported.text()
    assert unreported.text().endswith("no cluster can be rated, and no sector employment, specialisation, "
                                      "growth or shift-share is shown for Region CC11.")


def test_every_eu_nuts2_region_has_sector_data_or_a_reason(snap):
    """Fast sweep: the regions said to lack sector data are exactly those without SBS employment
    in a year with a complete EU-27 aggregate, and each reason names its region."""
    complete = set(clusters.eu_complete_years(snap))
    rows = snap.indicator_rows(clusters.EMPLOYMENT)
    with_data = set(rows.loc[rows["year"].isin(complete) & rows["value"].notna(), "geo"])
    gaps = {code: sector_gap(snap, code, (), code) for code in eu_units(snap.geo, level=2)}
    assert {c for c, g in gaps.items() if g} == set(gaps) - with_data
    assert {*SPLIT, *NOT_REPORTED} <= {c for c, g in gaps.items() if g}
    assert all(f"({code})" in g.text() for code, g in gaps.items() if g)


@pytest.mark.skipif(os.environ.get("WORKBENCH_EU_SWEEP") != "1",
                    reason="assesses all 240 EU NUTS 2 regions (4-8 min on 2 cores); set WORKBENCH_EU_SWEEP=1")
def test_every_eu_nuts2_region_gets_a_valid_assessment_and_plan(snap, categories, catalogue):
    failed = {}
    for code in eu_units(snap.geo, level=2):
        profile = _profile(snap, code)
        try:
            payload = assess(snap, profile, categories=categories).payload()
            problems = validate_payload(payload)
            build_plan(payload, profile, catalogue=catalogue, snapshot=snap)
        except Exception as error:  # noqa: BLE001 - the sweep lists every failing region
            problems = [f"{type(error).__name__}: {error}"]
        if problems:
            failed[code] = problems
    assert failed == {}
