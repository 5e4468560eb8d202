"""Run chains of notebooks in worker processes, at most `jobs` at a time.

A chain is a region's notebooks in order (assessment, proposals): the next one starts only
after the previous one succeeded, otherwise it is recorded as skipped. A chain's next notebook
is queued ahead of other chains' first ones, so finished regions complete early while every
worker stays busy. Workers are processes (never threads: papermill's `cwd` is a
process-wide `chdir`); if one dies, its notebook is recorded as failed and the pool replaced.

Workers are started by a named method (`start.start_method`: forkserver with the pipeline
preloaded, or spawn), so a worker never inherits the state of the process that started the
run. Each worker watches the process that started it (`_exit_with_parent`): when the main
process is killed, the workers exit within a second and their kernels, which watch theirs
(ipykernel's parent poller), a second later.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from workbench import _compat
from workbench.pipeline.execute import NotebookTask, execute, skip
from workbench.pipeline.kernel import remove_stale_connection_files
from workbench.pipeline.manifest import NotebookError, NotebookRecord
from workbench.pipeline.start import start_method, worker_context

Chain = list[NotebookTask]
PARENT_POLL = 0.5  # seconds between a worker's checks that its parent is still there


class NotebookPool:
    """A process pool running chains of notebooks; replaced if a worker process dies."""

    def __init__(self, jobs: int, work: Callable[[NotebookTask], NotebookRecord] = execute,
                 method: str | None = None):
        self.jobs = jobs
        self.work = work
        self.method = method or start_method()
        self._context = worker_context(self.method)
        remove_stale_connection_files()  # of kernels whose worker was killed in an earlier run
        self._pool = self._new_pool()

    def __enter__(self) -> "NotebookPool":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def run(self, chains: list[Chain], finished: Callable[[NotebookRecord], None]) -> None:
        """Run the chains, at most `jobs` notebooks at once; after a failure the rest of a chain
        is skipped. `finished` receives every record as soon as it is known."""
        ready: deque[Chain] = deque(chain for chain in chains if chain)
        running: dict[Future[NotebookRecord], Chain] = {}
        while ready or running:
            while ready and len(running) < self.jobs:
                chain = ready.popleft()
                running[self._submit(chain[0])] = chain
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                current, *rest = running.pop(future)
                record = self._record(future, current)
                finished(record)
                if record.status == "ok" and rest:
                    ready.appendleft(rest)
                else:
                    for later in rest:
                        finished(skip(later, f"{current.label} failed"))

    def _submit(self, task: NotebookTask) -> Future[NotebookRecord]:
        try:
            return self._pool.submit(self.work, task)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(self.work, task)

    @staticmethod
    def _record(future: Future[NotebookRecord], task: NotebookTask) -> NotebookRecord:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            return task.record("failed", error=NotebookError("WorkerDied", f"the worker process died: {exc}"))

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=self._context,
                                   initializer=_worker_started, initargs=(self.method, dict(os.environ)))


def _worker_started(method: str, environment: dict[str, str]) -> None:
    """Set a worker up: the run's environment (a forkserver's workers would otherwise have the
    server's, from when it started; their kernels inherit it), a loop of its own if it was
    forked, a watch on its parent."""
    os.environ.clear()
    os.environ.update(environment)
    if method == "fork":
        _compat.forget_inherited_event_loop()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()


def _exit_with_parent(ppid: int) -> None:
    """Exit the worker at once when the process that started it is gone (killed: nobody will
    read its results). That process is multiprocessing's `parent_process()`, whose sentinel
    closes when it dies; a forked worker's copy can be held open by a sibling, so its
    parent pid is watched too (a forkserver worker's parent pid is the server's: it lives
    as long as its workers)."""
    parent = multiprocessing.parent_process()
    while os.getppid() == ppid and (parent is None or parent.is_alive()):
        if parent is None:
            time.sleep(PARENT_POLL)
        else:
            parent.join(PARENT_POLL)
    os._exit(1)
