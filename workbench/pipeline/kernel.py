"""Kernels for the worker processes: IPC transport, and one warm kernel per worker.

A kernel manager that talks to its kernel over IPC sockets instead of TCP ports.

With TCP, jupyter_client picks free ports, releases them, and the kernel binds them later;
two worker processes starting kernels at once can grab the same port (papermill#511). IPC
sockets are files named after a connection file unique to each kernel, so they cannot clash.
"""
from __future__ import annotations

import asyncio
import os
import time
import uuid
from multiprocessing.util import Finalize
from pathlib import Path
from queue import Empty
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: stale connection files are not removed
    fcntl = None  # type: ignore[assignment]

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import Type, default

from workbench import _compat

CONNECTION_PREFIX = "kernel-workbench-"  # + the worker's token + "-" + a unique id
LOCK_SUFFIX = ".lock"  # held by the worker while it lives
READY_STEP = 1.0  # seconds to wait for a kernel_info reply and its idle status before asking again


class PromptKernelClient(AsyncKernelClient):
    """The client nbclient gets for each notebook, ready as soon as the kernel has answered.

    jupyter_client's `wait_for_ready` ends by reading the output channel until it has been
    silent for 0.2 s: with a warm kernel that wait is most of a notebook's set-up. Here the
    client asks for kernel_info until it has both the reply and, on the output channel, the
    kernel's "idle" status for that request: the channel is then connected and the request's
    messages are consumed, which is what the silence wait ensures. With `WORKBENCH_FAST=0`
    it is jupyter_client's own wait.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # noqa: D102
        if not _compat.fast():
            return await super().wait_for_ready(timeout)
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            try:
                reply = await self.kernel_info(reply=True, timeout=READY_STEP)
                if await self._idle_after(reply["parent_header"]["msg_id"], time.monotonic() + READY_STEP):
                    _compat.accept_kernel_info(self, reply)
                    return
            except TimeoutError:
                pass
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle_after(self, msg_id: str, until: float) -> bool:
        while (left := until - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                    and msg["parent_header"].get("msg_id") == msg_id):
                return True
        return False


class IPCKernelManager(_compat.NoInterruptOnShutdown, AsyncKernelManager):
    """`AsyncKernelManager` (what nbclient uses) with `transport="ipc"`, a unique connection
    file and `PromptKernelClient` clients; no SIGINT before a shutdown (`NoInterruptOnShutdown`).

    It keeps the clients it hands out until `stop_clients`: nbclient stops its client's channels
    only when it owns the kernel manager, so with a warm kernel each notebook's client would stay
    connected, with a heartbeat thread and an output socket queueing every later notebook's
    output (in an EU-wide run a worker grew by about 10 MB a notebook, 1.4 GiB after 65)."""

    client_factory = Type(klass=PromptKernelClient)  # what `client()` instantiates

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._clients: list[AsyncKernelClient] = []

    def client(self, **kwargs: object) -> AsyncKernelClient:  # noqa: D102
        client = super().client(**kwargs)
        self._clients.append(client)
        return client

    def stop_clients(self) -> None:
        """Close the channels (sockets, heartbeat threads) of every client handed out so far."""
        while self._clients:
            self._clients.pop().stop_channels()

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("connection_file")
    def _default_connection_file(self) -> str:
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        return str(runtime / f"{CONNECTION_PREFIX}{_owner_token(runtime)}-{uuid.uuid4().hex}.json")


_owner: tuple[int, str] | None = None  # (pid, token) of this process's lock file


def _owner_token(runtime: Path) -> str:
    """This process's token in the names of its kernels' files, with a lock file it holds
    (an advisory `flock`, released by the system when the process ends, however it ends)."""
    global _owner
    if _owner is None or _owner[0] != os.getpid():  # a forked child needs a lock of its own
        token = uuid.uuid4().hex[:12]
        lock = runtime / f"{CONNECTION_PREFIX}{token}{LOCK_SUFFIX}"
        handle = lock.open("w")
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        Finalize(handle, _release, args=(handle, lock), exitpriority=0)  # kept open until the process exits
        _owner = (os.getpid(), token)
    return _owner[1]


def _release(handle: IO[str], lock: Path) -> None:
    lock.unlink(missing_ok=True)
    handle.close()


def remove_stale_connection_files() -> list[Path]:
    """Remove the connection and IPC socket files of kernels whose worker process is gone: a
    killed run leaves them (the kernels themselves exit with their worker). Returns them."""
    if fcntl is None:  # no advisory locks to tell the living from the dead
        return []
    removed: list[Path] = []
    for lock in Path(jupyter_runtime_dir()).glob(f"{CONNECTION_PREFIX}*{LOCK_SUFFIX}"):
        try:
            handle = lock.open("a")
        except OSError:
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held: its process is running
                continue
            token = lock.name.removeprefix(CONNECTION_PREFIX).removesuffix(LOCK_SUFFIX)
            stale = [*lock.parent.glob(f"{CONNECTION_PREFIX}{token}-*"), lock]
            for path in stale:
                path.unlink(missing_ok=True)
            removed += stale
    return removed


# `%reset -f` ends with a full garbage collection; `gc.freeze()` then moves what survived it
# (imported modules, the loaded snapshot, the package's caches) out of the collector's way, so
# that collections during the next notebook and the next reset only scan that notebook's
# objects (a full build took 6 s less CPU, 48 instead of 54). A kernel lives for one build; what dies later among
# the frozen objects (entries dropped from bounded caches) stays allocated until it ends.
RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
    "import gc as _gc\n_gc.collect()\n_gc.freeze()\ndel _gc\n"
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
    a 0.2 s wait for the kernel's output channel to fall silent. The reset itself (about 0.15 s
    of the kernel's time) starts as soon as a notebook is done (`release`), so that it runs
    while the worker hands back its result; the next `acquire` waits for it.
    """

    def __init__(self, kernel_name: str, reset_timeout: float = 60.0) -> None:
        self.kernel_name = kernel_name
        self.reset_timeout = reset_timeout
        self._manager: IPCKernelManager | None = None
        self._client: BlockingKernelClient | None = None
        self._pending_reset: str | None = None  # msg_id of a reset sent by `release`
        self._finalizer_registered = False

    def acquire(self) -> IPCKernelManager:
        """The kernel manager for the next notebook: the warm one, reset, or a new one."""
        if self._manager is not None and self._manager.has_kernel and not self._reset_done():
            self.discard()
        if self._manager is None:
            self._manager = IPCKernelManager(kernel_name=self.kernel_name)
            if not self._finalizer_registered:  # shut the kernel down when the worker exits
                Finalize(self, WarmKernel.discard, args=(self,), exitpriority=10)
                self._finalizer_registered = True
        return self._manager

    def release(self) -> None:
        """The notebook is done with the kernel: start the reset now (the next `acquire` waits for it)."""
        if self._manager is None:
            return
        self._manager.stop_clients()
        if not self._manager.has_kernel or self._pending_reset:
            return
        try:
            self._pending_reset = self._send_reset()
        except (RuntimeError, TimeoutError):
            self.discard()

    def discard(self) -> None:
        """Shut the kernel down (best effort); the next `acquire` starts a new one."""
        manager, self._manager = self._manager, None
        client, self._client = self._client, None
        self._pending_reset = None
        if client is not None:
            client.stop_channels()
        if manager is not None:
            manager.stop_clients()
        if manager is not None and manager.has_kernel:
            try:
                asyncio.run(manager.shutdown_kernel(now=True))
            except Exception:  # a kernel that is already dead cannot be shut down more
                pass

    def _reset_done(self) -> bool:
        """Wait for the pending reset (or send one now); whether the kernel reported success."""
        try:
            msg_id, self._pending_reset = self._pending_reset or self._send_reset(), None
            deadline = time.monotonic() + self.reset_timeout
            while (left := deadline - time.monotonic()) > 0:
                reply = self._client.get_shell_msg(timeout=left)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"]["status"] == "ok"
        except (RuntimeError, TimeoutError, Empty):
            pass
        return False

    def _send_reset(self) -> str:
        if self._client is None:
            client = BlockingKernelClient()
            client.load_connection_info(self._manager.get_connection_info())
            client.start_channels()
            self._client = client
            client.wait_for_ready(timeout=self.reset_timeout)
        while True:  # this client's copies of the kernel's output messages are not needed
            try:
                self._client.get_iopub_msg(timeout=0)
            except Empty:
                break
        return self._client.execute(RESET_CODE, silent=True, store_history=False)
