"""Where per-document work runs: in this process, in a pool of processes on this machine, or on
a Dask cluster (``Workers``).

Wherever it runs, the work is the same function applied to chunks of documents. A few chunks
per worker are in flight at a time and their results are consumed as they complete
(``stream``), so memory grows with the chunks in flight, not with the corpus; the order in
which chunks finish does not matter, because each result comes back with its position.

Work crosses processes as pickles, so a worker is sent what to open, not things already open:
an index's location (an SQLite connection cannot cross processes) and file paths. A worker
opens what it needs once and keeps it for the next chunks (``worker_local``).

Dask workers on other machines read the audited files and the index themselves. Paths, not
contents, are sent: messages stay small and every worker reads at its own pace, but every
worker must see the files at the same absolute paths (a shared filesystem mounted at the same
place on every machine), and the index must be reachable from every worker: a server
(``redis://host:port/db``) rather than an SQLite file, which must not be shared over a network
filesystem. A Dask worker must have the same version of provenance installed.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_PROCESS = 4  # fewer documents per process: starting the processes costs more than it saves
MAX_CHUNK = 16  # documents sent to a worker at once: enough to make the message cheap
IN_FLIGHT = 2  # chunks per worker submitted and not yet consumed: one running, one waiting
CONNECT_TIMEOUT = 10.0  # seconds to reach a Dask scheduler
# Forked processes start at once, with everything imported; elsewhere fork is unsafe
# (macOS) or missing (Windows), and the platform's default (spawn) is used.
_START = "fork" if sys.platform == "linux" else None


class WorkersUnavailable(Exception):
    """The Dask cluster could not be started or reached."""


def cpus() -> int:
    """The processors this process may run on (a container's or a task set's, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def process_pool(
    processes: int, setup: Callable[..., object] | None = None, *args: object
) -> ProcessPoolExecutor:
    """A pool of ``processes`` processes, started the fastest safe way on this platform, that
    end when this process does, however it ends. Each runs ``setup(*args)`` first: forked
    processes are handed ``args`` as they are, without pickling them."""
    context = multiprocessing.get_context(_START) if _START else None
    return ProcessPoolExecutor(
        processes,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), setup, args),
    )


def _start_worker(parent: int, setup: Callable[..., object] | None, args: tuple) -> None:
    _leave_with(parent)
    if setup:
        setup(*args)


def _leave_with(parent: int) -> None:
    """Exit when ``parent`` is gone: a pool's workers would otherwise wait forever for work
    from a process that was killed (``kill -9`` leaves them no message)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class InProcess(Executor):
    """Runs each piece of work in this process, when it is submitted."""

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future[R]:
        future: Future[R] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


class Workers:
    """Where per-document work runs: ``jobs`` processes on this machine (1: this process), or
    the Dask cluster whose scheduler is at ``dask`` (``"local"``: a cluster of this machine's
    processors, started for the occasion). A context manager: a Dask cluster is reached (or
    started) on entry, so an unreachable scheduler fails before any work is done."""

    def __init__(
        self, jobs: int = 1, dask: str | None = None, *, timeout: float = CONNECT_TIMEOUT
    ) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self.dask = dask
        self.timeout = timeout
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Workers:
        if self.dask:
            self._connect(self.dask)
        return self

    def __exit__(self, *_: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def _connect(self, address: str) -> None:
        try:  # imported only here: dask takes a while to import and is an optional extra
            from distributed import Client, LocalCluster
        except ImportError:
            raise WorkersUnavailable("--dask needs Dask: pip install 'provenance[dask]'") from None
        try:
            if address == "local":
                self._cluster = LocalCluster(
                    n_workers=cpus(),
                    threads_per_worker=1,  # the work holds the GIL: processes, not threads
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # no fixed port to collide on
                )
                self._client = Client(self._cluster, set_as_default=False)
            else:
                self._client = Client(address, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            self.__exit__()
            raise WorkersUnavailable(
                f"cannot reach the Dask scheduler at {address}: {error}"
            ) from None

    @property
    def size(self) -> int:
        """How many pieces of work can run at once."""
        if self._client is not None:
            return max(1, sum(self._client.nthreads().values()))
        return self.jobs

    def executor(self, tasks: int) -> Executor:
        """Where ``tasks`` pieces of work run: this process when there are too few of them to
        be worth spreading. Shut it down (``with``) when the work is done."""
        if self._client is not None:
            return self._client.get_executor(pure=False)
        if self.jobs == 1 or tasks < 2 * MIN_PER_PROCESS:
            return InProcess()
        return process_pool(min(self.jobs, tasks // MIN_PER_PROCESS))


def stream(
    executor: Executor,
    work: Callable[[list[T]], R],
    items: Sequence[T],
    workers: int = 1,
) -> Iterator[tuple[int, R]]:
    """``work(chunk)`` for consecutive chunks of ``items``, as ``(position of the chunk's first
    item, result)`` in the order they complete; at most ``IN_FLIGHT`` chunks per worker are
    submitted and not yet consumed."""
    if isinstance(executor, InProcess):
        size = 1  # nothing to amortise, and progress moves one item at a time
    else:  # at least a few chunks per worker, so that none waits long for the last one
        size = max(1, min(MAX_CHUNK, len(items) // (4 * workers)))
    chunks = ((at, list(items[at : at + size])) for at in range(0, len(items), size))
    pending: dict[Future[R], int] = {}
    for at, chunk in itertools.chain(chunks, [(-1, [])]):
        while pending and (at < 0 or len(pending) >= IN_FLIGHT * workers):
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
        if at >= 0:
            pending[executor.submit(work, chunk)] = at


_local = threading.local()


def worker_local(key: str, build: Callable[[], T]) -> T:
    """What ``build`` makes, made once per worker for ``key`` and kept for the work that follows.
    Kept per thread, not per process, because a Dask worker may run tasks in several threads
    and what is built (an SQLite connection, a matcher's cache) is for one thread. Only the
    latest key's is kept: a long-lived worker serving audit after audit holds one at a time."""
    if getattr(_local, "key", None) != key:
        _local.key = _local.value = None  # released first: it may hold a lot of memory
        _local.value, _local.key = build(), key
    value: T = _local.value
    return value
