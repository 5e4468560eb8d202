"""Run chains of notebooks in worker processes, at most `jobs` at a time.

A chain is a region's notebooks in order (assessment, proposals): the next one starts only
after the previous one succeeded, otherwise it is recorded as skipped. A chain's next notebook
is queued ahead of other chains' first ones, so finished regions complete early while every
worker stays busy. Workers are processes (never threads: papermill's `cwd` is a
process-wide `chdir`); if one dies, its notebook is recorded as failed and the pool replaced.
"""
from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from workbench.pipeline.execute import NotebookTask, execute, skip
from workbench.pipeline.manifest import NotebookError, NotebookRecord

Chain = list[NotebookTask]


class NotebookPool:
    """A process pool running chains of notebooks; replaced if a worker process dies."""

    def __init__(self, jobs: int, work: Callable[[NotebookTask], NotebookRecord] = execute):
        self.jobs = jobs
        self.work = work
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
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=own_event_loop)


def own_event_loop() -> None:
    """Give a forked worker an event loop of its own.

    papermill and nbclient run their coroutines on the event loop jupyter_core keeps per
    thread. A worker forked from a process that ran a notebook itself (a test, a notebook
    calling `run_reports`) inherits that loop, whose epoll descriptor it then shares with its
    parent: each sees the other's events and the worker spins at full CPU. Forking stays (a
    fresh interpreter per worker, `forkserver`, costs 3.6 s of start-up); the inherited loop
    is left alone (closing it would unregister the parent's descriptors) and replaced.
    """
    from jupyter_core import utils  # its loop is module state (`_loop`), private but stable since 5.x

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    utils._loop.set(loop)

