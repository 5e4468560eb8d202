"""Scoreboard: RIS normalisation (hand-checked), dimension scores, peer selection and override."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assessment_fakes import profile, series_snapshot
from fake_snapshot import FakeSnapshot, series_values
from workbench.analysis import eu_reference, scoreboard as sb


def test_min_max_excludes_outlier_beyond_three_sd():
    # 0..18 and 1000: mean 58.55, sd 221.7 -> 1000 lies beyond mean + 3 sd (723.5)
    reference = pd.Series(list(range(19)) + [1000], dtype=float)
    scale = sb.fit_scale(reference, unbounded=False)
    assert (scale.low, scale.high, scale.sqrt) == (0.0, 18.0, False)
    scores = scale(pd.Series([9.0, 1000.0, -5.0]))
    assert scores.tolist() == [0.5, 1.0, 0.0]  # the outlier and values beyond are clipped


def test_square_root_for_skewed_unbounded_indicator():
    # ten zeros and the squares 1..100: skewness 1.62 > 1, no outlier (mean + 3 sd = 111.4)
    reference = pd.Series([0.0] * 10 + [float(i * i) for i in range(1, 11)])
    scale = sb.fit_scale(reference, unbounded=True)
    assert scale.sqrt and (scale.low, scale.high) == (0.0, 10.0)
    assert scale(pd.Series([25.0, 64.0])).tolist() == [0.5, 0.8]
    # a bounded (percentage) indicator with the same distribution is not transformed
    assert not sb.fit_scale(reference, unbounded=False).sqrt


def test_lower_better_is_inverted():
    scale = sb.fit_scale(pd.Series([2.0, 4.0, 6.0, 10.0]), unbounded=False, invert=True)
    assert scale(pd.Series([4.0, 10.0])).tolist() == [0.75, 0.0]


def test_constant_distribution_gives_no_score():
    scale = sb.fit_scale(pd.Series([5.0, 5.0, 5.0]), unbounded=False)
    assert scale(pd.Series([5.0])).isna().all()


REAL_MIN_REGIONS = eu_reference.MIN_REGIONS


@pytest.fixture(autouse=True)
def few_regions(monkeypatch):
    monkeypatch.setattr(eu_reference, "MIN_REGIONS", 3)  # constructed snapshots have a few regions


def _snapshot() -> FakeSnapshot:
    geos = {"AA11": 1, "AA12": 2, "BB11": 3, "BB12": 4, "CC11": 5}
    return series_snapshot(
        values={
            "tertiary_attainment_pct": {g: {2018: 10.0 * v} for g, v in geos.items()},
            "lifelong_learning_pct": {g: {2018: float(v)} for g, v in geos.items() if g != "CC11"},
            "gdp_pps_per_head": {g: {2019: 1000.0 * v} for g, v in geos.items()},
            "industry_employment_share": {g: {2015: 10.0 + v} for g, v in geos.items()},
            "population": {g: {2019: 1e6 * v} for g, v in geos.items()},
            "rd_expenditure_pct_gdp": {"AA11": {2015: 1.0}, "BB11": {2015: 1.0}, "AA12": {2015: 1.2},
                                       "BB12": {2015: 2.0}},
        },
        kinds={"gdp_pps_per_head": "per_head", "population": "count"},
    )


def test_dimension_scores_on_the_eu_scale_with_ranks_and_missing_dimensions_named():
    snap = _snapshot()
    result = sb.scoreboard(snap, profile("AA12"))
    knowledge = result.dimensions.loc["knowledge_skills", "AA12"]
    # tertiary: (20-10)/(50-10) = 0.25; lifelong learning: (2-1)/(4-1) = 1/3; GERD: 0.2
    gerd = (1.2 - 1.0) / (2.0 - 1.0)
    assert knowledge == pytest.approx((0.25 + 1 / 3 + gerd) / 3)
    payload = result.payload()
    assert "access_to_finance" not in {d["id"] for d in payload["dimensions"]}
    assert payload["missing_dimensions"] == ["Access to finance", "Collaboration and internationalisation",
                                             "Entrepreneurial conditions", "Quality of governance"]
    dims = {d["id"]: d for d in payload["dimensions"]}
    assert (dims["demand_conditions"]["rank"], dims["demand_conditions"]["n_ranked"]) == (4, 5)
    assert [i["label"] for i in dims["knowledge_skills"]["indicators"]] == [
        "Label of tertiary_attainment_pct", "Label of lifelong_learning_pct", "Label of rd_expenditure_pct_gdp"]
    # CC11 has no lifelong learning and no GERD: 1 of 3 knowledge indicators is less than half,
    # so it has no knowledge score and no composite; AA12 is third of the four ranked
    assert (payload["composite"]["rank"], payload["composite"]["n_ranked"]) == (3, 4)
    assert math.isnan(sb.eu_board(snap).dimensions.loc["knowledge_skills", "CC11"])


def test_same_value_in_the_same_year_gets_the_same_score_whatever_the_other_data():
    values = {g: {2018: float(v)} for g, v in {"AA11": 10, "AA12": 20, "BB11": 30, "BB12": 40}.items()}
    values["CC11"] = {2018: 25.0, 2019: 90.0, 2017: 5.0}    # other years do not move the scale
    values["CC12"] = {2019: 25.0}                            # a later year is not the reference
    snap = series_snapshot(values={"tertiary_attainment_pct": values,
                                "lifelong_learning_pct": {"AA11": {2018: 3.0}, "CC11": {2018: 9.0}}})
    scores = sb.eu_board(snap).indicators.set_index(["indicator", "geo"])["score"]
    assert scores["tertiary_attainment_pct", "CC11"] == pytest.approx(0.5)  # (25-10)/(40-10)
    # an aggregate with the same 2018 value scores the same, on the same scale
    snap.geo = pd.concat([snap.geo, pd.DataFrame({"geo": ["DD1"], "level": [1], "country": ["DD"],
                                                  "name": ["Region DD1"]})], ignore_index=True)
    snap.values = pd.concat([snap.values, series_values({"tertiary_attainment_pct": {"DD1": {2018: 25.0, 2016: 70.0}}})],
                            ignore_index=True)
    nuts1 = profile(peers=("AA11",)).model_copy(update={"nuts": profile().nuts.model_copy(
        update={"code": "DD1", "level": 1, "parts": ("DD11", "DD12")})})
    board = sb.scoreboard(snap, nuts1)
    mine = board.indicators.set_index(["indicator", "geo"])["score"]
    assert mine["tertiary_attainment_pct", "DD1"] == pytest.approx(0.5)
    assert "CC12" not in scores["tertiary_attainment_pct"].index  # no 2018 value: not scored


def test_nearest_z_scored_euclidean():
    candidates = pd.DataFrame({"x": [0.0, 1.0, 2.0, 10.0], "y": [0.0, 10.0, 20.0, 100.0],
                               "z": [1.0, 1.0, 2.0, 2.0]}, index=["A", "B", "C", "D"])
    target = pd.Series({"x": 1.0, "y": 10.0, "z": 1.0})
    found = sb.nearest(target, candidates, n=2)
    assert found["geo"].tolist() == ["B", "A"]
    assert found["distance"].iloc[0] == pytest.approx(0.0)
    z = (candidates - candidates.mean()) / candidates.std()
    expected = math.sqrt(((z.loc["A"] - z.loc["B"]) ** 2).sum())
    assert found["distance"].iloc[1] == pytest.approx(expected)


def test_peers_only_among_candidates_with_every_variable_and_own_country_allowed():
    snap = _snapshot()
    peers = sb.select_peers(snap, profile("AA11"), n=5)
    # CC11 lacks GERD 2015: it is not a candidate (nothing imputed), whatever its distance
    assert peers["geo"].tolist() == ["AA12", "BB11", "BB12"]  # own country may provide peers
    over = peers["reason"].str.replace(r"^structural distance [\d.]+ ", "", regex=True)
    assert over.nunique() == 1 and over.str.contains(r"GERD % of GDP 20\d\d").all()  # one year per variable
    assert peers["reason"].str.contains("4 EU-27 NUTS 2 regions with all of them").all()
    foreign = sb.select_peers(snap, profile("AA11"), n=5, exclude_same_country=True)
    assert "AA12" not in foreign["geo"].tolist()


def test_profile_peers_override_selection():
    snap = _snapshot()
    peers = sb.select_peers(snap, profile("AA11", peers=("CC11", "BB12")))
    assert peers["geo"].tolist() == ["CC11", "BB12"]
    assert (peers["reason"] == "set in the region profile").all()
    assert peers["name"].tolist() == ["Region CC11", "Region BB12"]


def test_nuts1_pilot_peers_are_nuts1_regions_with_every_variable(monkeypatch):
    monkeypatch.setattr(eu_reference, "MIN_REGIONS", REAL_MIN_REGIONS)  # real data, real rule
    from workbench.data import load_snapshot
    from workbench.regions import load_profile
    snap = load_snapshot()
    saxony = load_profile("saxony")
    peers = sb.select_peers(snap, saxony)
    levels = snap.geo.set_index("geo")["level"]
    assert len(peers) == 5 and (levels[peers["geo"]] == 1).all()
    target, candidates = sb.structural_features(snap, saxony)
    assert list(target.index) == list(sb.STRUCTURAL_VARIABLES)  # all four, each in its common year
    assert candidates.notna().all().all() and set(peers["geo"]) <= set(candidates.index)
    over = peers["reason"].str.replace(r"^structural distance [\d.]+ ", "", regex=True)
    assert over.nunique() == 1 and over.str.contains(r"GERD % of GDP 20\d\d").all()  # one year per variable
