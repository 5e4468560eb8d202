"""Selection, ranking, overrides, KPI targets, timing and the `proposals` payload.

Every assessment here is a constructed payload that follows docs/design.md; its numbers are
test inputs, not data.
"""
from __future__ import annotations

import itertools
import re
import json
from typing import Any

import pytest
from assessment_fakes import profile, series_snapshot
from fake_snapshot import FakeSnapshot

from workbench import templates
from workbench.analysis import proposals as ap
from workbench.concepts import CHALLENGE_IDS, STEP_IDS
from workbench.regions import ProposalOverrides, Target, Timing, load_profile, region_ids
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
                         profile(published=published, **extra), catalogue=templates.load_catalogue(),
                         profile_file="regions/test-region.yaml")


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


def test_unknown_measure_in_overrides_names_id_and_file(catalogue):
    region = profile(proposals={"drop": ["foo"], "add": ["bar"], "targets": {"gdp_per_unicorn": {"value": 1, "year": 2027}}})
    problems = ap.override_problems(region, "regions/saxony.yaml", catalogue=catalogue)
    assert problems[0].startswith("regions/saxony.yaml: proposals.add: unknown measure 'bar'; known: evidence_base")
    assert any(p.startswith("regions/saxony.yaml: proposals.drop: unknown measure 'foo'") for p in problems)
    assert any("proposals.targets: unknown indicator 'gdp_per_unicorn'" in p for p in problems)
    with pytest.raises(ap.ProposalError, match="proposals.drop: unknown measure 'foo'"):
        ap.build_plan(make_assessment(), region, catalogue=catalogue, profile_file="regions/saxony.yaml")


def test_default_file_in_messages_is_the_profile_path(catalogue):
    problems = ap.override_problems(profile(proposals={"drop": ["foo"]}), catalogue=catalogue)
    assert problems[0].startswith("regions/test-region.yaml: proposals.drop: unknown measure 'foo'")


def test_conflicting_and_out_of_horizon_overrides_are_reported(catalogue):
    region = profile(proposals={"add": ["sme_export_groups"], "drop": ["sme_export_groups"],
                                "timing": {"sme_export_groups": {"start": 2019, "end": 2022}}})
    problems = ap.override_problems(region, catalogue=catalogue)
    assert any("both name 'sme_export_groups'" in p for p in problems)
    assert any("2019-2022 lies outside the horizon 2028-2034" in p for p in problems)


def test_overrides_of_measures_or_kpis_not_in_the_list_fail_loudly():
    with pytest.raises(ap.ProposalError, match="proposals.priority: measure 'sme_export_groups' is not in the proposal list"):
        plan_for(overrides={"priority": {"sme_export_groups": 1}})
    with pytest.raises(ap.ProposalError, match="proposals.targets: indicator 'population' is not a KPI"):
        plan_for(overrides={"targets": {"population": {"value": 1, "year": 2027}}})


def test_assessment_of_another_region_is_refused(catalogue):
    with pytest.raises(ap.ProposalError, match="assessment is of region 'elsewhere'"):
        ap.build_plan(make_assessment(region_id="elsewhere"), profile(), catalogue=catalogue)


def test_real_profiles_have_valid_overrides(catalogue):
    for region_id in region_ids():
        assert ap.override_problems(load_profile(region_id), catalogue=catalogue) == [], region_id


# ---- KPIs -------------------------------------------------------------------------------------

def test_kpi_baseline_traces_to_the_assessment_entry(catalogue):
    assessment = make_assessment(indicated=("research_innovation_access",))
    plan = ap.build_plan(assessment, profile(), catalogue=catalogue)
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
    snap = series_snapshot({"productivity": {"AA11": {2018: 55000.0, 2019: 56000.0}}},
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


def test_the_ten_real_regions_with_different_challenges_get_different_lists(tmp_path, categories):
    from workbench.analysis.assessment import assess
    from workbench.data import load_snapshot
    from workbench.regions import load_profile
    from workbench.report.proposals import load_plan
    from workbench.results import write_result

    snap = load_snapshot()
    ids = region_ids()
    for region in ids:
        payload = assess(snap, load_profile(region), categories=categories).payload()
        write_result(result_path(tmp_path, region, "assessment"), "assessment", region, payload,
                     data_vintage=snap.vintage)
    plans = {r: load_plan(r, tmp_path) for r in ids}
    challenge_sets = {r: frozenset(w.id for w in p.challenges if w.weight) for r, p in plans.items()}
    assert len(set(challenge_sets.values())) > 1
    for a, b in itertools.combinations(ids, 2):
        if challenge_sets[a] != challenge_sets[b]:
            assert set(plans[a].ids) != set(plans[b].ids), (a, b)


# ---- horizon, outputs, result targets ---------------------------------------------------------

def test_a_plan_cannot_start_before_the_run_year(catalogue):
    region = profile(proposals={"horizon": {"start": 2021, "end": 2027}})
    problems = ap.override_problems(region, "regions/saxony.yaml", year=2026, catalogue=catalogue)
    assert any(p.startswith("regions/saxony.yaml: proposals.horizon.start: 2021 is before the run year 2026")
               for p in problems)
    with pytest.raises(ap.ProposalError, match="proposals.horizon.start"):
        ap.build_plan(make_assessment(), region, catalogue=catalogue, year=2026)
    plan = plan_for(indicated=("ecosystem_collaboration",))
    assert plan.horizon.start >= plan.run_year == ap.run_year()
    assert all(p.start >= plan.run_year for p in plan.measures)


def test_the_default_horizon_never_starts_in_the_past():
    default = ProposalOverrides()
    spans = {year: ap.plan_horizon(default, year) for year in (2026, 2030, 2036)}
    assert {y: (h.start, h.end) for y, h in spans.items()} == {2026: (2028, 2034), 2030: (2030, 2034),
                                                               2036: (2036, 2041)}
    chosen = ProposalOverrides(horizon=Timing(start=2027, end=2033))
    assert ap.plan_horizon(chosen, 2026) == Timing(start=2027, end=2033)


def test_output_overrides_are_validated_with_field_names(catalogue):
    region = profile(proposals={"outputs": {"foo": {"x": 1}, "evidence_base": {"reports": 2}}})
    problems = ap.override_problems(region, "regions/saxony.yaml", catalogue=catalogue)
    assert any("proposals.outputs: unknown measure 'foo'" in p for p in problems)
    assert any("proposals.outputs.evidence_base: unknown output 'reports'; outputs of this measure: "
               "stakeholder workshops held" in p for p in problems)
    with pytest.raises(ap.ProposalError, match="proposals.outputs: measure 'sme_export_groups' is not in the proposal"):
        plan_for(overrides={"outputs": {"sme_export_groups": {"export groups formed": 3}}})


def _gap(value, eu, direction="higher_better", peers=(), decile=None):
    from workbench.analysis.proposal_evidence import Gap, PeerValue

    return Gap("x", "X", "%", direction, value, 2019, eu, "EU-27", 40.0, 240, "s",
               tuple(PeerValue(f"P{i}", f"Peer {i}", v, 2019) for i, v in enumerate(peers)), decile)


@pytest.mark.parametrize("gap, target, rule", [
    (_gap(30.0, 33.0), 31.0, "close 1/3 of the gap to the EU-27 reference (33.0)"),
    (_gap(9.0, 6.0, "lower_better"), 8.0, "close 1/3 of the gap to the EU-27 reference (6.00)"),
    (_gap(40.0, 33.0, peers=(37.0, 46.0)), 42.0, "close 1/3 of the gap to the best peer, Peer 1 (46.0)"),
    (_gap(40.0, 33.0, peers=(37.0,)), 42.0, "ahead of the EU-27 reference and of every peer: raise by 5%"),
    (_gap(40.0, 33.0, decile=41.0), 41.0, "raise by 5%, capped at the best EU-27 decile (41.0 in 2019)"),
    (_gap(45.0, 33.0, decile=41.0), 45.0, "already in the best EU-27 decile (threshold 41.0 in 2019): hold the level"),
    (_gap(None, 33.0), None, "no baseline in the data: no target"),
    (_gap(20.0, 22.0, "neutral"), None, "neutral indicator: monitored, no target"),
])
def test_result_target_rule(gap, target, rule):
    got, why = ap.result_target(gap)
    assert why.endswith(rule) or why == rule, why
    assert got == pytest.approx(target) if target is not None else got is None


def test_results_are_at_most_two_worst_first():
    plan = plan_for(indicated=("research_innovation_access",))
    for p in plan.measures:
        assert len(p.results) <= 2
        assert {r.indicator for r in p.results} <= set(p.measure.kpis)
    bridge = next(p for p in plan.measures if p.measure.id == "research_business_bridge")
    # BERD 1.0 vs 1.5 (-33 %), patents 80 vs 100 (-20 %), R&D personnel 1.1 vs 1.3 (-15 %)
    assert [r.indicator for r in bridge.results] == ["rd_business_pct_gdp", "patents_per_million"]


# ---- clusters and context ---------------------------------------------------------------------

def _sector(nace, employment, stars, category="manufacturing", **extra):
    return {"nace": nace, "label": f"Sector {nace}", "category": category, "year": 2014, "employment": employment,
            "share": 1.0, "lq": 1.5, "growth_pct": 2.0, "growth_years": "2010-2014",
            "stars": {"eco": 0, "eocic": stars, "us": 0}, **extra}


def test_clusters_fall_back_on_categories_and_eocic_stars():
    from workbench.analysis import proposal_evidence as ev

    assessment = {"sectors": [_sector("G47", 90000.0, 3, category="local_retail"), _sector("C28", 1000.0, 1),
                              _sector("C29", 500.0, 2), _sector("C10", None, 3)]}
    assert [c.nace for c in ev.traded_clusters(assessment)] == ["C29", "C28"]   # local and no-data rows left out


def test_clusters_use_traded_suspect_and_headline_stars_when_present():
    from workbench.analysis import proposal_evidence as ev

    assessment = {"sectors": [_sector("G47", 90000.0, 3, category="local_retail", traded=True, suspect="", headline_stars=1),
                              _sector("C28", 1000.0, 1, traded=True, suspect="", headline_stars=3),
                              _sector("C29", 500.0, 3, traded=True, suspect="confidential in 2 of 3 parts",
                                      headline_stars=0),
                              _sector("C26", 800.0, 0, traded=False, suspect="", headline_stars=0)],
                  "clusters": {"emerging": ["G47"]}}
    clusters = ev.traded_clusters(assessment)
    assert [c.nace for c in clusters] == ["C28", "G47"]
    assert [c.nace for c in ev.emerging(assessment, clusters)] == ["G47"]


CONTEXT = {"cluster_organisations": [{"name": "Machinery Cluster Testland", "nace": ["C28"],
                                      "source": "Test registry of cluster organisations, 2025"}],
           "agencies_programmes": [{"name": "Testland Innovation Agency", "source": "Test annual report, 2025"}],
           "just_transition_territories": [{"name": "Test Valley", "source": "Test just transition plan, 2022"}]}


def test_context_is_used_by_name_in_the_measures(catalogue):
    from workbench.report import proposals as rp

    with_context = ap.build_plan(make_assessment(indicated=("value_added_productivity",)),
                                 profile(context=CONTEXT), catalogue=catalogue,
                                 profile_file="regions/test-region.yaml")
    cards = "\n".join(rp.measure_markdown(with_context, p, i) for i, p in enumerate(with_context.measures, 1))
    assert "Named in the profile for these sectors: Machinery Cluster Testland" in cards
    assert "Testland Innovation Agency" in cards
    assert "Test registry of cluster organisations, 2025" in rp.context_markdown(with_context)
    assert any(i.id == "jtf" for p in with_context.measures for i in p.funding)
    without = plan_for(indicated=("value_added_productivity",))
    assert not any(i.id == "jtf" for p in without.measures for i in p.funding)
    assert "names no cluster organisation for machinery" in without.measures[0].regional.texts["clusters"]


def test_context_entries_need_a_source_and_valid_nace(tmp_path):
    from workbench.regions import ProfileError

    text = (ap.paths.REGIONS_DIR / "saxony.yaml").read_text(encoding="utf-8")
    bad = text.replace("    nace: [C29]\n", "    nace: [motor cars]\n", 1)
    path = tmp_path / "saxony.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"context.cluster_organisations.2.nace.*'motor cars' is not a NACE"):
        load_profile(path)
    path.write_text(text.replace("context:\n", "context:\n  rumours: []\n"), encoding="utf-8")
    with pytest.raises(ProfileError, match="field 'context.rumours' is not a known field; allowed here: agencies_programmes"):
        load_profile(path)


def test_instruments_of_the_plan_are_for_its_horizon():
    plan = plan_for(indicated=CHALLENGE_IDS)
    named = [i for p in plan.measures for i in p.funding]
    assert named and all(not i.history and i.status for i in named)
    assert all(plan.catalogue.source(i.source).url.startswith("https://") for i in named)
    history = {i.name for i in plan.catalogue.instruments if i.history}
    assert not history & {n for m in plan.payload("s")["measures"] for n in m["instruments"]}


# ---- the real snapshot: two regions' pages ----------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def page_markdown(region_id: str, reports_dir, monkeypatch) -> str:
    """Every markdown text the proposals notebook shows for a region (its markdown cells and the
    Markdown its code cells display), by running the notebook's own cells."""
    import nbformat
    from IPython.display import Markdown

    from workbench import paths
    from workbench.report import proposals as rp
    from workbench.report import style

    shown: list[str] = []

    def capture(*objects, **_):
        shown.extend(o.data for o in objects if isinstance(o, Markdown))

    monkeypatch.setattr(rp, "display", capture)
    monkeypatch.setattr(style, "display", capture)
    monkeypatch.setattr(rp, "show_figure", lambda *a, **k: None)
    namespace = {"region_id": region_id, "reports_dir": str(reports_dir)}
    for cell in nbformat.read(paths.NOTEBOOKS_DIR / "proposals.ipynb", as_version=4).cells:
        if cell.cell_type == "markdown":
            shown.append(cell.source)
        elif "parameters" not in cell.metadata.get("tags", []):
            exec(cell.source, namespace)  # noqa: S102 - the project's own notebook template
    return "\n\n".join(shown)


def main_flow_sentences(markdown: str) -> list[str]:
    """Sentences of the page's main flow: the collapsed appendix (<details>) is left out, tags and
    markdown marks removed, split at sentence ends and line breaks; fragments under 3 words dropped."""
    import html

    markdown = re.sub(r"<details>.*?</details>", " ", markdown, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>|[*#`]", "", markdown))
    return [" ".join(p.split()) for p in SENTENCE_END.split(text) if len(p.split()) >= 3]


def shared_share(a: list[str], b: list[str]) -> float:
    """Share of the sentences of `a` that also appear in `b`."""
    other = set(b)
    return sum(s in other for s in a) / len(a)


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory, categories):
    from workbench.analysis.assessment import assess
    from workbench.data import load_snapshot

    snap = load_snapshot()
    folder = tmp_path_factory.mktemp("reports")
    for region in ("saxony", "lithuania"):
        payload = assess(snap, load_profile(region), categories=categories).payload()
        write_result(result_path(folder, region, "assessment"), "assessment", region, payload, data_vintage=snap.vintage)
    return folder


def test_two_real_regions_pages_share_at_most_15_percent_of_sentences(real_reports, monkeypatch):
    pages = {r: main_flow_sentences(page_markdown(r, real_reports, monkeypatch)) for r in ("saxony", "lithuania")}
    assert min(map(len, pages.values())) > 100
    assert shared_share(pages["saxony"], pages["lithuania"]) <= 0.15
    assert shared_share(pages["lithuania"], pages["saxony"]) <= 0.15


def test_every_real_measure_names_the_regions_clusters_or_gaps_with_numbers(real_reports):
    from workbench.analysis.proposal_evidence import num
    from workbench.report.proposals import load_plan

    for region in ("saxony", "lithuania"):
        plan = load_plan(region, real_reports)
        for p in plan.measures:
            texts = p.regional.texts
            cluster_named = any(f"({c.nace}: {c.employment:,.0f} jobs in {c.year}" in texts["clusters"]
                                for c in p.regional.clusters)
            gap_named = any(num(g.value, g.eu) in texts["gaps"] and g.label[1:] in texts["gaps"]
                            for g in p.regional.gaps)
            assert cluster_named or gap_named, (region, p.measure.id)
            assert plan.region["name"] in texts["why"]


def test_no_roadmap_date_before_the_run_year(real_reports):
    from workbench.report.proposals import load_plan, roadmap_table

    for region in ("saxony", "lithuania"):
        plan = load_plan(region, real_reports)
        years = [int(y) for span in roadmap_table(plan)["Years"] for y in span.split("-")]
        assert years and min(years) >= plan.run_year and max(years) <= plan.horizon.end
        payload = plan.payload("s")
        assert payload["horizon"]["start"] >= payload["horizon"]["run_year"]
        assert all(k["target_year"] is None or k["target_year"] >= plan.run_year
                   for m in payload["measures"] for k in m["results"])


def test_weakest_dimensions_rank_with_peers_or_take_the_payload_rank():
    from workbench.analysis.proposal_evidence import weakest_dimensions

    board = {"dimensions": [{"id": "a", "label": "A", "score": 0.2, "indicators": [{"id": "x"}]},
                            {"id": "b", "label": "B", "score": 0.5, "indicators": []},
                            {"id": "c", "label": "C", "score": 0.6, "indicators": []},
                            {"id": "d", "label": "D", "score": None, "indicators": []}],
             "peer_scores": {"P1": {"a": 0.4, "b": 0.3, "c": 0.7}, "P2": {"a": 0.5, "b": 0.4, "c": 0.8}}}
    weak = weakest_dimensions({"scoreboard": board})
    assert [(d.id, d.rank, d.n_ranked) for d in weak] == [("a", 3, 3), ("c", 3, 3)]   # b ranks first: left out
    assert weak[0].text() == "A (score 0.20 on the 0-1 scale, rank 3 of 3 with its peers; peers 0.40-0.50)"
    board["dimensions"][1].update(rank=200, n_ranked=240)
    assert [d.id for d in weakest_dimensions({"scoreboard": board})] == ["a", "b", "c"]
