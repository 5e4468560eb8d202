"""Scoreboard: RIS normalisation (hand-checked), dimension scores, peer selection and override."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assessment_fakes import FakeSnapshot, profile
from workbench.analysis import scoreboard as sb


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


def _snapshot() -> FakeSnapshot:
    geos = {"AA11": 1, "AA12": 2, "BB11": 3, "BB12": 4, "CC11": 5}
    return FakeSnapshot(
        values={
            "tertiary_attainment_pct": {g: {2018: 10.0 * v} for g, v in geos.items()},
            "lifelong_learning_pct": {g: {2018: float(v)} for g, v in geos.items() if g != "CC11"},
            "gdp_pps_per_head": {g: {2019: 1000.0 * v} for g, v in geos.items()},
            "industry_employment_share": {g: {2015: 10.0 + v} for g, v in geos.items()},
            "population": {g: {2019: 1e6 * v} for g, v in geos.items()},
            "rd_expenditure_pct_gdp": {"AA11": {2015: 1.0}, "BB11": {2015: 1.0}},
        },
        kinds={"gdp_pps_per_head": "per_head", "population": "count"},
    )


def test_dimension_score_is_mean_of_available_indicators_and_missing_dimensions_have_none():
    snap = _snapshot()
    result = sb.scoreboard(snap, profile("AA12"), exclude_same_country=False)
    knowledge = result.dimensions.loc["knowledge_skills", "AA12"]
    # tertiary: (20-10)/(50-10) = 0.25; lifelong learning: (2-1)/(4-1) = 1/3
    assert knowledge == pytest.approx((0.25 + 1 / 3) / 2)
    payload = result.payload()
    finance = next(d for d in payload["dimensions"] if d["id"] == "access_to_finance")
    assert finance["score"] is None and finance["n_indicators"] == 0
    # CC11 has no lifelong-learning value: its knowledge score uses tertiary only
    assert result.dimensions.loc["knowledge_skills", "CC11"] == pytest.approx(1.0)


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


def test_nearest_needs_three_variables_and_scales_partial_distance():
    candidates = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [0.0, 1.0, np.nan, 3.0],
                               "c": [0.0, np.nan, np.nan, 3.0], "d": [0.0, 1.0, 2.0, 3.0]},
                              index=["P", "Q", "R", "S"])
    found = sb.nearest(pd.Series({"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}), candidates, n=5)
    assert "R" not in found["geo"].tolist()  # only 2 of 4 variables
    assert found.set_index("geo").loc["Q", "n_variables"] == 3


def test_select_peers_by_similarity_excludes_own_country_and_parts():
    snap = _snapshot()
    peers = sb.select_peers(snap, profile("AA11"), n=5)
    assert "AA12" not in peers["geo"].tolist() and "AA11" not in peers["geo"].tolist()
    assert peers["geo"].iloc[0] == "BB11"  # identical R&D, nearest in the other variables
    assert peers["reason"].str.contains("structural distance").all()
    same_country = sb.select_peers(snap, profile("AA11"), n=5, exclude_same_country=False)
    assert "AA12" in same_country["geo"].tolist()


def test_profile_peers_override_selection():
    snap = _snapshot()
    peers = sb.select_peers(snap, profile("AA11", peers=("CC11", "BB12")))
    assert peers["geo"].tolist() == ["CC11", "BB12"]
    assert (peers["reason"] == "set in the region profile").all()
    assert peers["name"].tolist() == ["Region CC11", "Region BB12"]
