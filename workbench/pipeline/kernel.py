"""Kernels for the worker processes: IPC transport, and one warm kernel per worker.

A kernel manager that talks to its kernel over IPC sockets instead of TCP ports.

With TCP, jupyter_client picks free ports, releases them, and the kernel binds them later;
two worker processes starting kernels at once can grab the same port (papermill#511). IPC
sockets are files named after a connection file unique to each kernel, so they cannot clash.
"""
from __future__ import annotations

import asyncio
import uuid
from multiprocessing.util import Finalize
from pathlib import Path

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import default


class IPCKernelManager(AsyncKernelManager):
    """`AsyncKernelManager` (what nbclient uses) with `transport="ipc"` and a unique connection file."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("connection_file")
    def _default_connection_file(self) -> str:
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        return str(runtime / f"kernel-workbench-{uuid.uuid4().hex}.json")

    async def _async_interrupt_kernel(self) -> None:
        """Skip the SIGINT jupyter_client sends before every shutdown: the notebook is done by
        then, and the interrupt only makes the kernel log "KeyboardInterrupt caught in kernel"."""
        if not self.shutting_down:
            await super()._async_interrupt_kernel()


RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
)


class WarmKernel:
    """One kernel kept alive in a worker process and reused for the notebooks it runs.

    Starting a kernel and importing pandas, matplotlib and the workbench costs about 2.5 s of
    CPU per notebook, more than most notebooks' own work. A worker therefore hands the same
    kernel to each papermill run (`km=`; nbclient leaves a kernel it does not own running) and,
    before every notebook after the first, wipes the user namespace (`%reset -f`) and closes
    all figures: a notebook cannot see another's variables, while imported modules and the
    package's per-process caches (the loaded snapshot) stay warm. After any failure the
    kernel is shut down and the next notebook gets a fresh one.

    The client that sends the reset is kept open with the kernel: connecting a new one costs
    a 0.2 s wait for the kernel's output channel to fall silent, the reset itself about 0.15 s.
    """

    def __init__(self, kernel_name: str, reset_timeout: float = 60.0) -> None:
        self.kernel_name = kernel_name
        self.reset_timeout = reset_timeout
        self._manager: IPCKernelManager | None = None
        self._client: BlockingKernelClient | None = None
        self._finalizer_registered = False

    def acquire(self) -> IPCKernelManager:
        """The kernel manager for the next notebook: the warm one, reset, or a new one."""
        if self._manager is not None and self._manager.has_kernel and not self._reset():
            self.discard()
        if self._manager is None:
            self._manager = IPCKernelManager(kernel_name=self.kernel_name)
            if not self._finalizer_registered:  # shut the kernel down when the worker exits
                Finalize(self, WarmKernel.discard, args=(self,), exitpriority=10)
                self._finalizer_registered = True
        return self._manager

    def discard(self) -> None:
        """Shut the kernel down (best effort); the next `acquire` starts a new one."""
        manager, self._manager = self._manager, None
        client, self._client = self._client, None
        if client is not None:
            client.stop_channels()
        if manager is not None and manager.has_kernel:
            try:
                asyncio.run(manager.shutdown_kernel(now=True))
            except Exception:  # a kernel that is already dead cannot be shut down more
                pass

    def _reset(self) -> bool:
        try:
            if self._client is None:
                client = BlockingKernelClient()
                client.load_connection_info(self._manager.get_connection_info())
                client.start_channels()
                self._client = client
                client.wait_for_ready(timeout=self.reset_timeout)
            reply = self._client.execute_interactive(RESET_CODE, timeout=self.reset_timeout,
                                                     output_hook=lambda _msg: None)
            return reply["content"]["status"] == "ok"
        except (RuntimeError, TimeoutError):
            return False
