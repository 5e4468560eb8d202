"""The measures catalogue: schema, references to challenges, steps, indicators, provenance."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from workbench import paths, templates
from workbench.analysis import proposals as ap
from workbench.analysis.indicators import KEY_INDICATORS
from workbench.concepts import CHALLENGE_IDS, STEP_IDS


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(templates.CATALOGUE_FILE.read_text(encoding="utf-8"))


def _error(raw: dict) -> str:
    with pytest.raises(ap.CatalogueError) as caught:
        ap.parse_catalogue(raw, "templates/measures.yaml")
    return str(caught.value)


def test_catalogue_loads_with_enough_measures():
    catalogue = templates.load_catalogue()
    assert len(catalogue.measures) >= ap.MIN_MEASURES >= 25
    assert {m.step for m in catalogue.measures} == set(STEP_IDS)
    assert {c for m in catalogue.measures for c in m.challenges} == set(CHALLENGE_IDS)


def test_every_field_of_every_measure_is_filled():
    for m in templates.load_catalogue().measures:
        for field in ("title", "description", "cluster_role", "benefits", "costs", "risks"):
            assert getattr(m, field).strip(), (m.id, field)
        assert m.actors and m.instruments and m.kpis and m.sources, m.id


def test_selection_invariants_hold():
    catalogue = templates.load_catalogue()
    for cid in CHALLENGE_IDS:
        assert any(m.challenges == (cid,) for m in catalogue.measures), cid
    backbone = [m for m in catalogue.measures if m.always]
    assert "understand" in {m.step for m in backbone}
    assert {"implement", "adapt"} & {m.step for m in backbone}


def test_kpis_are_key_indicators_of_the_assessment():
    """Baselines come from the assessment's indicator entries, so every KPI must be one of them."""
    kpis = {k for m in templates.load_catalogue().measures for k in m.kpis}
    assert kpis <= set(KEY_INDICATORS), kpis - set(KEY_INDICATORS)


def test_named_seed_files_exist():
    root = paths.PROJECT_DIR.parent
    if not (root / "shared").is_dir():
        pytest.skip("shared/ folder not present")
    for source in templates.load_catalogue().sources:
        assert source.file or source.url.startswith("https://"), source.id
        if source.file:
            assert (root / source.file.split(" (")[0]).is_file(), source.file


def test_instruments_named_in_the_sources_are_there():
    names = " ".join(i.name for i in templates.load_catalogue().instruments)
    for expected in ("ESCP-4i", "ESCP-S3", "European Cluster Excellence Programme",
                     "Cluster Internationalisation Programme for SMEs", "INNOSUP",
                     "Blueprint for sectoral cooperation on skills", "Digital Skills and Jobs Coalition",
                     "Digital innovation hubs"):
        assert expected in names, expected


@pytest.mark.parametrize("field, value", [("kpis", ["gdp_per_unicorn"]), ("challenges", ["climate"]),
                                          ("step", "dream"), ("instruments", ["marshall_plan"]),
                                          ("sources", ["hearsay"])])
def test_unknown_reference_is_rejected_with_measure_field_and_value(raw, field, value):
    bad = copy.deepcopy(raw)
    bad["measures"][3][field] = value
    message = _error(bad)
    shown = value if isinstance(value, str) else value[0]
    assert f"measure {raw['measures'][3]['id']!r}: field {field!r}: unknown value {shown!r}" in message
    assert "templates/measures.yaml" in message


@pytest.mark.parametrize("indicator, why", [("sbs_persons_employed", "has a sector (NACE) dimension"),
                                            ("population", "is a count total")])
def test_kpi_must_be_an_intensive_region_indicator(raw, indicator, why):
    bad = copy.deepcopy(raw)
    bad["measures"][2]["kpis"] = [indicator]
    assert f"measure {raw['measures'][2]['id']!r}: field 'kpis': indicator {indicator!r} {why}" in _error(bad)


def test_unknown_key_is_rejected(raw):
    bad = copy.deepcopy(raw)
    bad["measures"][0]["budget"] = "lots"
    message = _error(bad)
    assert f"measure {raw['measures'][0]['id']!r}: field 'budget' is not a known field" in message


def test_missing_field_is_rejected(raw):
    bad = copy.deepcopy(raw)
    del bad["measures"][5]["risks"]
    assert f"measure {raw['measures'][5]['id']!r}: field 'risks' is missing" in _error(bad)


def test_duplicate_ids_and_too_few_measures_are_rejected(raw):
    bad = copy.deepcopy(raw)
    bad["measures"] = bad["measures"][:20] + [bad["measures"][1]]
    message = _error(bad)
    assert f"measure id {raw['measures'][1]['id']!r} is used more than once" in message
    assert "at least 25 needed" in message


def test_empty_challenges_only_for_backbone(raw):
    bad = copy.deepcopy(raw)
    index = next(i for i, m in enumerate(bad["measures"]) if not m.get("always"))
    bad["measures"][index]["challenges"] = []
    assert "only 'always' measures may leave it empty" in _error(bad)


def test_missing_dedicated_measure_is_rejected(raw):
    bad = copy.deepcopy(raw)
    bad["measures"] = [m for m in bad["measures"] if m["challenges"] != ["cluster_management"]]
    bad["measures"] += copy.deepcopy(raw["measures"][1:10])
    for i, m in enumerate(bad["measures"][-9:]):
        m["id"] = f"filler_{i}"
    assert "no measure addresses only 'cluster_management'" in _error(bad)


def test_invalid_yaml_file_is_reported(tmp_path: Path):
    path = tmp_path / "measures.yaml"
    path.write_text("measures: [unclosed\n", encoding="utf-8")
    with pytest.raises(ap.CatalogueError, match="cannot read the file"):
        templates.load_catalogue(path)
