"""One run at a time per reports folder: `<reports>/.run.lock` names the running process.

Two runs writing one folder would interleave their notebooks, temporary files, `run.json` and
`index.html`. A run therefore holds an exclusive `flock` on the lock file for its whole
duration and writes its pid and start time into it; a second run on the same folder is
refused at once with a message naming that process (`ReportsBusy`). The kernel releases the
lock when its holder dies, however it dies, so a lock left by a killed run (the file with a
pid that no longer runs) is stale by construction: the next run takes it over and says so.
A holder removes the file when it is done (and the folders it created, if they stayed empty).

Taking the lock is also the run's first write to the folder: a folder that cannot be created
or written (read-only, no permission, full disk) gives one `ReportsDirError` naming the
folder and the cause before any notebook starts. POSIX only (`fcntl`), like the worker pool.
"""
from __future__ import annotations

import fcntl
import functools
import inspect
import os
import re
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, ParamSpec, TypeVar

LOCK_NAME = ".run.lock"
P = ParamSpec("P")
R = TypeVar("R")


class ReportsDirError(OSError):
    """The reports folder cannot be created or written; nothing was changed in it."""

    def __str__(self) -> str:
        return str(self.strerror)


class ReportsBusy(RuntimeError):
    """Another run holds the reports folder."""


def lock_path(reports_dir: Path) -> Path:
    return Path(reports_dir) / LOCK_NAME


@contextmanager
def reports_lock(reports_dir: Path) -> Iterator[Path]:
    """Hold the reports folder for one run; `ReportsBusy` if another run holds it,
    `ReportsDirError` if the folder cannot be created or written."""
    path = lock_path(reports_dir)
    created = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    handle = _acquire(path)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)  # before unlocking: a run waiting on this file sees it replaced
        os.close(handle)
        for folder in created:  # a run that wrote nothing leaves no empty folders behind
            try:
                folder.rmdir()
            except OSError:
                break


def holding_reports_lock(run: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function with a `reports_dir` parameter so that it runs holding that folder."""
    signature = inspect.signature(run)

    @functools.wraps(run)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with reports_lock(Path(signature.bind(*args, **kwargs).arguments["reports_dir"])):
            return run(*args, **kwargs)
    return locked


def _acquire(path: Path) -> int:
    """The descriptor of the locked file, with this process's pid written into it."""
    folder = path.parent
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise _unwritable(folder, error) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(handle)
            os.close(handle)
            raise ReportsBusy(f"the reports folder {folder} is in use by another workbench run "
                              f"({_describe_holder(holder)}); wait until it has finished, "
                              f"or give this run another --reports-dir") from None
        if _same_file(handle, path):
            break
        os.close(handle)  # the holder removed the file while we opened it: take the new one
    stale = _read(handle)
    if stale:
        print(f"note: {path} was left by a run that no longer runs ({stale}); taken over", file=sys.stderr)
    try:
        os.ftruncate(handle, 0)
        started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.pwrite(handle, f"pid {os.getpid()}, started {started}\n".encode(), 0)
    except OSError as error:
        os.close(handle)
        path.unlink(missing_ok=True)
        raise _unwritable(folder, error) from None
    return handle


def _describe_holder(holder: str) -> str:
    """The lock file's text; if its process is gone, the lock is still held by the worker
    processes it forked (they inherit the lock), which are finishing or being stopped."""
    pid = re.match(r"pid (\d+)", holder)
    if not pid:
        return "its process is starting"
    try:
        os.kill(int(pid[1]), 0)
    except ProcessLookupError:
        return f"{holder}; that process has ended, its worker processes have not yet"
    except PermissionError:
        pass  # alive, another user's
    return holder


def _unwritable(folder: Path, error: OSError) -> ReportsDirError:
    return ReportsDirError(error.errno, f"cannot write to the reports folder {folder}: "
                                        f"{error.strerror or error}; nothing in it was changed")


def _read(handle: int) -> str:
    os.lseek(handle, 0, os.SEEK_SET)
    return os.read(handle, 200).decode("utf-8", "replace").strip()


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle).st_ino
    except FileNotFoundError:
        return False
