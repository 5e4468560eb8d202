"""The payload models: the ten pilot regions' real payloads fit them unchanged, bad payloads get
problems that name the field, and docs/payload-schema.json is the schema the models generate."""
from __future__ import annotations

import json

import pytest

from workbench import contracts
from workbench.analysis import proposals as ap
from workbench.analysis.assessment import assess
from workbench.data.snapshot_api import load_snapshot
from workbench.regions import load_profile, region_ids
from workbench.report.proposals import strategy_text


@pytest.fixture(scope="module")
def pilot_payloads(categories, catalogue) -> dict[str, dict[str, dict]]:
    """Both payloads of every pilot region, computed from the committed snapshot."""
    snap = load_snapshot()
    out = {}
    for region_id in region_ids():
        profile = load_profile(region_id)
        assessment = assess(snap, profile, categories=categories).payload()
        plan = ap.build_plan(assessment, profile, catalogue=catalogue, snapshot=snap)
        out[region_id] = {"assessment": assessment, "proposals": plan.payload(strategy_text(plan))}
    return out


def test_ten_pilot_regions(pilot_payloads):
    assert len(pilot_payloads) == 10


@pytest.mark.parametrize("kind", list(contracts.PAYLOADS))
def test_pilot_payloads_validate_and_round_trip_byte_identical(pilot_payloads, kind):
    model = contracts.PAYLOADS[kind]
    for region_id, payloads in pilot_payloads.items():
        payload = payloads[kind]
        assert contracts.payload_problems(kind, payload) == [], region_id
        dumped = model.model_validate(payload).model_dump()
        assert json.dumps(dumped, allow_nan=False) == json.dumps(payload, allow_nan=False), region_id


def test_problems_name_the_path_and_reject_coercion(pilot_payloads):
    broken = json.loads(json.dumps(pilot_payloads["saxony"]["proposals"]))
    broken["horizon"]["start"] = "2028"
    broken["measures"][0]["kpis"][0]["baseline"] = True
    broken["measures"][1]["regional"]["gaps"]["items"] = [{"indicator": "x"}]
    del broken["strategy"]
    problems = contracts.payload_problems("proposals", broken)
    assert "payload: missing key 'strategy'" in problems
    assert "payload.horizon.start: Input should be a valid integer, got str" in problems
    assert "payload.measures[0].kpis[0].baseline: expected a finite number or null, got bool" in problems
    assert "payload.measures[1].regional.gaps.items[0]: missing key 'eu_kind'" in problems


def test_committed_schema_is_the_generated_one():
    committed = contracts.SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == contracts.schema_text(), (
        "docs/payload-schema.json differs from the models; regenerate it: python -m workbench.contracts")
