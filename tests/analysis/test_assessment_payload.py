"""The assessment payload: built from constructed data, valid against the documented schema."""
from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from assessment_fakes import profile, series_snapshot
from fake_snapshot import FakeSnapshot
from workbench.analysis import assessment, diagnosis, eu_reference, shift_share
from workbench.analysis.assessment import assess, validate_payload
from workbench.concepts import CHALLENGE_IDS
from workbench.contracts import AssessmentPayload
from workbench.results import read_result, result_path, write_result

GEOS = {"AA11": 1.0, "AA12": 2.0, "BB11": 3.0, "BB12": 4.0, "CC11": 5.0, "CC12": 6.0}


def _snapshot() -> FakeSnapshot:
    def spread(scale: float, year: int) -> dict[str, dict[int, float]]:
        return {g: {year: scale * v} for g, v in GEOS.items()}

    values = {
        "population": spread(1e6, 2019), "gdp_pps_per_head": spread(10000.0, 2019),
        "industry_employment_share": spread(5.0, 2015), "rd_expenditure_pct_gdp": spread(0.5, 2015),
        "tertiary_attainment_pct": spread(6.0, 2018), "productivity": spread(20000.0, 2019),
        "unemployment_rate": spread(2.0, 2019),
    }
    values["population"]["AA"] = {2019: 3e6}
    return series_snapshot(
        values=values,
        eu={"gdp_pps_per_head": {2019: 31000.0}, "productivity": {2019: 70000.0},
            "rd_expenditure_pct_gdp": {2015: 2.0}, "tertiary_attainment_pct": {2018: 32.0}},
        kinds={"population": "count", "gdp_pps_per_head": "per_head", "productivity": "per_head"},
        directions={"unemployment_rate": "lower_better", "population": "neutral"},
    )


def _sectors(snap, code, parts, year=None, *, categories) -> pd.DataFrame:
    return pd.DataFrame({
        "nace": ["C29", "C10"], "label": ["Motor vehicles", "Food"], "category": ["automotive", None],
        "category_label": ["Automotive", None], "year": 2015, "employment": [40000.0, float("nan")],
        "share": [12.5, float("nan")], "lq": [2.4, float("nan")], "wage_per_employee": [45000.0, float("nan")],
        "local_units": [120.0, float("nan")], "growth_pct": [1.2, float("nan")],
        "growth_years": ["2010-2015", ""],
        "stars_eco": [2, 0], "reasons_eco": [["size: top 10%", "LQ 2.4 >= 2"], ["data missing"]],
        "stars_eocic": [3, 0], "reasons_eocic": [["a", "b", "c"], ["data missing"]],
        "stars_us": [1, 0], "reasons_us": [["strong"], ["data missing"]],
        "traded": [True, True], "suspect": ["", ""], "headline_stars": [3, 0],
    })


def _shift(snap, code, parts, sectors) -> shift_share.ShiftShare:
    region = pd.DataFrame({"start": [30000.0], "end": [40000.0]}, index=["C29"])
    benchmark = pd.DataFrame({"start": [1e6], "end": [1.1e6]}, index=["C29"])
    return shift_share.ShiftShare(2010, 2015, shift_share.decompose(region, benchmark), 100.0)


@pytest.fixture
def payload(monkeypatch, categories) -> dict:
    monkeypatch.setattr(assessment.clusters, "region_sectors", _sectors)
    monkeypatch.setattr(assessment, "sector_gap", lambda *args: None)  # the constructed sectors have data
    monkeypatch.setattr(assessment.shift_share, "region_shift_share", _shift)
    monkeypatch.setattr(eu_reference, "MIN_REGIONS", 3)  # six constructed regions
    monkeypatch.setattr(diagnosis, "eu_cluster_statistics", lambda snap, year, categories: {
        "strong_traded_divisions": pd.Series(range(120), dtype=float),
        "starred_traded_share": pd.Series(range(120), dtype=float)})
    region = profile("AA11", published=("value_added_productivity",),
                     opportunities=[{"text": "Circular economy", "source": "Newsletter 3"}])
    return assess(_snapshot(), region, categories=categories).payload()


def test_payload_matches_schema_and_is_strict_json(payload):
    assert validate_payload(payload) == []
    assert list(payload) == list(AssessmentPayload.model_fields)
    json.dumps(payload, allow_nan=False)  # no NaN anywhere


def test_payload_content(payload):
    assert payload["region"]["code"] == "AA11" and payload["region"]["parts"] == ["AA11"]
    assert [c["id"] for c in payload["challenges"]] == list(CHALLENGE_IDS)
    productivity = next(c for c in payload["challenges"] if c["id"] == "value_added_productivity")
    assert productivity["verdict"] == "indicated" and productivity["published"] is True
    assert productivity["agreement"] is True
    # no high-tech manufacturing data, but productivity and GDP per head settle the verdict
    assert productivity["confidence"] == "medium" and len(productivity["missing"]) == 1
    motor = payload["sectors"][0]
    assert motor["stars"] == {"eco": 2, "eocic": 3, "us": 1} and motor["lq"] == 2.4
    assert motor["star_reasons"]["eco"] == ["size: top 10%", "LQ 2.4 >= 2"]
    assert payload["sectors"][1]["employment"] is None
    board = payload["scoreboard"]
    assert "Access to finance" in board["missing_dimensions"]
    assert "access_to_finance" not in {d["id"] for d in board["dimensions"]}
    knowledge = next(d for d in board["dimensions"] if d["id"] == "knowledge_skills")
    assert (knowledge["rank"], knowledge["n_ranked"]) == (6, 6)  # AA11 is lowest of six
    peers = [p["geo"] for p in payload["scoreboard"]["peers"]]
    assert sorted(peers) == ["AA12", "BB11", "BB12", "CC11", "CC12"]  # every other region
    assert set(payload["scoreboard"]["peer_scores"]) == {p["geo"] for p in payload["scoreboard"]["peers"]}
    gdp = next(i for i in payload["indicators"] if i["id"] == "gdp_pps_per_head")
    assert (gdp["value"], gdp["year"], gdp["eu"]) == (10000.0, 2019, 31000.0)
    assert payload["swot"]["opportunities"] == [{"text": "Circular economy", "evidence": "Newsletter 3"}]
    assert (motor["traded"], motor["suspect"], motor["headline_stars"]) == (True, "", 3)
    summary = payload["clusters"]
    assert summary["traded_employment"] == 40000.0 and summary["traded_starred_share_pct"] == 100.0
    assert summary["shift_share"] == {"start_year": 2010, "end_year": 2015, "total_change": 10000.0,
                                      "national_growth": 3000.0, "industry_mix": 0.0,
                                      "regional_competitive": 7000.0}
    assert summary["emerging"] == [] and summary["local_economy"] == []  # one division: no LQ change


def test_payload_round_trips_through_result_document(payload, tmp_path):
    path = write_result(result_path(tmp_path, "test-region", "assessment"), "assessment",
                        "test-region", payload, data_vintage="fake")
    document = read_result(path, "assessment")
    assert document["payload"] == payload and validate_payload(document["payload"]) == []


def test_validation_names_every_problem(payload):
    broken = copy.deepcopy(payload)
    del broken["region"]["parts"]
    broken["indicators"][0]["value"] = "12"
    broken["challenges"][0]["verdict"] = "maybe"
    broken["swot"]["strengths"].append({"text": "x"})
    broken["extra"] = 1
    problems = validate_payload(broken)
    assert "payload.region: missing key 'parts'" in problems
    assert "payload.indicators[0].value: expected a finite number or null, got str" in problems
    assert any("challenges[0].verdict" in p for p in problems)
    assert any(p.startswith("payload.swot.strengths") and "'evidence'" in p for p in problems)
    assert "payload: unexpected key 'extra'" in problems
