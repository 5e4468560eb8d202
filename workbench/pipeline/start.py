"""How worker processes are started: a named method, never the platform's default.

`forkserver` where the platform has it: a server process started from a fresh interpreter
imports the pipeline once (`PRELOAD`) and forks each worker from that clean state, so a worker
inherits nothing of the process that started the run (its event loop, open files, threads)
and starts warm. `spawn` where there is no forkserver (Windows). `$WORKBENCH_START_METHOD`
chooses another (`fork` for comparison). The choice behaves the same whatever the default
(Python 3.14 no longer forks by default). This module imports nothing heavy, so that
`prestart_workers` can start the server before the caller's own imports (the runner does, once
it knows that some notebook will run: a run that reuses everything starts no process).
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from multiprocessing.context import BaseContext

START_METHOD_SETTING = "WORKBENCH_START_METHOD"
PRELOAD = ["workbench.pipeline.execute"]  # imported once by the forkserver, inherited by its workers


def start_method() -> str:
    """`$WORKBENCH_START_METHOD`, else forkserver where available, else spawn; ValueError
    naming the allowed methods for another value."""
    available = multiprocessing.get_all_start_methods()
    method = os.environ.get(START_METHOD_SETTING) or ("forkserver" if "forkserver" in available else "spawn")
    if method not in available:
        raise ValueError(f"{START_METHOD_SETTING}={method!r} is not a start method of this platform "
                         f"(allowed: {', '.join(available)})")
    return method


def worker_context(method: str) -> BaseContext:
    """The multiprocessing context of the workers (a forkserver preloads the pipeline)."""
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return context


def prestart_workers() -> None:
    """Start the forkserver now: its imports (about 2 s of CPU) then run on another core while
    the caller checks the regions' data and imports the pipeline itself."""
    method = start_method()
    if method == "forkserver":
        worker_context(method)
        multiprocessing.forkserver.ensure_running()
