"""Work that may run away (laying out a PDF from text a user wrote) done in a child process
under a memory and a time limit, so that the process serving the request neither grows nor
hangs (issue 16, hole 6; decision 21).

The child is forked from the calling process: templates, fonts and settings are already loaded
and nothing is imported again (a fresh interpreter would cost a second per document). It lowers
its own address-space limit (``RLIMIT_AS``: what it has at the fork plus
``TIAOJIE_RENDER_MEMORY_MB``) and CPU limit, and the caller kills it when the wall-clock limit
passes. The work it is given must not touch the database: the child shares the parent's
connections, so everything is read before the fork and only plain values go in.

The caller gets the result, the child's own exception (a bug stays a bug), or
``LimitExceeded``: a domain error with a message for the user (422 in the API)."""

from __future__ import annotations

import faulthandler
import logging
import math
import multiprocessing
import pickle
import resource
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from tiaojie.core.error_codes import CoreErrorCode
from tiaojie.core.errors import DomainError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

logger = logging.getLogger(__name__)
T = TypeVar("T")
Limit = Literal["time", "memory"]
MEGABYTE = 1024 * 1024
# What an error in the child must still be able to allocate not to count as out of memory.
PROBE = 16 * MEGABYTE


@dataclass(frozen=True)
class Limits:
    """How long (wall clock, seconds) and how much more memory (MB) one piece of work may take."""

    seconds: float
    memory_mb: int

    @classmethod
    def configured(cls, *, seconds: float | None = None) -> Limits:
        """The installation's limits (``TIAOJIE_RENDER_TIMEOUT_SECONDS``,
        ``TIAOJIE_RENDER_MEMORY_MB``); ``seconds`` for work allowed longer (the whole file)."""
        return cls(
            seconds=seconds or settings.TIAOJIE_RENDER_TIMEOUT_SECONDS,
            memory_mb=settings.TIAOJIE_RENDER_MEMORY_MB,
        )


class LimitExceeded(DomainError):
    """The work was stopped at its time or memory limit; ``limit`` says which."""

    status = 422

    def __init__(self, limit: Limit, limits: Limits, what: str) -> None:
        self.limit = limit
        if limit == "time":
            message = _(
                "Generating %(what)s took longer than %(seconds)s seconds and was stopped. "
                "Shorten the content and try again."
            ) % {"what": what, "seconds": f"{limits.seconds:g}"}
        else:
            message = _(
                "Generating %(what)s needed more than %(megabytes)s MB of memory and was "
                "stopped. Shorten the content and try again."
            ) % {"what": what, "megabytes": limits.memory_mb}
        code = CoreErrorCode.RENDER_TIME if limit == "time" else CoreErrorCode.RENDER_MEMORY
        super().__init__(code, message, limit=limit)


class RemoteTraceback(Exception):
    """The child's traceback, chained to the exception it raised (as concurrent.futures does)."""


def run_limited(
    work: Callable[..., T],
    *args: Any,
    limits: Limits,
    what: str,
    progress: Callable[[int], None] | None = None,
) -> T:
    """``work(*args)`` in a child under ``limits``; with ``progress``, the child's work is
    called with ``progress=`` too and its reports are passed on here, in this process (where
    the database may be written)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, limits, work, args, progress is not None), daemon=True
    )
    child.start()
    sender.close()
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                child.kill()
                raise _stopped("time", limits, what)
            try:
                kind, value = receiver.recv()
            except EOFError:
                # Died without answering: CPU time ran out (SIGXCPU), or memory did where
                # Python could not raise MemoryError (a C library aborting on a failed malloc).
                child.join()
                cpu = child.exitcode == -signal.SIGXCPU
                raise _stopped("time" if cpu else "memory", limits, what) from None
            if kind == "progress" and progress is not None:
                progress(value)
            elif kind == "done":
                return value  # type: ignore[no-any-return]
            elif kind == "memory":
                raise _stopped("memory", limits, what)
            elif kind == "error":
                error, text = value
                raise error from RemoteTraceback(text)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _stopped(limit: Limit, limits: Limits, what: str) -> LimitExceeded:
    logger.warning("Stopped generating %s at its %s limit (%s)", what, limit, limits)
    return LimitExceeded(limit, limits, what)


def _child(
    sender: Connection,
    limits: Limits,
    work: Callable[..., Any],
    args: tuple[Any, ...],
    reports: bool,
) -> None:
    # The parent's handlers (a worker's graceful shutdown) are not the child's to run, and a
    # crash at the memory limit is reported by the parent, not dumped by faulthandler.
    faulthandler.disable()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    start = _address_space()
    _limit_memory(start, limits.memory_mb)
    cpu = math.ceil(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    message: tuple[str, Any]
    try:
        kwargs = {"progress": lambda percent: sender.send(("progress", percent))} if reports else {}
        message = ("done", work(*args, **kwargs))
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:  # handed to the parent, which raises it
        if _out_of_memory(start, limits.memory_mb):
            # C extensions that cannot allocate often fail some other way (cffi: SystemError).
            message = ("memory", None)
        else:
            message = ("error", (_portable(exc), traceback.format_exc()))
    sender.send(message)
    sender.close()


def _portable(exc: Exception) -> Exception:
    """``exc`` itself when it survives pickling, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except Exception:  # any failure means: send a plain copy
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _address_space() -> int | None:
    """This process's address space now, in bytes; None without /proc (not Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _limit_memory(start: int | None, megabytes: int) -> None:
    """Allow the address space the child has at the fork plus ``megabytes``. Without /proc
    only the time limits hold."""
    if start is None:
        return
    limit = start + megabytes * MEGABYTE
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _out_of_memory(start: int | None, megabytes: int) -> bool:
    """Whether the child has come to its memory limit: its address space within a tenth of
    the limit, or a small allocation failing now. (Not ``VmPeak``: a child inherits its
    parent's peak.)"""
    now = _address_space()
    if start is not None and now is not None and now - start >= 0.9 * megabytes * MEGABYTE:
        return True
    try:
        bytearray(PROBE)
    except MemoryError:
        return True
    return False
