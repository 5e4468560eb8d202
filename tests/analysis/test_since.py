"""Since the EOCIC assessment: gaps, movements, ranks, the baseline window and verdicts then."""
from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis import since
from workbench.analysis.diagnosis import Facts, diagnose
from workbench.analysis.since import CLOSED, LEAD_GREW, LEAD_SHRANK, STABLE, WIDENED
from workbench.data import load_snapshot
from workbench.regions import load_profile


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def saxony():
    return load_profile("saxony")


def test_gap_is_signed_so_that_positive_is_better_than_the_eu():
    assert since.signed_gap(90, 100, "higher_better") == pytest.approx(-10)
    assert since.signed_gap(5, 4, "lower_better") == pytest.approx(-25)  # unemployment above the EU
    assert since.signed_gap(5, 4, "neutral") is None
    assert since.signed_gap(5, None, "higher_better") is None


@pytest.mark.parametrize("then, now, expected", [
    (-20, -10, CLOSED), (-10, -20, WIDENED), (10, 20, LEAD_GREW), (20, 10, LEAD_SHRANK),
    (-10, -10.3, STABLE), (None, 5, None)])
def test_movement_names_the_direction_of_the_gap(then, now, expected):
    assert since.movement(then, now) == expected


def test_rank_counts_better_regions_in_the_indicator_direction():
    others = pd.Series([1.0, 2.0, 3.0, None])
    assert since.rank_among(2.5, others, "higher_better") == (2, 4)
    assert since.rank_among(2.5, others, "lower_better") == (3, 4)


def test_baseline_is_the_nearest_earlier_year_within_the_window_never_a_later_one():
    frame = pd.DataFrame({"year": [2012, 2016, 2019, 2021], "region": [1.0, 2.0, 3.0, None]})
    assert int(since.baseline_row(frame, 2018)["year"]) == 2016
    assert since.baseline_row(frame, 2011) is None  # 2012 is later; nothing in 2008-2011
    assert int(since.baseline_row(frame, 2015)["year"]) == 2012
    assert int(since.latest_after(frame, 2018)["year"]) == 2019  # 2021 has no value


def test_facts_as_of_keep_only_data_up_to_the_baseline(snap, saxony, categories):
    from workbench.analysis import clusters
    sectors = clusters.region_sectors(snap, saxony.nuts.code, saxony.nuts.parts, categories=categories)
    facts = Facts.from_snapshot(snap, saxony, sectors, "SBS", categories)
    then = facts.as_of(2016)
    assert all(series.index.max() <= 2016 for series in then.series.values() if len(series))
    for verdict in diagnose(then, saxony.published_challenge_ids):
        assert all(e.year is None or e.year <= 2016 for e in verdict.evidence)
    assert any(len(s) and s.index.max() > 2016 for s in facts.series.values())  # the latest data go further
    early = facts.as_of(2012)  # the sector table (2014-2015) is later than 2012
    assert early.cluster == {} and early.cluster_year is None


def test_movements_on_the_real_snapshot_compare_like_with_like(snap, saxony):
    table = since.movements(snap, saxony, 2018)
    comparable = table[table["comparable"]]
    assert len(comparable) and (comparable["baseline_year"] <= 2018).all()
    assert (comparable["latest_year"] > 2018).all()
    assert table.loc[~table["comparable"], "note"].str.len().gt(0).all()
    gdp = table.set_index("id").loc["gdp_pps_per_head"]
    assert gdp["change"] == pytest.approx(gdp["latest_value"] - gdp["baseline_value"])
    population = table.set_index("id").loc["population"]
    assert pd.isna(population["gap_then"]) and pd.isna(population["rank_then"])  # a count has no gap


def _payload(region: str, movements: list[str], verdicts: list[tuple[str, str]]) -> dict:
    rows = [{"movement": m, "rank_then": 10, "rank_now": 8} for m in movements]
    return {"since": {"baseline_year": 2018, "indicators": rows,
                      "verdicts": [{"id": "c1", "then": a, "now": b, "published": True} for a, b in verdicts]}}


def test_convergence_ranks_by_improved_minus_worsened_indicators():
    assessments = {"a": _payload("a", [CLOSED, WIDENED, WIDENED], []),
                   "b": _payload("b", [CLOSED, LEAD_GREW, STABLE], [])}
    table = since.convergence(assessments, {"a": "A", "b": "B"})
    assert list(table["region"]) == ["b", "a"]
    assert table.set_index("region").loc["b", ["n_improved", "n_worsened", "n_compared"]].tolist() == [2, 0, 3]
    assert table["mean_rank_change"].tolist() == [2.0, 2.0]


def test_persistence_counts_challenges_indicated_then_and_now():
    assessments = {"a": _payload("a", [], [("indicated", "indicated")]),
                   "b": _payload("b", [], [("indicated", "not_indicated")])}
    row = since.persistence(assessments, {"c1": "Challenge one"}).iloc[0]
    assert (row["indicated_then"], row["indicated_now"], row["persisted"], row["changed"]) == (2, 1, 1, 1)
