"""The same reports whatever starts the workers (fork, forkserver, spawn) and with or without
the private-API fast path (`WORKBENCH_FAST=0`): one region's real notebooks built four ways."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from workbench.pipeline.kernel import WarmKernel
from workbench.pipeline.start import START_METHOD_SETTING
from workbench.pipeline.runner import RunOutcome, run_reports
from workbench.results import SCHEMA_VERSIONS, read_result, result_path

REGION = "saxony"
BASELINE = ("forkserver", "1")
CHARTS = "assessment charts (PNG)"
VARIANTS = [("spawn", "1"), ("fork", "1"), ("spawn", "0")]  # (start method, WORKBENCH_FAST)


def _build(reports: Path, method: str, fast: str, **kwargs) -> RunOutcome:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(START_METHOD_SETTING, method)
        patch.setenv("WORKBENCH_FAST", fast)
        return run_reports([REGION], reports_dir=reports, jobs=1, progress=False, **kwargs)


def _outputs(outcome: RunOutcome) -> dict[str, object]:
    """What the reports say: the region's result payloads, the summary's tables, the charts."""
    assert outcome.ok, outcome.describe()
    found: dict[str, object] = {kind: read_result(result_path(outcome.reports_dir, REGION, kind), kind)["payload"]
                                for kind in SCHEMA_VERSIONS}
    tables = sorted(outcome.reports_dir.glob("summary_*.csv"))
    assert tables, "the summary wrote no tables"
    found.update({path.name: path.read_text(encoding="utf-8") for path in tables})
    notebook = nbformat.read(outcome.reports_dir / REGION / "assessment.ipynb", as_version=4)
    found[CHARTS] = [output.data["image/png"] for cell in notebook.cells for output in cell.get("outputs", [])
                     if "image/png" in output.get("data", {})]
    assert found[CHARTS], "the assessment shows no chart"
    return found


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return _outputs(_build(tmp_path_factory.mktemp("baseline"), *BASELINE))


@pytest.mark.parametrize("method, fast", VARIANTS, ids=[f"{m}-fast{f}" for m, f in VARIANTS])
def test_a_build_gives_the_same_payloads_and_tables(baseline, tmp_path, method, fast):
    outputs = _outputs(_build(tmp_path / "reports", method, fast))
    assert outputs.keys() == baseline.keys()
    for name, expected in baseline.items():
        if name != CHARTS:
            assert json.dumps(outputs[name], sort_keys=True) == json.dumps(expected, sort_keys=True), name
    if fast == BASELINE[1]:
        assert outputs[CHARTS] == baseline[CHARTS]  # byte for byte
    else:  # the kernels drew text with matplotlib's own path: the switch reached them
        assert len(outputs[CHARTS]) == len(baseline[CHARTS]) and outputs[CHARTS] != baseline[CHARTS]


def test_forked_workers_of_a_process_that_ran_a_notebook_do_not_share_its_event_loop(tmp_path, fixtures_dir):
    """A worker forked from a process whose event loop had run a notebook shared that loop's
    epoll descriptor and spun at full CPU for ever; with pytest-timeout it fails instead."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "own.ipynb")
    warm = WarmKernel("python3")
    try:
        pm.execute_notebook(str(tmp_path / "own.ipynb"), str(tmp_path / "own.out.ipynb"), kernel_name="python3",
                            progress_bar=False, km=warm.acquire())
    finally:
        warm.discard()
    outcome = _build(tmp_path / "reports", "fork", "1", notebooks_dir=fixtures_dir)
    assert outcome.ok, outcome.describe()


def test_an_unknown_start_method_is_a_clear_error(monkeypatch, capsys):
    from workbench.cli import main
    monkeypatch.setenv(START_METHOD_SETTING, "thread")
    assert main(["run", "--region", "saxony"]) == 2
    error = capsys.readouterr().err
    assert "WORKBENCH_START_METHOD='thread' is not a start method" in error and "spawn" in error
