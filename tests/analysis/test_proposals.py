"""Selection, ranking, overrides, KPI targets, timing and the `proposals` payload.

Every assessment here is a constructed payload that follows docs/design.md; its numbers are
test inputs, not data.
"""
from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from assessment_fakes import FakeSnapshot, profile

from workbench.analysis import proposals as ap
from workbench.concepts import CHALLENGE_IDS, STEP_IDS
from workbench.regions import Target, Timing, load_profile, region_ids
from workbench.results import read_result, result_path, write_result

# id: (direction, value, eu) -- constructed test inputs
INDICATORS: dict[str, tuple[str, float, float]] = {
    "gdp_pps_per_head": ("higher_better", 27000.0, 30000.0),
    "gdp_pps_per_head_index": ("higher_better", 90.0, 100.0),
    "productivity": ("higher_better", 60000.0, 72000.0),
    "unemployment_rate": ("lower_better", 9.0, 6.0),
    "industry_employment_share": ("neutral", 25.0, 22.0),
    "hightech_manufacturing_pct": ("higher_better", 6.0, 5.0),
    "kis_employment_pct": ("higher_better", 35.0, 40.0),
    "rd_expenditure_pct_gdp": ("higher_better", 2.5, 2.2),
    "rd_business_pct_gdp": ("higher_better", 1.0, 1.5),
    "rd_personnel_pct_employment": ("higher_better", 1.1, 1.3),
    "patents_per_million": ("higher_better", 80.0, 100.0),
    "tertiary_attainment_pct": ("higher_better", 30.0, 33.0),
    "hrst_pct_population": ("higher_better", 45.0, 46.0),
    "lifelong_learning_pct": ("higher_better", 8.0, 11.0),
    "broadband_households_pct": ("higher_better", 90.0, 88.0),
    "daily_internet_users_pct": ("higher_better", 80.0, 78.0),
    "local_units_per_1000": ("higher_better", 40.0, 50.0),
}


def make_assessment(region_id: str = "test-region", indicated: tuple[str, ...] = (),
                    published: tuple[str, ...] = (), insufficient: tuple[str, ...] = (),
                    missing: tuple[str, ...] = (), values: dict[str, float] | None = None) -> dict[str, Any]:
    """An `assessment` payload (docs/design.md) with constructed values."""
    values = values or {}
    indicators = []
    for ind, (direction, value, eu) in INDICATORS.items():
        present = ind not in missing
        indicators.append({
            "id": ind, "label": f"Label of {ind}", "unit": "%", "direction": direction,
            "year": 2019 if present else None, "value": values.get(ind, value) if present else None,
            "national": None, "eu": eu, "percentile": 50.0, "n_regions": 240, "method": "reported",
            "flag": "", "source": f"Test dataset {ind}, 2019" if present else f"Test dataset {ind}: no value",
        })
    challenges = [{
        "id": cid, "label": cid, "rule": "test rule", "evidence": [],
        "verdict": "indicated" if cid in indicated else "insufficient_data" if cid in insufficient else "not_indicated",
        "published": cid in published, "agreement": None,
    } for cid in CHALLENGE_IDS]
    sectors = [{"nace": "C28", "label": "Machinery <b>& equipment</b>", "category": "manufacturing", "year": 2014,
                "employment": 1000.0, "share": 5.0, "lq": 2.1, "wage_per_employee": 40000.0,
                "local_units": 100, "growth_pct": 3.0, "growth_years": "2009-2014",
                "stars": {"eco": 2, "eocic": 2, "us": 1}, "star_reasons": {"eco": []}}]
    return {
        "region": {"id": region_id, "name": "Test region", "country": "AA", "country_name": "Aland",
                   "code": "AA11", "level": 2, "parts": ["AA11"], "composition": "NUTS 2 region AA11"},
        "indicators": indicators, "sectors": sectors, "sector_source": "Test SBS dataset, 2014",
        "scoreboard": {"dimensions": [], "peers": [], "peer_scores": {}},
        "challenges": challenges, "swot": {"strengths": [], "weaknesses": [], "opportunities": [], "threats": []},
    }


def plan_for(indicated=(), published=(), overrides: dict | None = None, **kwargs) -> ap.ProposalPlan:
    extra = {"proposals": overrides} if overrides else {}
    return ap.build_plan(make_assessment(indicated=indicated, published=published, **kwargs),
                         profile(published=published, **extra), profile_file="regions/test-region.yaml")


# ---- selection and ranking --------------------------------------------------------------------

def test_different_challenge_sets_never_get_the_same_list():
    lists = {}
    for n in range(len(CHALLENGE_IDS) + 1):
        for subset in itertools.combinations(CHALLENGE_IDS, n):
            lists[subset] = frozenset(plan_for(indicated=subset).ids)
    assert len(set(lists.values())) == len(lists)


def test_same_challenges_from_data_or_from_eocic_both_count():
    data_only = plan_for(indicated=("cluster_management",))
    published_only = plan_for(published=("cluster_management",))
    for plan in (data_only, published_only):
        assert plan.challenges[CHALLENGE_IDS.index("cluster_management")].weight == ap.WEIGHT_ONE
        assert "cluster_management_excellence" in plan.ids
    both = plan_for(indicated=("cluster_management",), published=("cluster_management",))
    assert both.challenges[CHALLENGE_IDS.index("cluster_management")].weight == ap.WEIGHT_BOTH
    excellence = next(p for p in both.measures if p.measure.id == "cluster_management_excellence")
    assert excellence.score == ap.WEIGHT_BOTH
    assert "indicated by the data and listed by EOCIC" in excellence.reason


def test_list_is_capped_covers_every_challenge_and_keeps_the_backbone():
    plan = plan_for(indicated=CHALLENGE_IDS[:3], published=CHALLENGE_IDS[2:])
    assert len(plan.measures) <= ap.MAX_MEASURES
    backbone = {m.id for m in plan.catalogue.measures if m.always}
    assert backbone <= set(plan.ids)
    for cid in CHALLENGE_IDS:
        assert any(p.measure.challenges == (cid,) for p in plan.measures), cid
    assert all(p.score > 0 for p in plan.measures if p.origin != "always")


def test_region_without_challenges_gets_only_the_backbone():
    plan = plan_for()
    assert {p.origin for p in plan.measures} == {"always"}
    assert all(p.priority == ap.ALWAYS_PRIORITY for p in plan.measures)


def test_insufficient_data_is_not_a_challenge():
    plan = plan_for(insufficient=("entrepreneurial_dynamics", "cluster_management"), published=("cluster_management",))
    entrepreneurial, management = (plan.challenges[CHALLENGE_IDS.index(c)]
                                   for c in ("entrepreneurial_dynamics", "cluster_management"))
    assert entrepreneurial.weight == 0
    assert (management.weight, management.evidence) == (1, "listed by EOCIC; insufficient data to test")


def _catalogue(measures: list[dict]) -> ap.Catalogue:
    base = {"title": "A measure", "description": "A description long enough.", "step": "implement",
            "cluster_role": "Clusters do things.", "benefits": "Some benefits.", "costs": "Costs.",
            "risks": "Some risks.", "actors": ["a"], "instruments": ["i"], "sources": ["s"], "outputs": ["things done"]}
    return ap.Catalogue.model_validate({
        "sources": [{"id": "s", "citation": "A test citation", "file": "nowhere"}],
        "instruments": [{"id": "i", "name": "Instrument", "programme": "Programme", "source": "s", "period": "2014-2020"}],
        "measures": [{**base, **m} for m in measures]})


def test_ranking_order_score_then_weak_kpis_then_step_then_catalogue():
    catalogue = _catalogue([
        {"id": "later_step", "challenges": ["ecosystem_collaboration"], "step": "adapt", "kpis": ["x"]},
        {"id": "weak_kpis", "challenges": ["ecosystem_collaboration"], "kpis": ["x", "y"]},
        {"id": "earlier_step", "challenges": ["ecosystem_collaboration"], "step": "understand", "kpis": ["x"]},
        {"id": "high_score", "challenges": ["ecosystem_collaboration", "cluster_management"], "kpis": ["x"]},
        {"id": "zero", "challenges": ["entrepreneurial_dynamics"], "kpis": ["x"]},
    ])
    weights = {w.id: w for w in ap.challenge_weights(
        make_assessment(indicated=("ecosystem_collaboration", "cluster_management")), ())}
    weak = ap.KpiRow("y", "y", "%", "higher_better", 1.0, 2019, "s", 2.0, None, None, "r")
    fine = ap.KpiRow("x", "x", "%", "higher_better", 3.0, 2019, "s", 2.0, None, None, "r")
    kpis = {m.id: tuple(weak if k == "y" else fine for k in m.kpis) for m in catalogue.measures}
    ranked = [c.measure.id for c in ap.rank(catalogue, weights, kpis)]
    assert ranked == ["high_score", "weak_kpis", "earlier_step", "later_step", "zero"]


def test_measures_are_ordered_by_priority_then_score():
    plan = plan_for(indicated=("ecosystem_collaboration", "cluster_management"),
                    published=("ecosystem_collaboration",))
    keys = [(p.priority, -p.score) for p in plan.measures if p.origin != "always"]
    assert keys == sorted(keys)
    top = max(p.score for p in plan.measures)
    assert all(p.priority == 1 for p in plan.measures if p.score == top)


# ---- overrides --------------------------------------------------------------------------------

def test_overrides_are_applied():
    plan = plan_for(indicated=("ecosystem_collaboration",), overrides={
        "add": ["sme_export_groups"], "drop": ["cluster_cooperation_events"],
        "priority": {"sme_export_groups": 2}, "timing": {"sme_export_groups": {"start": 2029, "end": 2031}},
        "targets": {"productivity": {"value": 65000, "year": 2033}},
        "outputs": {"sme_export_groups": {"export groups formed": 6}},
        "horizon": {"start": 2028, "end": 2035}})
    assert "cluster_cooperation_events" not in plan.ids
    added = next(p for p in plan.measures if p.measure.id == "sme_export_groups")
    assert (added.origin, added.priority, added.start, added.end) == ("added", 2, 2029, 2031)
    assert "added by the consultant (regions/test-region.yaml)" in added.reason
    for rows in (added.kpis, added.results):
        productivity = next(k for k in rows if k.indicator == "productivity")
        assert (productivity.target, productivity.target_year) == (65000, 2033)
        assert "set by the consultant" in productivity.rule
    assert [(o.label, o.target) for o in added.outputs] == [("export groups formed", 6),
                                                            ("SMEs exporting to a new third market", None)]
    assert plan.horizon == Timing(start=2028, end=2035)
    assert ap.default_timing("adapt", plan.horizon)[1] == 2035


def test_unknown_measure_in_overrides_names_id_and_file():
    region = profile(proposals={"drop": ["foo"], "add": ["bar"], "targets": {"gdp_per_unicorn": {"value": 1, "year": 2027}}})
    problems = ap.override_problems(region, "regions/saxony.yaml")
    assert problems[0].startswith("regions/saxony.yaml: proposals.add: unknown measure 'bar'; known: evidence_base")
    assert any(p.startswith("regions/saxony.yaml: proposals.drop: unknown measure 'foo'") for p in problems)
    assert any("proposals.targets: unknown indicator 'gdp_per_unicorn'" in p for p in problems)
    with pytest.raises(ap.ProposalError, match="proposals.drop: unknown measure 'foo'"):
        ap.build_plan(make_assessment(), region, profile_file="regions/saxony.yaml")


def test_default_file_in_messages_is_the_profile_path():
    problems = ap.override_problems(profile(proposals={"drop": ["foo"]}))
    assert problems[0].startswith("regions/test-region.yaml: proposals.drop: unknown measure 'foo'")


def test_conflicting_and_out_of_horizon_overrides_are_reported():
    region = profile(proposals={"add": ["sme_export_groups"], "drop": ["sme_export_groups"],
                                "timing": {"sme_export_groups": {"start": 2019, "end": 2022}}})
    problems = ap.override_problems(region)
    assert any("both name 'sme_export_groups'" in p for p in problems)
    assert any("2019-2022 lies outside the horizon 2028-2034" in p for p in problems)


def test_overrides_of_measures_or_kpis_not_in_the_list_fail_loudly():
    with pytest.raises(ap.ProposalError, match="proposals.priority: measure 'sme_export_groups' is not in the proposal list"):
        plan_for(overrides={"priority": {"sme_export_groups": 1}})
    with pytest.raises(ap.ProposalError, match="proposals.targets: indicator 'population' is not a KPI"):
        plan_for(overrides={"targets": {"population": {"value": 1, "year": 2027}}})


def test_assessment_of_another_region_is_refused():
    with pytest.raises(ap.ProposalError, match="assessment is of region 'elsewhere'"):
        ap.build_plan(make_assessment(region_id="elsewhere"), profile())


def test_real_profiles_have_valid_overrides():
    for region_id in region_ids():
        assert ap.override_problems(load_profile(region_id)) == [], region_id


# ---- KPIs -------------------------------------------------------------------------------------

def test_kpi_baseline_traces_to_the_assessment_entry():
    assessment = make_assessment(indicated=("research_innovation_access",))
    plan = ap.build_plan(assessment, profile())
    entries = {e["id"]: e for e in assessment["indicators"]}
    rows = [k for p in plan.measures for k in p.kpis]
    assert rows
    for row in rows:
        entry = entries[row.indicator]
        assert (row.baseline, row.baseline_year, row.source, row.eu) == (
            entry["value"], entry["year"], entry["source"], entry["eu"])


@pytest.mark.parametrize("direction, value, eu, target, rule", [
    ("higher_better", 90.0, 100.0, 90.0 + 10.0 / 3, "close 1/3 of the gap to the EU-27 value"),
    ("lower_better", 9.0, 6.0, 8.0, "close 1/3 of the gap to the EU-27 value"),
    ("higher_better", 110.0, 100.0, 115.5, "at or beyond the EU-27 value: raise by 5%"),
    ("lower_better", 4.0, 6.0, 3.8, "at or beyond the EU-27 value: lower by 5%"),
    ("higher_better", 50.0, None, 52.5, "no EU-27 value: raise by 5%"),
    ("neutral", 25.0, 22.0, None, "neutral indicator: monitored, no target"),
    ("higher_better", None, 22.0, None, "no baseline in the data: no target"),
])
def test_default_target_rule(direction, value, eu, target, rule):
    got, why = ap.default_target(value, eu, direction)
    assert why == rule
    assert got == pytest.approx(target) if target is not None else got is None


def test_missing_baseline_is_shown_missing_without_target():
    assessment = make_assessment(missing=("gdp_pps_per_head_index",))
    row = ap.kpi_row(next(e for e in assessment["indicators"] if e["id"] == "gdp_pps_per_head_index"),
                     2027, None, "regions/x.yaml")
    assert (row.baseline, row.baseline_year, row.target, row.target_year) == (None, None, None, None)
    assert row.source == "Test dataset gdp_pps_per_head_index: no value"


def test_target_override_replaces_the_rule():
    entry = make_assessment()["indicators"][0]
    row = ap.kpi_row(entry, 2027, Target(value=1.5, year=2025), "regions/x.yaml")
    assert (row.target, row.target_year, row.rule) == (1.5, 2025, "set by the consultant (regions/x.yaml)")


def test_indicators_missing_from_the_assessment_come_from_the_snapshot():
    snap = FakeSnapshot({"productivity": {"AA11": {2018: 55000.0, 2019: 56000.0}}},
                        eu={"productivity": {2019: 70000.0}})
    assessment = make_assessment()
    assessment["indicators"] = [e for e in assessment["indicators"] if e["id"] != "productivity"]
    entries = ap.indicator_entries(assessment, ["productivity", "patents_per_million"], profile(), snap)
    assert (entries["productivity"]["value"], entries["productivity"]["year"]) == (56000.0, 2019)
    assert entries["productivity"]["source"] == "Test dataset productivity, 2019"
    assert entries["patents_per_million"]["value"] == 80.0
    without = ap.indicator_entries(assessment, ["productivity"], profile())
    assert without["productivity"].get("value") is None


# ---- timing -----------------------------------------------------------------------------------

def test_default_timing_follows_the_steps_within_the_horizon():
    horizon = ap.DEFAULT_HORIZON
    assert (horizon.start, horizon.end) == (2028, 2034)
    spans = [ap.default_timing(s, horizon) for s in STEP_IDS]
    assert spans == [(2028, 2029), (2029, 2030), (2029, 2034), (2030, 2034), (2032, 2034)]
    for start, end in spans:
        assert horizon.start <= start <= end <= horizon.end


# ---- payload ----------------------------------------------------------------------------------

def test_payload_follows_the_design_schema(tmp_path):
    plan = plan_for(indicated=("value_added_productivity",), published=("ecosystem_collaboration",))
    payload = plan.payload("A strategy.")
    assert set(payload) == {"region", "horizon", "strategy", "measures"}
    assert payload["horizon"] == {"start": 2028, "end": 2034, "run_year": plan.run_year}
    for m in payload["measures"]:
        assert set(m) == {"id", "title", "step", "challenges", "priority", "score", "reason", "start", "end",
                          "instruments", "history_instruments", "kpis", "results", "outputs", "regional"}
        assert set(m["regional"]) == {"clusters", "gaps", "peers", "why"}
        assert len(m["results"]) <= 2 and all(set(r) == set(m["kpis"][0]) for r in m["results"])
        assert m["outputs"] and all(set(o) == {"label", "target"} for o in m["outputs"])
        assert m["step"] in STEP_IDS and 1 <= m["priority"] <= 5 and set(m["challenges"]) <= set(CHALLENGE_IDS)
        assert all(isinstance(i, str) for i in m["instruments"])
        for k in m["kpis"]:
            assert set(k) == {"indicator", "label", "baseline", "baseline_year", "source", "target",
                              "target_year", "rule"}
    path = write_result(tmp_path / "proposals.json", "proposals", "test-region", payload, "test vintage")
    assert read_result(path, "proposals")["payload"] == json.loads(json.dumps(payload))


# ---- report builders --------------------------------------------------------------------------

def test_report_texts_come_from_the_evidence_and_are_escaped():
    from workbench.report import proposals as rp

    plan = plan_for(indicated=("value_added_productivity",), published=("value_added_productivity",))
    strategy = rp.strategy_text(plan)
    assert strategy.startswith("Test region faces 1 of the five joint challenges")
    cluster = ("machinery <b>& equipment</b> (C28: 1,000 jobs in 2014, location quotient 2.10, "
               "+3.0 % a year in 2009-2014, 2 of 3 stars)")
    assert f"Test region's strongest traded clusters are {cluster}" in strategy   # escaped only when shown
    lines = rp.strategy_lines(plan)
    assert len(lines) == 5 and "2028-2034, from the run year" in lines[4]
    card = rp.measure_markdown(plan, plan.measures[0], 1)
    assert card.index("**Clusters:**") < card.index("**Gaps:**") < card.index("**Peers:**") < card.index("**Why here")
    assert "machinery &lt;b&gt;&amp; equipment&lt;/b&gt;" in card and "<b>" not in card
    assert "**Description.**" not in card                      # the generic text is in the appendix
    appendix = rp.catalogue_appendix(plan)
    assert appendix.count("<details>") == len(plan.measures)
    for heading in ("**Description.**", "**Benefits and costs.**", "**Risks.**", "**History:** in 2014-2020"):
        assert heading in appendix
    rule = rp.selection_rule_text(plan)
    assert f"up to {ap.MAX_MEASURES} in all" in rule and "weight 2" in rule
    assert "Test region&#x27;s profile names no agency" in card
    assert "For the consultant to add to Test region's profile" in rp.context_markdown(plan)


def test_report_tables_and_timeline():
    from workbench.report import proposals as rp

    plan = plan_for(indicated=("ecosystem_collaboration",), missing=("patents_per_million",))
    roadmap = rp.roadmap_table(plan)
    assert len(roadmap) == len(plan.measures)
    table, sources = rp.kpi_table(plan)
    assert "patents_per_million" not in {k.indicator for p in plan.measures for k in p.results}   # no baseline
    assert set(table["Kind"]) == {"output", "result"} and "to be set" in set(table["Target"])
    assert all(s.startswith("Test dataset") for s in sources)
    instruments, cited = rp.instruments_table(plan)
    assert set(instruments["Period"]) <= {"2021-2027", "2028-2034", "ongoing"} and cited
    fig = rp.timeline_figure(plan)
    assert len(fig.axes[0].patches) == len(plan.measures)
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_the_ten_real_regions_with_different_challenges_get_different_lists(tmp_path):
    from workbench.analysis.assessment import assess
    from workbench.data import load_snapshot
    from workbench.regions import load_profile
    from workbench.report.proposals import load_plan
    from workbench.results import write_result

    snap = load_snapshot()
    ids = region_ids()
    for region in ids:
        payload = assess(snap, load_profile(region)).payload()
        write_result(result_path(tmp_path, region, "assessment"), "assessment", region, payload,
                     data_vintage=snap.vintage)
    plans = {r: load_plan(r, tmp_path) for r in ids}
    challenge_sets = {r: frozenset(w.id for w in p.challenges if w.weight) for r, p in plans.items()}
    assert len(set(challenge_sets.values())) > 1
    for a, b in itertools.combinations(ids, 2):
        if challenge_sets[a] != challenge_sets[b]:
            assert set(plans[a].ids) != set(plans[b].ids), (a, b)
