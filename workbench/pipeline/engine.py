"""The papermill engine of the pipeline: nbclient execution, one notebook write per run.

papermill's default engine writes the whole notebook, embedded PNG charts included, before and
after every cell: 80 JSON encodings and schema validations for an assessment notebook, about
2 s of a worker's CPU, more than a third of the notebook's own work. The workbench reads the
executed notebook only when the run is over, so this engine keeps the state in memory:

* a run that ends (cells ok, or a cell raised) is written once by papermill itself;
* a run that is cut short (the kernel died, a cell timed out) is written here before the
  error propagates, with the outputs so far and the `start_time` of the cell that was running,
  which `execute.failing_cell` reads;
* only a killed worker process leaves no notebook, as it would with papermill's default.
"""
from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.iorw import write_ipynb

ENGINE_NAME = "workbench"


class _InMemoryManager(NotebookExecutionManager):
    """Tracks the execution state like papermill's manager but never writes on its own."""

    def save(self, **kwargs: Any) -> None:
        if kwargs.get("nb") is not None:
            self.nb = kwargs["nb"]


class EndSavingEngine(NBClientEngine):
    """`NBClientEngine` without per-cell saves; writes the notebook itself only if the run breaks off."""

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, output_path: str | None = None,
                         progress_bar: bool = True, log_output: bool = False,
                         autosave_cell_every: int = 30, **kwargs: Any) -> Any:
        manager = _InMemoryManager(nb, output_path=None, progress_bar=progress_bar,
                                   log_output=log_output, autosave_cell_every=0)
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        except BaseException:
            manager.notebook_complete()
            if output_path:
                write_ipynb(manager.nb, output_path)
            raise
        finally:
            manager.cleanup_pbar()
        manager.notebook_complete()
        return manager.nb


papermill_engines.register(ENGINE_NAME, EndSavingEngine)
