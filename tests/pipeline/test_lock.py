"""One run per reports folder, and folders that cannot be written: clear errors, nothing lost.

Root (these tests' usual user) writes through `chmod`, so read-only folders and full disks are
injected at the failing system call; a folder under a regular file is a real failure.
"""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from workbench import results
from workbench.cli import main
from workbench.pipeline import execute, lock
from workbench.pipeline.execute import NotebookTask
from workbench.pipeline.lock import ReportsBusy, ReportsDirError, lock_path, reports_lock
from workbench.pipeline.runner import run_reports
from workbench.results import WriteError, write_atomic

FIXTURES = Path(__file__).parent / "fixtures"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _reports(folder: Path) -> dict[str, bytes]:
    """The reports themselves (notebooks, HTML, results, index): not the run's own bookkeeping
    (run.json, and the incremental-build stamps, which a new run removes before it executes)."""
    return {name: data for name, data in _files(folder).items()
            if name != "run.json" and not name.endswith(".inputs.json")}


def _hold_in_child(folder: Path, then: str = "time.sleep(60)") -> subprocess.Popen:
    """A process that takes the folder's lock, says so on stdout, then runs `then`."""
    code = (f"import time, os, signal\nfrom pathlib import Path\nfrom workbench.pipeline.lock import reports_lock\n"
            f"with reports_lock(Path({str(folder)!r})):\n    print('held', flush=True)\n    {then}\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    return child


# ---- two runs on one folder ------------------------------------------------------------------

def test_a_second_run_on_a_held_folder_is_refused_naming_the_holder(tmp_path, capsys):
    reports = tmp_path / "reports"
    holder = _hold_in_child(reports)
    try:
        before = _files(reports)
        assert main(["run", "--region", "saxony", "--reports-dir", str(reports), "--no-progress"]) == 2
        message = capsys.readouterr().err
        assert f"the reports folder {reports} is in use by another workbench run (pid {holder.pid}," in message
        assert "Traceback" not in message and len(message.splitlines()) == 1
        assert _files(reports) == before  # the refused run wrote nothing
    finally:
        holder.kill()
        holder.wait()


def test_while_a_real_run_builds_a_second_one_is_refused_and_the_first_completes(tmp_path):
    """One real run (fixture templates) in a child process; the lock API refuses a second one."""
    reports = tmp_path / "reports"
    code = (f"from pathlib import Path\nfrom workbench.pipeline.runner import run_reports\n"
            f"outcome = run_reports(['saxony', 'wallonia'], reports_dir=Path({str(reports)!r}), jobs=1, "
            f"progress=False, notebooks_dir=Path({str(FIXTURES)!r}))\nprint(outcome.ok)\n")
    first = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (lock_path(reports).is_file() and lock_path(reports).read_text()) and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    with pytest.raises(ReportsBusy, match=f"pid {first.pid},"):
        run_reports(["saxony"], reports_dir=reports, jobs=1, progress=False, notebooks_dir=FIXTURES)
    out, _ = first.communicate(timeout=300)
    assert first.returncode == 0 and out.strip() == "True"
    assert not lock_path(reports).exists()  # released and removed
    kept = {".dashboard-map.json"}  # the index's map, kept until the regions or the data change
    assert [p.name for p in reports.rglob(".*") if not p.name.endswith(".inputs.json") and p.name not in kept] == []


def test_the_lock_is_exclusive_within_one_process_too(tmp_path):
    with reports_lock(tmp_path):
        assert lock_path(tmp_path).read_text().startswith(f"pid {os.getpid()}, started ")
        with pytest.raises(ReportsBusy, match=f"pid {os.getpid()},"):
            with reports_lock(tmp_path):
                pass
    with reports_lock(tmp_path):  # free again once released
        pass


def test_the_lock_of_a_killed_run_is_stale_and_taken_over(tmp_path, capsys):
    holder = _hold_in_child(tmp_path, then="os.kill(os.getpid(), signal.SIGSTOP)")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock_path(tmp_path).read_text().startswith(f"pid {holder.pid},")  # left behind by the killed run
    with reports_lock(tmp_path):
        assert lock_path(tmp_path).read_text().startswith(f"pid {os.getpid()},")
    assert f"left by a run that no longer runs (pid {holder.pid}," in capsys.readouterr().err


# ---- folders that cannot be written ----------------------------------------------------------

def test_a_reports_folder_under_a_file_gives_one_clear_error_and_exit_2(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["run", "--region", "saxony", "--reports-dir", str(blocker / "reports"), "--no-progress"]) == 2
    message = capsys.readouterr().err
    assert message == (f"error: cannot write to the reports folder {blocker / 'reports'}: Not a directory; "
                       "nothing in it was changed\n")


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_a_read_only_or_full_reports_folder_is_refused_before_anything_runs(tmp_path, capsys, monkeypatch, code):
    """Injected where the run first writes to the folder (creating its lock file)."""
    reports = tmp_path / "reports"
    write_atomic(reports / "index.html", "previous complete index\n")
    real_open = os.open

    def refusing_open(path, flags, *args):
        if Path(path).parent == reports and flags & os.O_CREAT:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(lock.os, "open", refusing_open)
    assert main(["run", "--region", "saxony", "--reports-dir", str(reports), "--no-progress"]) == 2
    message = capsys.readouterr().err
    assert f"cannot write to the reports folder {reports}: {os.strerror(code)}" in message
    assert _files(reports) == {"index.html": b"previous complete index\n"}


def test_write_atomic_on_a_full_disk_keeps_the_old_file_and_names_file_and_cause(tmp_path, monkeypatch):
    target = tmp_path / "run.json"
    target.write_text("complete\n")

    def full_disk(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(results.os, "fsync", full_disk)
    with pytest.raises(WriteError) as caught:
        write_atomic(target, "new and longer contents\n")
    assert str(caught.value) == (f"cannot write {target}: No space left on device; "
                                 "the file already there, if any, is unchanged")
    assert caught.value.errno == errno.ENOSPC
    assert _files(tmp_path) == {"run.json": b"complete\n"}  # no truncated file, no temporary file


def test_a_notebook_the_full_disk_truncated_leaves_the_previous_outputs_whole(tmp_path, monkeypatch):
    """papermill's write of the executed notebook fails halfway (injected ENOSPC)."""
    task = NotebookTask(template=FIXTURES / "assessment.ipynb", reports_dir=tmp_path, region="saxony",
                        region_name="Saxony", parameters={}, covers=("saxony",), run_date="today", cell_timeout=60)
    task.folder.mkdir()
    for path in (task.notebook_path, task.html_path, tmp_path / "saxony" / "assessment.json"):
        path.write_text(f"previous complete {path.name}\n")
    before = _files(tmp_path)

    class NoKernel:
        def acquire(self):
            return None

        discard = release = acquire

    def truncated_write(template, output, **_kwargs):
        Path(output).write_text('{"cells": [{"cell_type": "co')  # half a notebook, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output)

    monkeypatch.setattr(execute, "WORKER_KERNEL", NoKernel())
    monkeypatch.setattr(execute.pm, "execute_notebook", truncated_write)
    record = execute.execute(task)
    assert record.status == "failed" and record.error.name == "WriteError"
    assert record.error.message == f"cannot write to {task.folder}: No space left on device"
    assert record.notebook_path is None and record.html_path is None
    assert _files(tmp_path) == before  # nothing truncated, nothing removed, no partial left


def test_a_run_stopped_by_a_full_disk_exits_1_with_one_clear_error(tmp_path, capsys, monkeypatch):
    from workbench.pipeline import runner

    def stopped(*_args, **_kwargs):
        raise WriteError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "run.json"))

    monkeypatch.setattr(runner, "run_reports", stopped)
    assert main(["run", "--region", "saxony", "--reports-dir", str(tmp_path), "--no-progress"]) == 1
    assert capsys.readouterr().err == (f"error: the run stopped: cannot write {tmp_path / 'run.json'}: No space "
                                       "left on device; the file already there, if any, is unchanged\n")


def test_a_run_whose_manifest_cannot_be_written_stops_and_keeps_the_previous_manifest(tmp_path, monkeypatch):
    """A real run (fixture templates), then one whose run.json write hits a full disk."""
    reports = tmp_path / "reports"
    assert run_reports(["saxony"], reports_dir=reports, jobs=1, progress=False, notebooks_dir=FIXTURES).ok
    manifest = (reports / "run.json").read_bytes()
    real_write = results.write_atomic

    def full_for_manifests(path, data):
        if Path(path).name == "run.json":
            raise WriteError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, data)

    from workbench.pipeline import manifest as manifest_module
    monkeypatch.setattr(manifest_module, "write_atomic", full_for_manifests)
    with pytest.raises(WriteError, match="run.json: No space left on device"):
        run_reports(["saxony"], reports_dir=reports, jobs=1, progress=False, notebooks_dir=FIXTURES)
    assert (reports / "run.json").read_bytes() == manifest
    assert not lock_path(reports).exists()
    assert nbformat.read(reports / "saxony" / "assessment.ipynb", as_version=4).cells  # whole notebooks only


def test_a_run_whose_notebook_the_full_disk_refused_stops_and_keeps_every_previous_output(tmp_path, monkeypatch):
    """A complete run, then one whose first notebook write hits a full disk (injected in the
    forked workers): the run stops there, the proposals are not skipped (which would remove
    their last complete outputs), and every report is byte for byte as before."""
    reports = tmp_path / "reports"
    assert run_reports(["saxony"], reports_dir=reports, jobs=1, progress=False, notebooks_dir=FIXTURES).ok
    before = _reports(reports)

    def full_disk(template, output, **_kwargs):
        Path(output).write_text('{"cells": [')
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output)

    monkeypatch.setattr(execute.pm, "execute_notebook", full_disk)
    monkeypatch.setenv("WORKBENCH_START_METHOD", "fork")  # the workers inherit the injected fault
    with pytest.raises(WriteError, match=f"cannot write to {reports / 'saxony'}: No space left on device"):
        run_reports(["saxony"], reports_dir=reports, jobs=1, progress=False, notebooks_dir=FIXTURES, force=True)
    assert _reports(reports) == before


def test_workers_that_outlive_a_killed_run_keep_its_folder_and_the_message_says_so(tmp_path):
    """The lock is inherited by forked workers: a run whose main process was killed keeps the
    folder until its workers have gone too (they may still be writing)."""
    holder = _hold_in_child(tmp_path, then="pid = os.fork()\n    if pid:\n        print(pid, flush=True)\n"
                                           "        os._exit(0)\n    time.sleep(60)")
    worker = int(holder.stdout.readline())
    holder.wait()  # the main process has ended; its forked "worker" still holds the lock
    try:
        with pytest.raises(ReportsBusy, match=f"pid {holder.pid}, .*; that process has ended, its worker "
                                              "processes have not yet"):
            with reports_lock(tmp_path):
                pass
    finally:
        os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while True:  # the worker gone, the lock is free (its file is the killed run's: stale)
        try:
            with reports_lock(tmp_path):
                break
        except ReportsBusy:
            assert time.monotonic() < deadline
            time.sleep(0.05)
