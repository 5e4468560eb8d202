"""run_reports with the fixture templates: failures are collected, the run goes on."""
from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from workbench.pipeline import execute
from workbench.pipeline.kernel import WarmKernel
from workbench.pipeline.render import RenderError, report_html, report_problems
from workbench.pipeline.runner import TemplateError, run_reports
from workbench.results import read_result, result_path


def _statuses(outcome) -> dict[str, str]:
    return {record.label: record.status for record in outcome.records}


def test_a_failing_region_does_not_stop_the_others(fixture_run):
    assert _statuses(fixture_run.outcome) == {
        "saxony/assessment": "ok", "saxony/proposals": "ok",
        "wallonia/assessment": "ok", "wallonia/proposals": "ok",
        "cantabria/assessment": "failed", "cantabria/proposals": "skipped",
        "summary": "ok",
    }
    assert not fixture_run.outcome.ok
    for region in ("saxony", "wallonia"):
        proposals = read_result(result_path(fixture_run.reports, region, "proposals"), "proposals")
        assert proposals["payload"]["region"]["id"] == region


def test_describe_ends_with_region_notebook_cell_and_error_of_each_failure(fixture_run):
    text = fixture_run.outcome.describe()
    assert text.startswith("5 of 7 notebooks ok (1 failed, 1 skipped)")
    assert text.splitlines()[-2:] == [
        f"  cantabria: {fixture_run.reports / 'cantabria' / 'assessment.ipynb'}",
        '    ValueError: no employment data for cantabria (cell 3: if region_id == "cantabria":)',
    ]


def test_manifest_gives_the_summary_each_failure_with_its_reason(fixture_run):
    manifest = fixture_run.manifest()
    failed = [n for n in manifest["notebooks"] if n["status"] == "failed"]
    assert failed == [{
        "region": "cantabria", "region_name": "Cantabria", "notebook": "assessment",
        "status": "failed", "seconds": failed[0]["seconds"],
        "data_vintage": "fixture snapshot 2026-01-01",
        "notebook_path": "cantabria/assessment.ipynb", "html_path": None,
        "error": {"name": "ValueError", "message": "no employment data for cantabria",
                  "cell_index": 3, "cell_source": 'if region_id == "cantabria":'},
        "reused": False, "reason": "re-executed: no complete earlier output",
    }]
    assert manifest["finished_at"] is not None
    # The summary ran after the regions and read the manifest written so far.
    assert "cantabria: ValueError" in (fixture_run.reports / "summary.html").read_text()


def test_failed_notebook_is_kept_for_debugging_but_gets_no_report(fixture_run):
    folder = fixture_run.reports / "cantabria"
    executed = nbformat.read(folder / "assessment.ipynb", as_version=4)
    errors = [o for cell in executed.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert [e.evalue for e in errors] == ["no employment data for cantabria"]
    assert sorted(p.name for p in folder.iterdir()) == ["assessment.ipynb"]


def test_outputs_are_moved_into_place_without_leftovers(fixture_run):
    hidden = [p for p in fixture_run.reports.rglob("*") if p.name.startswith(".")]
    stamps = [p for p in hidden if p.name.endswith(".inputs.json")]  # incremental builds' input stamps
    assert [p.name for p in hidden if p not in stamps] == [".dashboard-map.json"]  # the index's map
    assert sorted(p.relative_to(fixture_run.reports).as_posix() for p in stamps) == [
        ".summary.inputs.json", "saxony/.assessment.inputs.json", "saxony/.proposals.inputs.json",
        "wallonia/.assessment.inputs.json", "wallonia/.proposals.inputs.json"]  # none for cantabria: it failed
    assert report_problems((fixture_run.reports / "saxony" / "assessment.html").read_text()) == []


def test_a_rerun_removes_stale_reports_of_a_now_failing_region(tmp_path, fixtures_dir,
                                                               templates_with_assessment_cell):
    run_reports(["cantabria"], reports_dir=tmp_path, jobs=1, progress=False,
                notebooks_dir=templates_with_assessment_cell("pass"))
    assert {p.name for p in (tmp_path / "cantabria").iterdir()} >= {"assessment.html", "proposals.html"}

    outcome = run_reports(["cantabria"], reports_dir=tmp_path, jobs=1, progress=False,
                          notebooks_dir=fixtures_dir)
    assert _statuses(outcome)["cantabria/assessment"] == "failed"
    assert sorted(p.name for p in (tmp_path / "cantabria").iterdir()) == ["assessment.ipynb"]


def test_kernel_death_fails_only_that_region(tmp_path, templates_with_assessment_cell):
    templates = templates_with_assessment_cell(
        'import os\nif region_id == "cantabria":\n    os._exit(1)  # the kernel dies')
    outcome = run_reports(["cantabria", "saxony"], reports_dir=tmp_path / "reports", jobs=2,
                          progress=False, notebooks_dir=templates)
    assert _statuses(outcome) == {"cantabria/assessment": "failed", "cantabria/proposals": "skipped",
                                  "saxony/assessment": "ok", "saxony/proposals": "ok", "summary": "ok"}
    error = outcome.failures[0].error
    assert (error.name, error.cell_index, error.cell_source) == ("DeadKernelError", 3, "import os")


def test_a_timed_out_cell_is_named_and_the_outputs_before_it_are_kept(tmp_path, templates_with_assessment_cell):
    templates = templates_with_assessment_cell(
        'print("started")\nimport time\nif region_id == "cantabria":\n    time.sleep(60)')
    outcome = run_reports(["cantabria"], reports_dir=tmp_path / "reports", jobs=1, progress=False,
                          notebooks_dir=templates, cell_timeout=3)
    error = outcome.failures[0].error
    assert (error.name, error.cell_index, error.cell_source) == ("CellTimeoutError", 3, 'print("started")')
    kept = nbformat.read(tmp_path / "reports" / "cantabria" / "assessment.ipynb", as_version=4)
    assert [o.get("text") for o in kept.cells[4].outputs] == ["started\n"]  # cell 3 after papermill's own


def test_a_report_that_cannot_be_rendered_fails_alone(tmp_path, fixtures_dir, monkeypatch):
    def render(notebook, context, fallback_title):  # reports are rendered in this process
        if (context.region_name, fallback_title) == ("Wallonia", "Assessment"):
            raise RenderError("the report of 'Fixture assessment' would show a widget")
        return report_html(notebook, context, fallback_title)
    monkeypatch.setattr(execute, "report_html", render)
    reports = tmp_path / "reports"
    outcome = run_reports(["wallonia", "saxony"], reports_dir=reports, jobs=2, progress=False,
                          notebooks_dir=fixtures_dir)
    assert _statuses(outcome) == {"wallonia/assessment": "failed", "wallonia/proposals": "ok",
                                  "saxony/assessment": "ok", "saxony/proposals": "ok", "summary": "ok"}
    assert outcome.failures[0].error.name == "RenderError"
    assert sorted(p.name for p in (reports / "wallonia").iterdir() if p.name.startswith("assessment")) == [
        "assessment.ipynb", "assessment.json"]  # the notebook ran: kept with its result, but no report


def test_a_dead_worker_process_fails_its_notebook_and_the_pool_recovers(tmp_path, templates_with_assessment_cell):
    templates = templates_with_assessment_cell(
        'import os, signal\nif region_id == "cantabria":\n    os.kill(os.getppid(), signal.SIGKILL)  # the worker dies')
    outcome = run_reports(["cantabria", "saxony"], reports_dir=tmp_path / "reports", jobs=1,
                          progress=False, notebooks_dir=templates)
    assert _statuses(outcome) == {"cantabria/assessment": "failed", "cantabria/proposals": "skipped",
                                  "saxony/assessment": "ok", "saxony/proposals": "ok", "summary": "ok"}
    assert outcome.failures[0].error.name == "WorkerDied"


def test_templates_are_checked_before_any_kernel_starts(tmp_path, templates_with_assessment_cell):
    templates = templates_with_assessment_cell("pass")
    notebook = nbformat.read(templates / "proposals.ipynb", as_version=4)
    notebook.cells[1].source = 'region_id = "saxony"'  # no reports_dir: it would write elsewhere
    nbformat.write(notebook, templates / "proposals.ipynb")
    with pytest.raises(TemplateError, match="proposals.ipynb: the parameters cell lacks reports_dir"):
        run_reports(["saxony"], reports_dir=tmp_path / "reports", jobs=1, progress=False,
                    notebooks_dir=templates)
    assert not (tmp_path / "reports").exists()


def test_a_run_started_by_a_process_that_ran_a_notebook_itself_completes(tmp_path, fixtures_dir):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "own.ipynb")
    warm = WarmKernel("python3")  # as the warm-kernel tests do in this process
    try:
        pm.execute_notebook(str(tmp_path / "own.ipynb"), str(tmp_path / "own.out.ipynb"), kernel_name="python3",
                            progress_bar=False, km=warm.acquire())
        warm.release()
        warm.acquire()  # waits for the reset
    finally:
        warm.discard()
    # From this (main) thread, as the CLI does: a worker sharing the parent's event loop spun for ever.
    outcome = run_reports(["saxony"], reports_dir=tmp_path / "reports", jobs=1, progress=False,
                          notebooks_dir=fixtures_dir)
    assert outcome.ok
