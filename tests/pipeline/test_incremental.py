"""Incremental builds with the fixture templates: unchanged notebooks are reused, changed ones
re-executed, and nothing partial or failed is ever reused."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench import paths
from workbench.pipeline import incremental, runner
from workbench.pipeline.runner import run_reports

REGIONS = ["saxony", "wallonia"]
ALL = {"saxony/assessment", "saxony/proposals", "wallonia/assessment", "wallonia/proposals", "summary"}


@pytest.fixture
def regions(tmp_path: Path) -> Path:
    """A copy of two real profiles, free to edit."""
    folder = tmp_path / "regions"
    folder.mkdir()
    for region in REGIONS:
        shutil.copy(paths.REGIONS_DIR / f"{region}.yaml", folder)
    return folder


def _run(reports: Path, regions: Path, fixtures_dir: Path, **options):
    return run_reports(REGIONS, reports_dir=reports, jobs=2, progress=False, notebooks_dir=fixtures_dir,
                       regions_dir=regions, **options)


def _executed(outcome) -> set[str]:
    return {r.label for r in outcome.records if r.status == "ok" and not r.reused}


def _manifest(reports: Path) -> dict[str, dict]:
    return {(f"{n['region']}/{n['notebook']}" if n["region"] else n["notebook"]): n
            for n in json.loads((reports / "run.json").read_text(encoding="utf-8"))["notebooks"]}


def _html(reports: Path) -> dict[str, bytes]:
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in reports.rglob("*.html")
            if p.name != "index.html"}


def test_second_run_executes_nothing_and_keeps_every_report_byte_identical(tmp_path, regions, fixtures_dir,
                                                                           monkeypatch):
    reports = tmp_path / "reports"
    first = _run(reports, regions, fixtures_dir)
    assert _executed(first) == ALL
    before = _html(reports)

    started = []
    monkeypatch.setattr(runner, "prestart_workers", lambda: started.append("forkserver"))
    second = _run(reports, regions, fixtures_dir)

    assert second.ok and _executed(second) == set()
    assert started == []  # a run that reuses everything starts no worker process
    assert all(r.reused for r in second.records) and len(second.records) == len(ALL)
    assert _html(reports) == before
    manifest = _manifest(reports)
    assert {n["reason"] for n in manifest.values()} == {"reused: inputs unchanged"}
    assert manifest["saxony/assessment"]["html_path"] == "saxony/assessment.html"
    assert "5 reused, inputs unchanged" in second.describe()


def test_editing_one_profile_reruns_that_region_and_the_summary_only(tmp_path, regions, fixtures_dir):
    reports = tmp_path / "reports"
    _run(reports, regions, fixtures_dir)
    wallonia_before = _html(reports)["wallonia/assessment.html"]
    profile = regions / "saxony.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    outcome = _run(reports, regions, fixtures_dir)

    assert _executed(outcome) == {"saxony/assessment", "saxony/proposals", "summary"}
    manifest = _manifest(reports)
    assert manifest["saxony/assessment"]["reason"] == "re-executed: region profile changed"
    assert manifest["saxony/proposals"]["reason"] == (
        "re-executed: it reads the results of assessment, which is re-executed")
    assert manifest["summary"]["reason"] == "re-executed: region profiles, results it reads changed"
    assert manifest["wallonia/assessment"]["reused"] is True
    assert _html(reports)["wallonia/assessment.html"] == wallonia_before


def test_changed_template_reruns_its_notebooks_and_force_reruns_all(tmp_path, regions, fixtures_dir):
    reports = tmp_path / "reports"
    templates = Path(shutil.copytree(fixtures_dir, tmp_path / "templates"))
    _run(reports, regions, templates)
    proposals = templates / "proposals.ipynb"
    text = proposals.read_text(encoding="utf-8").replace("Three measures", "Four measures")
    text = text.replace('{\\"region\\": assessment', '{\\"measures\\": 4, \\"region\\": assessment')
    assert '\\"measures\\": 4' in text  # the new template writes another result, which the summary reads
    proposals.write_text(text, encoding="utf-8")

    changed = _run(reports, regions, templates)
    forced = _run(reports, regions, templates, force=True)

    assert _executed(changed) == {"saxony/proposals", "wallonia/proposals", "summary"}
    assert _manifest(reports)["summary"]["reason"] == "re-executed: --force"
    assert _executed(forced) == ALL


def test_partial_output_without_its_stamp_is_not_reused(tmp_path, regions, fixtures_dir):
    """A run killed while it rewrote saxony's assessment: the stamp was removed before the
    notebook started, the HTML is whatever was left."""
    reports = tmp_path / "reports"
    _run(reports, regions, fixtures_dir)
    (reports / "saxony" / ".assessment.inputs.json").unlink()
    (reports / "saxony" / "assessment.html").write_text("<html><body>PARTIAL", encoding="utf-8")

    outcome = _run(reports, regions, fixtures_dir)

    assert _executed(outcome) - {"summary"} == {"saxony/assessment", "saxony/proposals"}  # see _regions_note
    assert _manifest(reports)["saxony/assessment"]["reason"] == "re-executed: no complete earlier output"
    assert "PARTIAL" not in (reports / "saxony" / "assessment.html").read_text(encoding="utf-8")


# _regions_note: a re-executed region notebook whose result document comes out byte-identical
# (its `generated_at` is to the second, so a fast rerun can match) leaves the summary's inputs
# unchanged; whether the summary reruns then depends on the clock, so these tests leave it out.


def test_output_changed_after_its_stamp_is_not_reused(tmp_path, regions, fixtures_dir):
    reports = tmp_path / "reports"
    _run(reports, regions, fixtures_dir)
    (reports / "wallonia" / "proposals.html").write_text("<html>half", encoding="utf-8")

    outcome = _run(reports, regions, fixtures_dir)

    assert _executed(outcome) - {"summary"} == {"wallonia/proposals"}  # see _regions_note
    assert _manifest(reports)["wallonia/proposals"]["reason"] == (
        "re-executed: its earlier output files were changed or are missing")


def test_a_failed_notebook_leaves_no_stamp_and_runs_again(tmp_path, regions, fixtures_dir):
    """cantabria's fixture assessment fails on purpose: neither it nor its skipped proposals are
    ever reused, while the regions that succeeded are."""
    reports = tmp_path / "reports"
    shutil.copy(paths.REGIONS_DIR / "cantabria.yaml", regions)
    ids = [*REGIONS, "cantabria"]
    run_reports(ids, reports_dir=reports, jobs=2, progress=False, notebooks_dir=fixtures_dir, regions_dir=regions)
    assert not (reports / "cantabria" / ".assessment.inputs.json").exists()

    again = run_reports(ids, reports_dir=reports, jobs=2, progress=False, notebooks_dir=fixtures_dir,
                        regions_dir=regions)

    statuses = {r.label: (r.status, r.reused) for r in again.records}
    assert statuses["cantabria/assessment"] == ("failed", False)
    assert statuses["cantabria/proposals"] == ("skipped", False)
    assert statuses["saxony/assessment"] == ("ok", True)


def test_a_stamp_of_a_failed_run_is_refused(tmp_path, regions, fixtures_dir):
    """A stamp claiming the current inputs and outputs is not enough when the record it holds failed."""
    reports = tmp_path / "reports"
    _run(reports, regions, fixtures_dir)
    stamp = reports / "saxony" / ".assessment.inputs.json"
    document = json.loads(stamp.read_text(encoding="utf-8"))
    stamp.write_text(json.dumps({**document, "record": {**document["record"], "status": "failed"}}),
                     encoding="utf-8")

    outcome = _run(reports, regions, fixtures_dir)

    assert "saxony/assessment" in _executed(outcome)


def test_write_stamp_ignores_a_notebook_that_did_not_publish(tmp_path, fixtures_dir):
    from workbench.pipeline.execute import NotebookTask

    task = NotebookTask(template=fixtures_dir / "assessment.ipynb", reports_dir=tmp_path, region="saxony",
                        region_name="Saxony", parameters={}, covers=("saxony",), run_date="", cell_timeout=60)
    incremental.write_stamp(task, {"notebook": "x"}, task.record("failed"))
    incremental.write_stamp(task, {"notebook": "x"}, task.record("ok"))  # ran, but no report

    assert not incremental.stamp_path(task).exists()


def test_fingerprints_follow_the_bytes_of_snapshot_templates_and_package(tmp_path, fixtures_dir):
    from workbench.pipeline.execute import NotebookTask

    folders = {name: tmp_path / name for name in ("snapshot", "templates", "package", "regions")}
    for folder in folders.values():
        folder.mkdir()
    (folders["snapshot"] / "values.parquet").write_bytes(b"v1")
    (folders["templates"] / "measures.yaml").write_text("a: 1\n", encoding="utf-8")
    (folders["package"] / "module.py").write_text("X = 1\n", encoding="utf-8")
    (folders["regions"] / "saxony.yaml").write_text("id: saxony\n", encoding="utf-8")
    task = NotebookTask(template=fixtures_dir / "assessment.ipynb", reports_dir=tmp_path, region="saxony",
                        region_name="Saxony", parameters={"region_id": "saxony"}, covers=("saxony",),
                        run_date="", cell_timeout=60)

    def inputs() -> dict[str, str]:
        return incremental.Fingerprints(folders["regions"], ("assessment", "proposals"), folders["snapshot"],
                                        folders["templates"], folders["package"]).inputs(task)

    first = inputs()
    assert inputs() == first  # same bytes, same fingerprints
    for name, path, data in (("snapshot", "snapshot/values.parquet", b"v2"),
                             ("templates", "templates/measures.yaml", b"a: 2\n"),
                             ("package", "package/module.py", b"X = 2\n"),
                             ("profile", "regions/saxony.yaml", b"id: saxony\nname: S\n")):
        before = inputs()
        (tmp_path / path).write_bytes(data)
        after = inputs()
        assert [key for key in after if after[key] != before[key]] == [name]
