"""NotebookPool scheduling, with a stand-in for the notebook work (no kernels)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.pipeline.execute import NotebookTask
from workbench.pipeline.manifest import NotebookError, NotebookRecord
from workbench.pipeline.pool import NotebookPool


def _fake_work(task: NotebookTask) -> NotebookRecord:
    if task.label == "cantabria/assessment":
        return task.record("failed", error=NotebookError("ValueError", "no data", 3, "x = load()"))
    return task.record("ok")


def _chains(reports: Path, regions: list[str]) -> list[list[NotebookTask]]:
    return [[NotebookTask(template=Path(f"/templates/{name}.ipynb"), reports_dir=reports, region=region,
                          region_name=region.title(), parameters={}, covers=(region,), run_date="today",
                          cell_timeout=10)
             for name in ("assessment", "proposals")] for region in regions]


def test_a_regions_next_notebook_runs_before_the_next_region_starts(tmp_path):
    records: list[NotebookRecord] = []
    with NotebookPool(1, work=_fake_work) as pool:
        pool.run(_chains(tmp_path, ["saxony", "cantabria", "wallonia"]), records.append)
    assert [(r.label, r.status) for r in records] == [
        ("saxony/assessment", "ok"), ("saxony/proposals", "ok"),
        ("cantabria/assessment", "failed"), ("cantabria/proposals", "skipped"),
        ("wallonia/assessment", "ok"), ("wallonia/proposals", "ok"),
    ]
    assert records[3].error.message == "cantabria/assessment failed"


def test_every_notebook_is_reported_once_with_several_workers(tmp_path):
    records: list[NotebookRecord] = []
    regions = ["saxony", "cantabria", "wallonia", "piemonte", "slovenia"]
    with NotebookPool(2, work=_fake_work) as pool:
        pool.run(_chains(tmp_path, regions), records.append)
    labels = [r.label for r in records]
    assert sorted(labels) == sorted(f"{r}/{n}" for r in regions for n in ("assessment", "proposals"))
    for region in regions:
        assert labels.index(f"{region}/assessment") < labels.index(f"{region}/proposals")


def _report_setting(task: NotebookTask) -> NotebookRecord:
    return task.record("ok", error=NotebookError("setting", os.environ.get("WORKBENCH_PROBE", "unset")))


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_workers_take_the_runs_environment_whenever_their_server_started(tmp_path, monkeypatch, method):
    seen = []
    for value in ("first", "second"):  # a forkserver started for the first pool serves the second
        monkeypatch.setenv("WORKBENCH_PROBE", value)
        records: list[NotebookRecord] = []
        with NotebookPool(1, work=_report_setting, method=method) as pool:
            pool.run(_chains(tmp_path, ["saxony"])[:1], records.append)
        seen.append(records[0].error.message)
    assert seen == ["first", "second"]
