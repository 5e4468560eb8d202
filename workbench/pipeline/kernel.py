"""A kernel manager that talks to its kernel over IPC sockets instead of TCP ports.

With TCP, jupyter_client picks free ports, releases them, and the kernel binds them later;
two worker processes starting kernels at once can grab the same port (papermill#511). IPC
sockets are files named after a connection file unique to each kernel, so they cannot clash.
"""
from __future__ import annotations

import uuid
from pathlib import Path

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
