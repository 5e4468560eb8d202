"""The summary report end to end on constructed result documents (docs/design.md payloads).

Covers the run status (failed in the manifest, absent JSON), a run of 3 regions, the CSV
exports, the tolerant manifest reader, every display function, and the summary notebook.
"""
from __future__ import annotations

import inspect
import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from workbench import paths
from workbench.concepts import CHALLENGE_IDS, STEP_IDS
from workbench.regions import load_profiles
from workbench.report import style, summary
from workbench.results import result_path, write_result

matplotlib.use("Agg")
ALL = [p.id for p in load_profiles()]
THREE = ["cantabria", "saxony", "slovenia"]
INDICATORS = {  # id: (label, unit, direction, EU value); values vary by region below
    "population": ("Population", "persons", "neutral", None),
    "gdp_pps_per_head": ("GDP per inhabitant", "PPS", "higher_better", 30000.0),
    "gdp_pps_per_head_index": ("GDP per inhabitant, EU-27 = 100", "index", "higher_better", 100.0),
    "productivity": ("GDP per person employed", "PPS", "higher_better", 65000.0),
    "industry_employment_share": ("Employment in industry", "%", "neutral", 18.0),
    "rd_expenditure_pct_gdp": ("GERD", "% of GDP", "higher_better", 2.2),
    "tertiary_attainment_pct": ("Tertiary attainment", "% of 25-64", "higher_better", 32.0),
    "lifelong_learning_pct": ("Lifelong learning", "% of 25-64", "higher_better", 11.0),
    "unemployment_rate": ("Unemployment rate", "%", "lower_better", 6.5),
    "broadband_households_pct": ("Broadband households", "%", "higher_better", 88.0),
    "daily_internet_users_pct": ("Daily internet users", "%", "higher_better", 75.0),
}
RULE_INDICATORS = {"research_innovation_access": ["rd_expenditure_pct_gdp"],
                   "ecosystem_collaboration": ["tertiary_attainment_pct"],
                   "value_added_productivity": ["productivity"],
                   "cluster_management": ["industry_employment_share"],
                   "entrepreneurial_dynamics": ["unemployment_rate"]}


def _indicator(ind: str, k: int) -> dict:
    label, unit, direction, eu = INDICATORS[ind]
    value = 1_000_000.0 * (k + 1) if ind == "population" else (eu or 10.0) * (0.7 + 0.07 * k)
    return {"id": ind, "label": label, "unit": unit, "direction": direction, "year": 2018,
            "value": value, "national": None, "eu": eu, "n_regions": 240, "method": "reported", "flag": "",
            "percentile": None if ind == "population" else 10.0 * k, "source": f"Eurostat test_{ind}, 2018"}


def assessment_payload(region: str, verdicts: dict[str, str]) -> dict:
    """An assessment payload with the design's fields; region k gets values growing with k."""
    profile = next(p for p in load_profiles([region]))
    k = ALL.index(region)
    return {
        "region": {"id": region, "name": profile.name, "country": profile.country,
                   "country_name": profile.country_name, "code": profile.nuts.code,
                   "level": profile.nuts.level, "parts": list(profile.nuts.parts),
                   "composition": profile.nuts.composition},
        "indicators": [_indicator(ind, k) for ind in INDICATORS],
        "sectors": [{"nace": f"C{20 + s}", "label": f"sector {s}",
                     "stars": {"eco": s % 4, "eocic": (s + k) % 3, "us": s % 2}} for s in range(4)],
        "sector_source": "Eurostat sbs_r_nuts06_r2, 2014",
        "scoreboard": {"dimensions": [], "peers": [], "peer_scores": {}},
        "challenges": [{"id": cid, "label": cid, "verdict": verdicts.get(cid, "not_indicated"), "rule": f"rule {cid}",
                        "evidence": [{"indicator": ind, "label": INDICATORS[ind][0], "value": 1.0, "year": 2018,
                                      "benchmark": "eu", "benchmark_value": 2.0, "test": "value < EU",
                                      "met": verdicts.get(cid) == "indicated", "source": f"Eurostat test_{ind}, 2018"}
                                     for ind in RULE_INDICATORS[cid]],
                        "published": False, "agreement": None} for cid in CHALLENGE_IDS],
        "swot": {"strengths": [], "weaknesses": [], "opportunities": [], "threats": []},
    }


def proposals_payload(region: str) -> dict:
    k = ALL.index(region)
    measures = [{"id": f"m_{s}_{j}", "title": f"{'Cluster' if j == 0 else 'Regional'} measure {s} {j}",
                 "step": s, "challenges": [], "priority": 1 + j, "score": 1.0, "reason": "r", "start": 2021,
                 "end": 2023, "instruments": ["ERDF"], "kpis": []}
                for s in STEP_IDS for j in range(1 + (k + STEP_IDS.index(s)) % 2)]
    return {"region": {"id": region}, "horizon": {"start": 2021, "end": 2027}, "strategy": "s", "measures": measures}


def write_run(reports_dir: Path, regions: list[str], proposals: bool = True) -> None:
    """Write assessment (and proposals) results; every third region has 'ecosystem' indicated."""
    for region in regions:
        verdicts = {"ecosystem_collaboration": "indicated" if ALL.index(region) % 3 == 0 else "not_indicated",
                    "cluster_management": "insufficient_data"}
        write_result(result_path(reports_dir, region, "assessment"), "assessment", region,
                     assessment_payload(region, verdicts), "test vintage")
        if proposals:
            write_result(result_path(reports_dir, region, "proposals"), "proposals", region,
                         proposals_payload(region), "test vintage")


def test_all_ten_regions_give_every_table(tmp_path):
    write_run(tmp_path, ALL)
    data = summary.load(ALL, tmp_path)
    assert set(data.status["assessment"]) == {"ok"}
    assert len(data.tables["characteristics"]) == 10
    assert len(data.tables["challenge_matrix"]) == 50
    assert data.tables["similarity_groups"]["group"].nunique() == 3
    assert not data.tables["peer_pairs"].empty and data.tables["peer_pairs"]["reason"].str.len().min() > 20
    assert set(data.tables["themes"]["theme"]) == {"skills", "digitalisation"}
    sentence = summary.agreement_sentence(data)
    assert "Cohen's kappa is" in sentence and "Chance alone" in sentence
    calibration = data.tables["calibration"]
    assert calibration["indicated_pct"].between(15, 60).all()  # the rules on all EU NUTS 2 regions
    assert calibration["run_with_verdict"].max() <= 10


def test_failed_notebook_in_manifest_is_listed_with_its_reason(tmp_path):
    write_run(tmp_path, ["cantabria", "saxony"])
    manifest = {"notebooks": [
        {"region": "cantabria", "notebook": "assessment", "status": "ok"},
        {"region": "piemonte", "notebook": "notebooks/assessment.ipynb", "status": "failed",
         "error": {"name": "KeyError", "message": "'gdp_meur'"}, "failing_cell": 7},
        {"region": "piemonte", "notebook": "proposals", "status": "skipped"},
    ]}
    (tmp_path / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    data = summary.load(["cantabria", "piemonte", "saxony"], tmp_path)
    status = data.status.set_index("region")
    assert status.at["piemonte", "assessment"] == "missing: assessment notebook failed - KeyError: 'gdp_meur' (cell 7)"
    assert status.at["piemonte", "proposals"].startswith("missing: proposals notebook skipped")
    assert status.at["saxony", "assessment"] == "ok"
    matrix = data.tables["challenge_matrix"].set_index(["region", "challenge"])
    assert (matrix.loc["piemonte", "verdict"] == "missing").all()


def test_absent_result_without_manifest_is_missing(tmp_path):
    write_run(tmp_path, ["cantabria"])
    data = summary.load(["cantabria", "wallonia"], tmp_path)
    status = data.status.set_index("region")
    assert status.at["wallonia", "assessment"] == "missing: no assessment result found"
    assert list(data.assessments) == ["cantabria"]


def test_a_run_of_three_regions_keeps_the_full_published_lists(tmp_path):
    write_run(tmp_path, THREE)
    data = summary.load(THREE, tmp_path)
    matrix = data.tables["challenge_matrix"]
    assert len(matrix) == 50 and set(matrix[~matrix["in_run"]]["verdict"]) == {"not_in_run"}
    lists = data.tables["published_lists"].set_index("challenge")
    ecosystem = lists.at["ecosystem_collaboration", "listed_by_eocic"]
    assert lists.at["ecosystem_collaboration", "n_listed"] == 7
    assert "Wallonia (not in this run)" in ecosystem.split(", ")
    assert "Saxony" in ecosystem.split(", ")
    assert len(data.tables["characteristics"]) == 3
    assert data.tables["similarity_groups"]["group"].nunique() == 1


def test_csv_exports_are_written_and_readable(tmp_path):
    write_run(tmp_path, THREE)
    written = summary.export_tables(summary.load(THREE, tmp_path))
    assert [p.name for p in written] == [f"summary_{n}.csv" for n in summary.EXPORTS]
    matrix = pd.read_csv(tmp_path / "summary_challenge_matrix.csv")
    assert list(matrix.columns) == ["region", "name", "challenge", "challenge_label", "in_run", "published",
                                    "verdict", "agreement"]
    assert len(matrix) == 50
    pairs = pd.read_csv(tmp_path / "summary_peer_pairs.csv")
    assert {"challenge", "kind", "region", "partner", "reason"} <= set(pairs.columns)
    status = pd.read_csv(tmp_path / "summary_run_status.csv")
    assert list(status.columns) == ["region", "name", "assessment", "proposals"]
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("document", [
    [{"region_id": "saxony", "kind": "assessment", "status": "FAILED", "error_name": "ValueError",
      "error_message": "bad", "cell": 3}],
    {"runs": [{"region": "saxony", "name": "assessment.ipynb", "status": "failed",
               "error": {"ename": "ValueError", "evalue": "bad"}, "cell_index": 3, "extra": 1}]},
])
def test_manifest_reader_accepts_the_documented_shapes(tmp_path, document):
    (tmp_path / "run.json").write_text(json.dumps(document), encoding="utf-8")
    row = summary.read_manifest(tmp_path).iloc[0]
    assert (row["region"], row["notebook"], row["status"]) == ("saxony", "assessment", "failed")
    assert (row["error_name"], row["error_message"], row["failing_cell"]) == ("ValueError", "bad", 3)


def test_manifest_reader_treats_an_unreadable_manifest_as_absent(tmp_path):
    (tmp_path / "run.json").write_text("{not json", encoding="utf-8")
    assert summary.read_manifest(tmp_path) is None


def test_every_cell_method_shows_something_and_returns_nothing(tmp_path, monkeypatch):
    write_run(tmp_path, THREE, proposals=False)
    report = summary.load(THREE + ["wallonia"], tmp_path)
    shown: list = []
    monkeypatch.setattr(summary, "display", lambda obj, raw=False, metadata=None: shown.append(obj))
    monkeypatch.setattr(style, "display", lambda obj, raw=False, metadata=None: shown.append(obj))  # tables
    cells = [n for n, f in vars(summary.SummaryReport).items() if inspect.isfunction(f) and not n.startswith("_")]
    assert len(cells) > 15
    for name in cells:
        before = len(shown)
        assert getattr(report, name)() is None
        assert len(shown) > before, name
    texts = [getattr(o, "data", "") for o in shown]
    assert any("Wallonia (missing: no assessment result found)" in t for t in texts)
    assert any("no proposals result" in t for t in texts)
    assert not matplotlib.pyplot.get_fignums()


NOTEBOOK = paths.NOTEBOOKS_DIR / "summary.ipynb"


def test_summary_notebook_runs_on_three_regions(tmp_path):
    papermill = pytest.importorskip("papermill")
    write_run(tmp_path, THREE)
    out = tmp_path / "summary.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"region_ids": THREE, "reports_dir": str(tmp_path)},
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    text = out.read_text(encoding="utf-8")
    assert "<Figure" not in text and "Traceback" not in text
    assert (tmp_path / "summary_challenge_matrix.csv").is_file()
