"""Traded vs local, the headline rating, plausibility flags and matched-coverage LQs.

Constructed cases (see test_clusters for the 12-region example) and the real snapshot: no local
division has a star in any of the ten assessments, a suspect division gets none, the shift-share
of every region adds up, and any EU NUTS 2 or NUTS 1 unit works.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from fake_snapshot import FakeSnapshot
from test_clusters import YEAR, make_snapshot
from workbench.analysis import clusters
from workbench.analysis.assessment import clusters_payload, sector_payload
from workbench.analysis.shift_share import region_shift_share
from workbench.report import clusters as cluster_report

PRESET_COLUMNS = ["stars_eco", "stars_eocic", "stars_us", "headline_stars"]


def test_traded_flag_of_categories_and_divisions(categories):
    assert all(isinstance(c.traded, bool) for c in categories.categories.values())
    assert clusters.is_traded("C29", categories) and clusters.is_traded("I55", categories)
    assert not clusters.is_traded("G47", categories) and not clusters.is_traded("H53", categories)
    with pytest.raises(ValueError, match="'C' is not a NACE division"):
        clusters.is_traded("C", categories)


def test_the_mapping_passed_in_decides_which_divisions_are_traded(categories):
    """The analysis reads no template: a mapping that moves C29 into a local category makes it
    local and unrated, while the same snapshot with the real mapping still rates it."""
    local = categories.divisions["G47"].category
    moved = categories.model_copy(update={"divisions": {
        **categories.divisions, "C29": categories.divisions["C29"].model_copy(update={"category": local})}})
    snap = make_snapshot()
    real = clusters.region_sectors(snap, "R01", ("R01",), categories=categories).set_index("nace").loc["C29"]
    other = clusters.region_sectors(snap, "R01", ("R01",), categories=moved).set_index("nace").loc["C29"]
    assert real["traded"] and real["headline_stars"] == 3
    assert not other["traded"] and other["headline_stars"] == 0 and other["category"] == local
    assert other["lq"] == real["lq"]


def _wage_row(geo: str, nace: str, value: float) -> dict:
    return {"indicator": "sbs_wage_per_employee", "nace": nace, "geo": geo, "year": YEAR,
            "value": value, "flag": "", "method": "reported"}


def test_local_and_suspect_divisions_get_no_star_under_any_rule(categories):
    # R01's C29 (3 ECO and 3 EOCIC stars when plausible) pays 50,000 EUR per person employed;
    # a national value of 150,000 EUR makes that 33 % < 40 %: suspect.
    snap = make_snapshot([_wage_row("AT", "C29", 150_000.0)])
    table = clusters.region_sectors(snap, "R01", ("R01",), categories=categories).set_index("nace")
    c29, g47 = table.loc["C29"], table.loc["G47"]
    assert c29["suspect"] == "wage per person employed 50,000 EUR is 33% of the national 150,000 EUR"
    assert c29[PRESET_COLUMNS].tolist() == [0, 0, 0, 0] and c29["headline_brief"] == []
    assert c29["reasons_eco"] == [f"Implausible data ({c29['suspect']}): not rated."]
    assert not g47["traded"] and g47[PRESET_COLUMNS].tolist() == [0, 0, 0, 0]
    assert g47["reasons_eocic"] == [clusters.LOCAL_REASON]
    plausible = clusters.region_sectors(make_snapshot(), "R01", ("R01",),
                                        categories=categories).set_index("nace").loc["C29"]
    assert (plausible["suspect"], plausible["headline_stars"], plausible["stars_eco"]) == ("", 3, 3)
    assert len(plausible["headline_brief"]) == 3 and plausible["headline_brief"][1].startswith("Specialisation ★ LQ 4.00")


def test_head_office_rule_flags_a_concentrated_local_division(monkeypatch, categories):
    monkeypatch.setattr(clusters, "_neighbour_lq",
                        lambda snap, country, own, year, categories: {"G47": 0.6, "C29": 0.6})
    rows = pd.DataFrame({"nace": ["G47", "C29", "G47"], "traded": [False, True, False],
                         "lq": [2.5, 2.5, 1.9], "wage_per_employee": [np.nan] * 3})
    reasons = clusters.suspect_reasons(make_snapshot(), "R01", ("R01",), rows, YEAR, categories)
    assert reasons == ["location quotient 2.50 for a local activity while the neighbouring regions "
                       "have 0.60 (head-office attribution?)", "", ""]


def test_location_quotient_with_matched_coverage(categories):
    """C29's EU value is a partial sum (country AT only); its LQ denominator covers AT only.

    AT: C29 100, G47 600, M72 300 (total 1,000); BE: G47 500, M72 500 (1,000). EU-27 values:
    G47 1,100 and M72 800 (complete), C29 100 (AT) -> full EU total 2,000; AT's share of the
    summed national totals is 1/2 -> matched total for C29 = 1,000.
    Region R01: C29 4,000 of 10,000 -> LQ = 0.4 / (100 / 1,000) = 4.0 (unmatched: 8.0)."""
    snap = make_snapshot()
    national = [{"indicator": "sbs_persons_employed", "nace": n, "geo": g, "year": YEAR, "value": v,
                 "flag": "", "method": "reported"}
                for g, cells in {"AT": {"C29": 100.0, "G47": 600.0, "M72": 300.0},
                                 "BE": {"G47": 500.0, "M72": 500.0}}.items() for n, v in cells.items()]
    eu = pd.DataFrame({"indicator": "sbs_persons_employed", "nace": ["C29", "G47", "M72"], "year": YEAR,
                       "value": [np.nan, 1100.0, 800.0], "n_countries": [1, 27, 27], "countries_missing": ""})
    snap = FakeSnapshot(pd.concat([snap.values, pd.DataFrame(national)], ignore_index=True), eu, snap.geo)
    reference = clusters.eu_employment(snap, YEAR, categories)
    assert reference.loc["C29", ["value", "n_countries", "total"]].tolist() == [100.0, 1.0, 1000.0]
    assert reference.loc["G47", "total"] == 2000.0
    table = clusters.reference_measures(snap, YEAR, categories).set_index(["geo", "nace"])
    assert table.loc[("R01", "C29"), "lq"] == pytest.approx(4.0)
    assert table.loc[("R01", "G47"), "lq"] == pytest.approx(0.5 / (1100 / 2000))


# --- real snapshot ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    from workbench.data import load_snapshot
    return load_snapshot()


@pytest.fixture(scope="module")
def pilots(real, categories) -> dict[str, tuple]:
    from workbench.regions import load_profile, region_ids
    out = {}
    for region_id in region_ids():
        profile = load_profile(region_id)
        code, parts = profile.nuts.code, tuple(profile.nuts.parts)
        out[region_id] = (code, parts, clusters.region_sectors(real, code, parts, categories=categories))
    return out


def test_no_local_division_has_a_star_in_any_pilot_json_or_html(pilots, categories):
    assert len(pilots) == 10
    local_names = set(clusters.division_table(categories).query("category_type == 'local'")["short"])
    for region_id, (_, _, sectors) in pilots.items():
        rows = [sector_payload(r) for r in sectors.to_dict("records")]
        local = [r for r in rows if not r["traded"]]
        assert local and all(sum(r["stars"].values()) == 0 and r["headline_stars"] == 0 for r in local), region_id
        assert not any(r["headline_stars"] and r["suspect"] for r in rows), region_id
        styled, _ = cluster_report.star_table(sectors)
        html = styled.to_html() + cluster_report.preset_appendix(sectors)
        assert not [n for n in local_names if f"{n} (" in html], region_id


def test_saxony_postal_head_office_wages_are_suspect_and_unrated(pilots):
    sectors = pilots["saxony"][2].set_index("nace")
    h53 = sectors.loc["H53"]
    assert h53["suspect"].startswith("wage per person employed 3,815 EUR is 22% of the national")
    assert h53[PRESET_COLUMNS].tolist() == [0, 0, 0, 0]


def test_shift_share_of_every_pilot_adds_up(real, pilots):
    for region_id, (code, parts, sectors) in pilots.items():
        shift = region_shift_share(real, code, parts, sectors)
        totals = shift.totals()
        parts_sum = totals["national_growth"] + totals["industry_mix"] + totals["regional_competitive"]
        assert shift.start_year < shift.end_year <= int(sectors["year"].iloc[0]), region_id
        assert parts_sum == pytest.approx(totals["total_change"], abs=1e-6), region_id
        payload = clusters_payload(sectors, shift)
        assert 0 <= payload["traded_starred_share_pct"] <= 100
        assert {r["nace"] for r in payload["local_economy"]} == set(sectors.loc[~sectors["traded"], "nace"])


@pytest.mark.parametrize("code", ["AT13", "PL21", "DE1", "ITH"])
def test_any_nuts2_or_nuts1_region_works(real, code, categories):
    parts = tuple(real.nuts2_parts(code)) if len(code) == 3 else (code,)
    sectors = clusters.region_sectors(real, code, parts, categories=categories)
    shift = region_shift_share(real, code, parts, sectors)
    assert not sectors.loc[~sectors["traded"], PRESET_COLUMNS].to_numpy().any()
    assert math.isfinite(shift.totals()["total_change"])


def test_appendix_is_collapsed_and_names_where_presets_disagree():
    sectors = pd.DataFrame({"nace": ["C29", "C28", "G47"], "traded": [True, True, False],
                            "suspect": ["", "", ""], "year": 2014, "employment": [4e4, 3e4, 9e4],
                            "lq": [1.7, 1.6, 2.5], "headline_stars": [2, 0, 0], "stars_eco": [0, 1, 0],
                            "stars_us": [0, 1, 0]})
    html = cluster_report.preset_appendix(sectors)
    assert html.startswith("<details") and html.endswith("</details>")
    assert ("European Cluster Observatory stars Machinery (C28), which the headline rule does not; "
            "it does not star Motor vehicles (C29), which the headline rule does.") in html
    assert "Retail trade (G47)" not in html
