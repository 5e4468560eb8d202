"""A worker's warm kernel: notebooks share imported modules but never each other's variables."""
from __future__ import annotations

import fcntl
import os
import threading

import nbformat
import papermill as pm
import pytest
from jupyter_client.channels import HBChannel

from workbench.pipeline.kernel import CONNECTION_PREFIX, LOCK_SUFFIX, WarmKernel, remove_stale_connection_files


def _notebook(path, *sources: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return str(path)


@pytest.mark.parametrize("released", [True, False], ids=["reset-started-on-release", "reset-on-acquire"])
def test_second_notebook_sees_no_variable_of_the_first_but_the_same_kernel(tmp_path, released):
    warm = WarmKernel("python3")
    first = _notebook(tmp_path / "first.ipynb", "import os, json\nleak = 1\nprint(os.getpid())")
    second = _notebook(tmp_path / "second.ipynb",
                       "import os, sys\nassert 'leak' not in globals()\nassert 'json' in sys.modules\n"
                       "print(os.getpid())")
    try:
        manager = warm.acquire()
        pm.execute_notebook(first, str(tmp_path / "out1.ipynb"), kernel_name="python3",
                            progress_bar=False, km=manager)
        if released:
            warm.release()
        assert warm.acquire() is manager  # reused, not restarted
        pm.execute_notebook(second, str(tmp_path / "out2.ipynb"), kernel_name="python3",
                            progress_bar=False, km=manager)
    finally:
        warm.discard()
    pids = [nbformat.read(tmp_path / name, 4).cells[0].outputs[0]["text"].strip()
            for name in ("out1.ipynb", "out2.ipynb")]
    assert pids[0] == pids[1]  # one kernel process ran both


def test_notebooks_on_a_warm_kernel_leave_no_client_connected(tmp_path):
    """nbclient stops a client's channels only for a kernel it owns: each notebook's client must be
    closed by the warm kernel, or a worker keeps a heartbeat thread and an output socket (which
    queues every later notebook's output) per notebook it ran."""
    warm = WarmKernel("python3")
    notebook = _notebook(tmp_path / "nb.ipynb", "print('x' * 100_000)")
    counts = []
    try:
        for run in range(4):
            pm.execute_notebook(notebook, str(tmp_path / f"o{run}.ipynb"), kernel_name="python3",
                                progress_bar=False, km=warm.acquire())
            warm.release()
            counts.append((threading.active_count(), len(os.listdir("/proc/self/fd"))))
    finally:
        warm.discard()
    assert counts[-1] == counts[0], f"threads and open files after each notebook: {counts}"
    assert not any(isinstance(t, HBChannel) for t in threading.enumerate())


def test_a_discarded_kernel_is_replaced_by_a_fresh_one(tmp_path):
    warm = WarmKernel("python3")
    notebook = _notebook(tmp_path / "nb.ipynb", "x = 1")
    try:
        first = warm.acquire()
        pm.execute_notebook(notebook, str(tmp_path / "o.ipynb"), kernel_name="python3",
                            progress_bar=False, km=first)
        warm.discard()
        assert not first.has_kernel
        assert warm.acquire() is not first
    finally:
        warm.discard()


def test_only_the_files_of_dead_workers_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    dead = [tmp_path / f"{CONNECTION_PREFIX}dead0-{name}" for name in ("k1.json", "k1-ipc-1", "k1-ipc-2")]
    living = [tmp_path / f"{CONNECTION_PREFIX}live0-k2.json", tmp_path / "kernel-12345.json"]
    for path in [*dead, *living]:
        path.write_text("{}")
    (tmp_path / f"{CONNECTION_PREFIX}dead0{LOCK_SUFFIX}").write_text("")  # its holder is gone
    with open(tmp_path / f"{CONNECTION_PREFIX}live0{LOCK_SUFFIX}", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running worker holds its lock
        removed = remove_stale_connection_files()
    assert sorted(removed) == sorted([*dead, tmp_path / f"{CONNECTION_PREFIX}dead0{LOCK_SUFFIX}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in living] + [f"{CONNECTION_PREFIX}live0{LOCK_SUFFIX}"])
