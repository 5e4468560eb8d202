"""Cross-region computations: published lists, matrix, agreement, pairing, grouping, steps, themes."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.analysis import compare
from workbench.concepts import CHALLENGE_IDS
from workbench.regions import load_profiles

# The Summary Report's lists as the EOCIC newsletter no. 3 (2019) prints them
# (shared/seeds/001_318a3fd6986a6cce.txt, article "Summary Report on Policy Lessons Learnt").
NEWSLETTER = {
    "research_innovation_access": ["East and North Finland", "North and Middle Sweden", "Hauts de France",
                                   "Wallonia", "Centre-Val de Loire"],
    "ecosystem_collaboration": ["East and North Finland", "North and Middle Sweden", "Lithuania", "Piemonte",
                                "Cantabria", "Wallonia", "Saxony"],
    "value_added_productivity": ["East and North Finland", "Slovenia", "Lithuania"],
    "cluster_management": ["Cantabria", "Slovenia", "Lithuania", "North and Middle Sweden", "Piemonte"],
    "entrepreneurial_dynamics": ["North and Middle Sweden", "East and North Finland", "Piemonte", "Wallonia",
                                 "Centre-Val de Loire"],
}
NEWSLETTER_NAME_TO_ID = {
    "Cantabria": "cantabria", "Centre-Val de Loire": "centre-val-de-loire",
    "East and North Finland": "east-north-finland", "Hauts de France": "hauts-de-france",
    "Lithuania": "lithuania", "North and Middle Sweden": "north-middle-sweden", "Piemonte": "piemonte",
    "Saxony": "saxony", "Slovenia": "slovenia", "Wallonia": "wallonia",
}


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return compare.region_facts(load_profiles())


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return compare.published_findings(load_profiles())


def _assessment(verdicts: dict[str, str], evidence: list[dict] | None = None) -> dict:
    return {"challenges": [{"id": cid, "verdict": v, "rule": f"rule {cid}", "evidence": evidence or []}
                           for cid, v in verdicts.items()]}


def test_published_lists_are_exactly_the_newsletter_lists(published):
    lists = compare.published_lists(published)
    assert set(lists) == set(NEWSLETTER)
    for cid, names in NEWSLETTER.items():
        assert sorted(lists[cid]) == sorted(NEWSLETTER_NAME_TO_ID[n] for n in names), cid


def test_matrix_of_all_ten_regions_carries_the_published_lists(facts, published):
    matrix = compare.challenge_matrix(facts, published, list(facts.index), {})
    assert len(matrix) == 10 * 5 and set(matrix["verdict"]) == {compare.MISSING}
    for cid, names in NEWSLETTER.items():
        listed = matrix[(matrix["challenge"] == cid) & matrix["published"]]["region"]
        assert sorted(listed) == sorted(NEWSLETTER_NAME_TO_ID[n] for n in names)


def test_matrix_verdicts_agreement_and_regions_not_in_the_run(facts, published):
    assessments = {"saxony": _assessment({"ecosystem_collaboration": "indicated",
                                          "research_innovation_access": "indicated",
                                          "cluster_management": "insufficient_data"})}
    matrix = compare.challenge_matrix(facts, published, ["saxony", "wallonia"], assessments)
    cell = matrix.set_index(["region", "challenge"])
    assert cell.loc[("saxony", "ecosystem_collaboration"), "agreement"] == True  # noqa: E712 listed, indicated
    assert cell.loc[("saxony", "research_innovation_access"), "agreement"] == False  # noqa: E712 not listed
    assert cell.loc[("saxony", "cluster_management"), "agreement"] is None
    assert cell.loc[("saxony", "entrepreneurial_dynamics"), "verdict"] == "insufficient_data"  # no verdict given
    assert set(cell.loc["wallonia", "verdict"]) == {compare.MISSING}
    assert set(cell.loc["cantabria", "verdict"]) == {compare.NOT_IN_RUN}
    counts = compare.agreement_counts(matrix).loc["research_innovation_access"]
    assert (counts["listed_by_eocic"], counts["assessed"], counts["disagree"]) == (5, 1, 1)


def test_disagreement_evidence_lists_each_evidence_item(facts, published):
    evidence = [{"indicator": "rd_expenditure_pct_gdp", "label": "GERD", "value": 1.0, "year": 2017,
                 "benchmark": "EU-27", "benchmark_value": 2.2, "test": "below 75% of EU", "met": True,
                 "source": "Eurostat rd_e_gerdreg, 2017"},
                {"indicator": "patents_per_million", "label": "Patents", "value": None, "year": None,
                 "benchmark": "EU-27", "benchmark_value": 100, "test": "below 75% of EU", "met": None,
                 "source": "Eurostat pat_ep_rtot"}]
    assessments = {"saxony": _assessment({"research_innovation_access": "indicated"}, evidence)}
    matrix = compare.challenge_matrix(facts, published, ["saxony"], assessments)
    table = compare.disagreement_evidence(matrix, assessments)
    assert list(table["indicator"]) == ["rd_expenditure_pct_gdp", "patents_per_million"]
    assert set(table["challenge"]) == {"research_innovation_access"}
    assert set(table["rule"]) == {"rule research_innovation_access"}


def _pairing_inputs(concerned: dict[str, bool], scores: dict[str, float], coords: dict[str, float]):
    regions = list(scores)
    matrix = pd.DataFrame([{"region": r, "name": r.title(), "challenge": cid,
                            "published": cid == "ecosystem_collaboration" and concerned[r],
                            "verdict": "not_indicated"} for r in regions for cid in CHALLENGE_IDS])
    performance = pd.DataFrame({cid: pd.Series(scores) for cid in CHALLENGE_IDS})
    distances = pd.DataFrame([[abs(coords[a] - coords[b]) for b in regions] for a in regions],
                             index=regions, columns=regions)
    return compare.peer_pairs(matrix, performance, distances, {"x": "X index"},
                              {"ecosystem_collaboration": ["x"]})


def test_a_struggling_region_learns_from_the_best_performer():
    pairs = _pairing_inputs({"a": True, "b": True, "c": False, "d": False},
                            {"a": 20.0, "b": 45.0, "c": 85.0, "d": 60.0}, {"a": 0, "b": 1, "c": 5, "d": 2})
    eco = pairs[pairs["challenge"] == "ecosystem_collaboration"]
    assert list(zip(eco["region"], eco["partner"], eco["kind"])) == [
        ("a", "c", "learn from"), ("b", "c", "learn from")]
    assert eco.iloc[0]["reason"] == ("A faces 'Absence of collaboration in the regional ecosystem' and stands "
                                     "at EU percentile 20 on X index, where C stands at 85: A can learn from C.")
    assert pairs[pairs["challenge"] != "ecosystem_collaboration"].empty  # concerns nobody else


def test_without_a_clearly_better_peer_regions_sharing_a_challenge_are_paired_once():
    pairs = _pairing_inputs({"a": True, "b": True, "c": True, "d": False},
                            {"a": 45.0, "b": 55.0, "c": 60.0, "d": 58.0}, {"a": 0, "b": 3, "c": 1, "d": 9})
    assert list(zip(pairs["region"], pairs["partner"], pairs["kind"])) == [
        ("a", "c", "shared challenge"), ("b", "c", "shared challenge")]  # c -> a is not repeated
    assert pairs.iloc[0]["reason"].startswith("Both face 'Absence of collaboration")


def test_a_mentor_tie_goes_to_the_structurally_nearest_and_missing_scores_fall_back_to_sharing():
    pairs = _pairing_inputs({"a": True, "b": True, "c": False, "d": False},
                            {"a": 10.0, "b": math.nan, "c": 70.0, "d": 70.0}, {"a": 0, "b": 1, "c": 5, "d": 2})
    assert list(zip(pairs["region"], pairs["partner"], pairs["kind"])) == [
        ("a", "d", "learn from"), ("b", "a", "shared challenge")]


def _indicators(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"region": r, "id": i, "value": v} for r, values in rows.items() for i, v in values.items()])


def test_structural_distances_use_only_features_every_region_has_in_the_same_year():
    indicators = _indicators({
        "a": {"gdp_pps_per_head_index": 80, "tertiary_attainment_pct": 20, "productivity": 50, "unemployment_rate": 5},
        "b": {"gdp_pps_per_head_index": 120, "tertiary_attainment_pct": 40, "productivity": 50, "unemployment_rate": 5},
        "c": {"gdp_pps_per_head_index": 100, "productivity": 50, "tertiary_attainment_pct": 30}})
    indicators["year"] = 2019.0
    indicators.loc[(indicators["region"] == "c") & (indicators["id"] == "tertiary_attainment_pct"), "year"] = 2017.0
    distances = compare.structural_distances(indicators, ["a", "b", "c"])
    # tertiary: c's value is of another year, so it is left out (not imputed); productivity
    # and unemployment have no spread (or a gap) and are dropped: GDP index alone, z = -1.22, 1.22, 0
    assert compare.structural_features(indicators, ["a", "b", "c"]) == ["gdp_pps_per_head_index", "productivity"]
    assert distances.loc["a", "b"] == pytest.approx(math.sqrt(6))
    assert distances.loc["a", "c"] == pytest.approx(math.sqrt(1.5))
    assert (distances.to_numpy().diagonal() == 0).all()


def test_similarity_groups_merge_by_average_linkage_and_name_the_nearest():
    coords = {"a": 0.0, "b": 0.2, "c": 0.3, "d": 5.0, "e": 5.5, "f": 9.0}
    distances = pd.DataFrame([[abs(coords[x] - coords[y]) for y in coords] for x in coords],
                             index=list(coords), columns=list(coords))
    groups = compare.similarity_groups(distances).set_index("region")
    assert groups["group"].to_dict() == {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2}  # 6 regions -> 2 groups
    assert groups.at["a", "nearest"] == "b" and groups.at["f", "nearest"] == "e"
    assert compare.similarity_groups(distances, n_groups=3)["group"].nunique() == 3


def test_strong_clusters_count_sectors_with_at_least_one_star_per_preset():
    assessments = {"x": {"sectors": [{"stars": {"eco": 0, "eocic": 2, "us": 1}},
                                     {"stars": {"eco": 3, "eocic": 0, "us": 0}}]},
                   "y": {"sectors": []}}
    table = compare.strong_clusters(assessments)
    assert table.loc["x"].to_dict() == {"eco": 1, "eocic": 1, "us": 1}
    assert table.loc["y"].to_dict() == {"eco": 0, "eocic": 0, "us": 0}


def test_strong_clusters_are_missing_not_zero_for_a_region_without_sector_data():
    assessments = {"x": {"sectors": [{"stars": {"eco": 0, "eocic": 2, "us": 1}}], "sector_gap": None},
                   "lt01": {"sectors": [], "sector_gap": {"reason": "no employment by industry", "text": "..."}}}
    table = compare.strong_clusters(assessments)
    assert table.loc["x"].to_dict() == {"eco": 0, "eocic": 1, "us": 1}
    assert table.loc["lt01"].isna().all()


def test_measures_by_step_counts_regions_and_marks_cluster_measures():
    proposals = {
        "a": {"measures": [{"id": "m1", "title": "Cluster manager training", "step": "coordinate", "priority": 1},
                           {"id": "m2", "title": "Regional S3 review", "step": "strategy", "priority": 2,
                            "instruments": ["European Cluster Excellence Programme"]}]},
        "b": {"measures": [{"id": "m1", "title": "Cluster manager training", "step": "coordinate", "priority": 3}]},
    }
    measures = compare.measures_by_step(proposals, {"a": "A", "b": "B"})
    assert list(measures["measure"]) == ["m2", "m1"]  # step order: strategy before coordinate
    row = measures.set_index("measure").loc["m1"]
    assert (row["n_regions"], row["regions"], row["mean_priority"], row["clusters"]) == (2, "A, B", 2.0, True)
    steps = compare.steps_overview(measures, proposals)
    assert steps.loc["coordinate", ["proposed", "with_clusters", "distinct_measures"]].tolist() == [2, 2, 1]
    assert steps.loc["strategy", "with_clusters"] == 1 and steps.loc["adapt", "proposed"] == 0


def test_theme_indicators_cover_skills_and_digitalisation_and_no_circular_economy():
    assert compare.THEMES["circular economy"] == ()
    assessments = {"a": {"indicators": [{"id": "lifelong_learning_pct", "value": 9.0, "year": 2019},
                                        {"id": "broadband_households_pct", "value": 85.0, "year": 2019},
                                        {"id": "gdp_meur", "value": 1.0, "year": 2019}]}}
    themes = compare.theme_indicators(compare.indicator_frame(assessments))
    assert themes[["theme", "id"]].values.tolist() == [["skills", "lifelong_learning_pct"],
                                                       ["digitalisation", "broadband_households_pct"]]


def test_challenge_performance_turns_lower_better_round_and_skips_neutral():
    assessments = {"a": {"indicators": [
                             {"id": "unemployment_rate", "direction": "lower_better", "percentile": 30.0},
                             {"id": "local_units_per_1000", "direction": "higher_better", "percentile": 50.0},
                             {"id": "population", "direction": "neutral", "percentile": 90.0}],
                         "challenges": [{"id": "entrepreneurial_dynamics", "evidence": [
                             {"indicator": "unemployment_rate"}, {"indicator": "local_units_per_1000"},
                             {"indicator": "population"}]}]}}
    performance = compare.challenge_performance(assessments)
    assert performance.at["a", "entrepreneurial_dynamics"] == pytest.approx(60.0)
    assert math.isnan(performance.at["a", "research_innovation_access"])


def _pairs(rows: list[tuple[bool, str]]) -> pd.DataFrame:
    """A challenge matrix from (published, verdict) pairs."""
    return pd.DataFrame([{"published": p, "verdict": v,
                          "agreement": (v == "indicated") == p if v in ("indicated", "not_indicated") else None}
                         for p, v in rows])


def test_agreement_beside_chance_is_cohens_kappa():
    # 10 pairs: listed 5 of 10, indicated 4 of 10; agree on 3 yes and 5 no = 8 of 10
    rows = ([(True, "indicated")] * 3 + [(True, "not_indicated")] * 2 + [(False, "indicated")]
            + [(False, "not_indicated")] * 4 + [(False, "insufficient_data")])
    stats = compare.agreement_statistics(_pairs(rows))
    expected = 0.5 * 0.4 + 0.5 * 0.6
    assert (stats["pairs"], stats["agree"]) == (10, 7)
    assert stats["observed"] == pytest.approx(0.7) and stats["expected"] == pytest.approx(expected)
    assert stats["kappa"] == pytest.approx((0.7 - expected) / (1 - expected))
    assert compare.kappa_words(stats["kappa"]).startswith("fair agreement")
    # agreement that chance alone gives (every verdict "not indicated", most not listed): kappa 0
    chance = compare.agreement_statistics(_pairs([(False, "not_indicated")] * 8 + [(True, "not_indicated")] * 2))
    assert chance["observed"] == pytest.approx(0.8) and chance["kappa"] == pytest.approx(0.0)
    assert compare.kappa_words(chance["kappa"]).startswith("no agreement beyond chance")


def test_rule_calibration_sets_the_run_beside_the_eu_regions(facts, published):
    assessments = {"saxony": _assessment({"ecosystem_collaboration": "indicated"})}
    matrix = compare.challenge_matrix(facts, published, ["saxony"], assessments)
    eu = pd.DataFrame({"challenge": list(CHALLENGE_IDS), "indicated_pct": 30.0})
    table = compare.rule_calibration(eu, matrix).set_index("challenge")
    assert table.loc["ecosystem_collaboration", "run_indicated"] == 1
    assert table.loc["ecosystem_collaboration", "run_listed"] == 1  # Saxony is listed under it
    assert table.loc["cluster_management", "run_indicated"] == 0
