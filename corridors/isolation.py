"""Run work on untrusted input in child processes, so a crash or a runaway costs one request.

GEOS is C++: a pathological geometry can overflow its stack (a 60,000-vertex zigzag did, in
Douglas-Peucker) or allocate without bound, and a segfault in the server process disconnects
every session. A :class:`WorkerPool` keeps a few warm child processes, each a fresh
interpreter under an address-space limit (``resource.setrlimit``, Linux). A job that crashes
its worker, runs past the time limit or runs out of memory ends in an :class:`IsolationError`
for that job only, and the worker is replaced; exceptions a job raises reach the caller
unchanged.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

#: Seconds a job may run before its worker is killed.
TIMEOUT_S = 60.0
#: Bytes of address space a worker may add to what it holds once started.
MEMORY_BYTES = 1_500_000_000
#: Seconds a worker may take to start (import, load its data) on a busy machine.
START_TIMEOUT_S = 180.0
#: A worker is replaced after this many jobs, so nothing a job leaves behind accumulates.
MAX_JOBS = 50
#: Idle workers are stopped after this many seconds, giving their memory back.
IDLE_S = 600.0


class IsolationError(RuntimeError):
    """A job did not finish in its worker; the message says why, for the person who sent it."""


def _address_space() -> int:
    """Return this process's virtual memory size in bytes (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


class _Duplex:
    """Two one-way connections used as one: the worker's pipes are plain file descriptors."""

    def __init__(self, reader: Connection, writer: Connection) -> None:
        self.reader, self.writer = reader, writer

    def send(self, obj: Any) -> None:
        self.writer.send(obj)

    def recv(self) -> Any:
        return self.reader.recv()

    def poll(self, timeout: float) -> bool:
        return self.reader.poll(timeout)

    @property
    def closed(self) -> bool:
        return self.reader.closed

    def close(self) -> None:
        for end in (self.reader, self.writer):
            if not end.closed:
                end.close()


def _serve(conn: _Duplex) -> None:
    """Run in the worker: set up, cap the address space, then answer jobs until the pipe closes."""
    try:
        initializer, initargs, memory_bytes = conn.recv()
        initializer(*initargs)
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            func, args = conn.recv()
        except EOFError:
            return
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:
            exc.add_note(traceback.format_exc())
            reply = ("raised", exc)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None))
        except Exception as exc:
            conn.send(("raised", RuntimeError(f"the worker could not send its answer: {exc!r}")))


class _Worker:
    """One child process and the parent's ends of the two pipes to it.

    The child is a fresh interpreter (``python -m corridors.isolation``), not a fork: the
    server is threaded, and multiprocessing's own start methods would re-run the parent's
    ``__main__``, which under Streamlit is the app script.
    """

    def __init__(
        self, initializer: Callable[..., None], initargs: Sequence[Any], memory_bytes: int
    ) -> None:
        from_parent, to_child = os.pipe()
        from_child, to_parent = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(from_parent), str(to_parent)],
            pass_fds=(from_parent, to_parent),
            stdin=subprocess.DEVNULL,
        )
        os.close(from_parent)
        os.close(to_parent)
        self.conn = _Duplex(
            Connection(from_child, writable=False), Connection(to_child, readable=False)
        )
        self.conn.send((initializer, tuple(initargs), memory_bytes))
        self.jobs = 0
        self.idle_since = time.monotonic()

    def wait_ready(self, timeout_s: float) -> None:
        status, detail = self._receive(timeout_s, "starting")
        if status != "ready":
            self.stop()
            msg = f"The analysis worker could not start: {detail}"
            raise IsolationError(msg)

    def call(self, func: Callable[..., Any], args: Sequence[Any], timeout_s: float) -> Any:
        self.jobs += 1
        try:
            self.conn.send((func, tuple(args)))
        except (BrokenPipeError, EOFError):
            raise self._crashed("starting the job") from None
        status, value = self._receive(timeout_s, "running")
        if status == "ok":
            return value
        if status == "raised":
            raise value
        self.stop()  # after a MemoryError a process is best not trusted further
        msg = "The analysis ran out of memory; try a simpler or smaller route."
        raise IsolationError(msg)

    def _receive(self, timeout_s: float, doing: str) -> tuple[str, Any]:
        try:
            if not self.conn.poll(timeout_s):
                self.stop()
                msg = (
                    f"The analysis took longer than {timeout_s:.0f} s and was stopped; try a "
                    "simpler or smaller route."
                )
                raise IsolationError(msg)
            return self.conn.recv()
        except (EOFError, ConnectionError):
            raise self._crashed(doing) from None

    def _crashed(self, doing: str) -> IsolationError:
        """Stop the worker; return the error that says how it ended."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        why = "ran out of memory or crashed" if code is not None and code < 0 else "stopped"
        msg = (
            f"The analysis {why} while {doing} (exit code {code}); this route cannot be "
            "analysed. Try a simpler or smaller one."
        )
        return IsolationError(msg)

    def stop(self) -> None:
        self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None and not self.conn.closed


class WorkerPool:
    """Up to ``max_workers`` warm worker processes, each set up once by ``initializer``.

    Parameters
    ----------
    initializer, initargs
        Run once in each new worker, e.g. to load the state boundaries the jobs need; both must
        be picklable (a module-level function).
    max_workers
        Jobs beyond this many wait for a free worker, up to ``timeout_s``.
    timeout_s
        Seconds a job may run; its worker is then killed.
    memory_bytes
        Address space a worker may add to what it holds after ``initializer``.
    """

    def __init__(
        self,
        initializer: Callable[..., None],
        initargs: Sequence[Any] = (),
        *,
        max_workers: int = 2,
        timeout_s: float = TIMEOUT_S,
        memory_bytes: int = MEMORY_BYTES,
    ) -> None:
        if max_workers < 1 or timeout_s <= 0 or memory_bytes <= 0:
            msg = (
                "max_workers, timeout_s and memory_bytes must be positive, got "
                f"{max_workers}, {timeout_s}, {memory_bytes}"
            )
            raise ValueError(msg)
        self.initializer = initializer
        self.initargs = tuple(initargs)
        self.timeout_s = timeout_s
        self.memory_bytes = memory_bytes
        self._slots = threading.BoundedSemaphore(max_workers)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []

    def run(self, func: Callable[..., Any], *args: Any) -> Any:
        """Return ``func(*args)`` computed in a worker; ``func`` must be a module-level function.

        Raises
        ------
        IsolationError
            If every worker stayed busy for ``timeout_s``, or the job crashed its worker, ran out
            of memory or ran past ``timeout_s``.
        Exception
            Whatever ``func`` raised, unchanged (with the worker's traceback as a note).
        """
        if not self._slots.acquire(timeout=self.timeout_s):
            msg = "The analysis is busy with other routes; try again in a minute."
            raise IsolationError(msg)
        try:
            worker = self._take()
            try:
                return worker.call(func, args, self.timeout_s)
            finally:
                self._give_back(worker)  # drops a worker that was stopped
        finally:
            self._slots.release()

    def _take(self) -> _Worker:
        with self._lock:
            self._stop_idle(older_than=IDLE_S)
            if self._idle:
                return self._idle.pop()
        worker = _Worker(self.initializer, self.initargs, self.memory_bytes)
        worker.wait_ready(START_TIMEOUT_S)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        if worker.jobs >= MAX_JOBS or not worker.alive:
            worker.stop()
            return
        worker.idle_since = time.monotonic()
        with self._lock:
            self._idle.append(worker)

    def _stop_idle(self, *, older_than: float) -> None:
        now = time.monotonic()
        stale = [w for w in self._idle if now - w.idle_since >= older_than]
        self._idle = [w for w in self._idle if w not in stale]
        for worker in stale:
            worker.stop()

    def close(self) -> None:
        """Stop every idle worker (a running job keeps its worker until it ends)."""
        with self._lock:
            self._stop_idle(older_than=0.0)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


if __name__ == "__main__":
    _serve(
        _Duplex(
            Connection(int(sys.argv[1]), writable=False),
            Connection(int(sys.argv[2]), readable=False),
        )
    )
