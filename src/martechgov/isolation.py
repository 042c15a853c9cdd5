"""Bounded work: native policy evaluation only ever runs in forked worker processes.

Rego engines are native code running policies that are code too (from a trusted branch,
but code): a rule can crash the engine (a segfault, an uncaught C++ exception), loop for
ever or eat all memory. None of that may kill, hang or exhaust martechgov itself, so
every compile and evaluation happens in a worker process forked from this one:

- each worker may allocate at most `Limits.memory_mb` beyond what it holds when it
  starts (RLIMIT_AS over the current address space: regopy alone reserves a huge range
  of address space at import, so an absolute limit would be meaningless);
- each unit of work (compiling the policies, one request, one Rego test) announces
  itself with `begin(label)` in a page of memory shared with the parent; the parent
  kills a worker whose current unit runs longer than `Limits.timeout`;
- a worker that dies is reaped; what it was working on is in its shared page, and the
  end of its stderr (captured in a file) says why (a signal, `std::bad_alloc`, ...).

Every failure becomes a `BoundsError` (an EngineError) naming the unit: exit 2, never a
signal, never a hang. Workers live until `shutdown()` (the CLI calls it after each
command; `atexit` too) and keep what they compiled, so a run compiles once per worker.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import mmap
import os
import re
import resource
import signal
import struct
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, TypeVar

from martechgov.errors import EngineError, MartechgovError

T = TypeVar("T")
R = TypeVar("R")

_HEADER = struct.Struct("<dI")  # when the current unit began (0: idle), label length
_PAGE = 4096
_LABEL_MAX = _PAGE - _HEADER.size
_STDERR_TAIL = 4096
_MEMORY_WORDS = re.compile(r"bad_alloc|memory allocation of \d+ bytes failed|out of memory|"
                           r"Cannot allocate memory|MemoryError", re.IGNORECASE)
_WHAT = re.compile(r"what\(\):\s*(.+)")


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds for one unit of work (`--eval-timeout`)
    memory_mb: int = 2048  # memory one worker may allocate (`--eval-memory`)


class BoundsError(EngineError):
    """A unit of work crashed, ran out of time or out of memory in its worker."""

    def __init__(self, subject: str, reason: str, kind: str) -> None:
        super().__init__(f"{subject}: {reason}; nothing was judged")
        self.subject = subject
        self.reason = reason
        self.kind = kind  # "crash", "exit", "timeout" or "memory"
        self.task: int | None = None  # which of `Pool.map`'s arguments was running

    def with_reason(self, reason: str) -> BoundsError:
        error = BoundsError(self.subject, reason, self.kind)
        error.task = self.task
        return error


# -- inside a worker -----------------------------------------------------------------

_SLOT: mmap.mmap | None = None  # this worker's shared page; None in the parent


def in_worker() -> bool:
    return _SLOT is not None


def begin(label: str) -> None:
    """Start a unit of work: its deadline runs from now (a no-op outside workers)."""
    slot = _SLOT
    if slot is None:
        return
    data = label.encode("utf-8", "replace")[:_LABEL_MAX]
    slot[_HEADER.size:_HEADER.size + len(data)] = data
    _HEADER.pack_into(slot, 0, time.monotonic(), len(data))


def _idle(slot: mmap.mmap) -> None:
    _HEADER.pack_into(slot, 0, 0.0, 0)


def _serve(conn: Connection, slot: mmap.mmap, stderr: int, limits: Limits) -> None:
    global _SLOT, _POOL
    _SLOT, _POOL = slot, None
    faulthandler.disable()  # a crash is reported by the parent, not as a traceback
    os.dup2(stderr, 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file
    _limit_memory(limits.memory_mb)
    while True:
        try:
            func, argument = conn.recv()
        except (EOFError, OSError):  # the parent is gone or done with us
            return
        try:
            answer: tuple[str, Any] = ("ok", func(argument))
        except MemoryError:
            answer = ("memory", None)
        except MartechgovError as exc:
            answer = ("error", exc)
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which fails closed
            answer = ("error", EngineError(f"internal error in a worker process "
                                           f"({type(exc).__name__}: {exc})"))
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("memory", None))
        _idle(slot)


def _limit_memory(megabytes: int) -> None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status
                        if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return  # not Linux: no address-space accounting to build on
    limit = size + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# -- the parent ----------------------------------------------------------------------


class _Worker:
    conn: Connection
    pid: int

    def __init__(self, limits: Limits, siblings: Sequence[_Worker]) -> None:
        self.slot = mmap.mmap(-1, _PAGE)  # MAP_SHARED | MAP_ANONYMOUS: shared after fork
        self.stderr = tempfile.TemporaryFile()
        parent_end, child_end = Pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            code = 0
            try:
                parent_end.close()
                for sibling in siblings:
                    sibling.conn.close()
                _serve(child_end, self.slot, self.stderr.fileno(), limits)
            except BaseException:  # noqa: BLE001 - a worker exits, it never unwinds
                code = 70
            finally:
                os._exit(code)
        child_end.close()
        self.pid = pid
        self.conn = parent_end

    def current(self) -> tuple[float, str]:
        started, length = _HEADER.unpack_from(self.slot, 0)
        label = self.slot[_HEADER.size:_HEADER.size + min(length, _LABEL_MAX)]
        return started, label.decode("utf-8", "replace")

    def kill(self) -> int:
        """SIGKILL (if still running) and reap; returns the wait status."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        return self.reap()

    def reap(self) -> int:
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 0
        self.conn.close()
        return status

    def stderr_tail(self) -> str:
        with contextlib.suppress(OSError):
            size = os.fstat(self.stderr.fileno()).st_size
            return os.pread(self.stderr.fileno(), _STDERR_TAIL, max(0, size - _STDERR_TAIL)
                            ).decode("utf-8", "replace")
        return ""


class Pool:
    """Persistent forked workers; `map` runs work on them within the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._idle: list[_Worker] = []

    def run(self, func: Callable[[T], R], argument: T, subject: str) -> R:
        return self.map(func, [argument], 1, subject)[0]

    def map(self, func: Callable[[T], R], arguments: Sequence[T], jobs: int,
            subject: str = "the policies", done: Callable[[R], None] | None = None
            ) -> list[R]:
        """`func(argument)` for each argument on up to `jobs` workers, in order.

        `subject` names the work when a worker fails outside any `begin` unit.
        `done` is called with each result as it arrives (for progress).
        """
        results: list[Any] = [None] * len(arguments)
        pending = deque(enumerate(arguments))
        busy: dict[Connection, tuple[_Worker, int]] = {}
        poll = min(0.25, max(0.01, self.limits.timeout / 20))
        try:
            while pending or busy:
                while pending and len(busy) < max(1, jobs):
                    worker = self._idle.pop() if self._idle else self._spawn(busy)
                    index, argument = pending.popleft()
                    busy[worker.conn] = (worker, index)
                    worker.conn.send((func, argument))
                for conn in wait(list(busy), timeout=poll):
                    worker, index = busy.pop(conn)  # type: ignore[call-overload]
                    try:
                        results[index] = self._receive(worker, subject)
                    except BoundsError as error:
                        error.task = index
                        raise
                    self._idle.append(worker)
                    if done is not None:
                        done(results[index])
                self._enforce_deadlines(busy)
        except BaseException:
            for worker, _ in busy.values():  # abandoned work: the run fails anyway
                worker.kill()
            raise
        return results

    def shutdown(self) -> None:
        """Stop the idle workers (they hold nothing but compiled policies)."""
        workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()

    def _spawn(self, busy: dict[Connection, tuple[_Worker, int]]) -> _Worker:
        try:
            return _Worker(self.limits, [*self._idle, *(w for w, _ in busy.values())])
        except OSError as exc:
            raise EngineError(f"could not start a worker process to evaluate the policies "
                              f"({exc.strerror or exc})") from None

    def _receive(self, worker: _Worker, subject: str) -> Any:
        try:
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            raise self._died(worker, subject) from None
        if status == "ok":
            return value
        if status == "memory":
            who = self._subject(worker, subject)
            worker.kill()
            raise BoundsError(who, self._memory_reason(), "memory")
        self._idle.append(worker)  # a reported error: the worker itself is fine
        raise value

    def _enforce_deadlines(self, busy: dict[Connection, tuple[_Worker, int]]) -> None:
        now = time.monotonic()
        for conn, (worker, _) in list(busy.items()):
            started, label = worker.current()
            if started and now - started > self.limits.timeout:
                _, index = busy.pop(conn)
                worker.kill()
                error = BoundsError(label, f"took longer than {self.limits.timeout:g} s "
                                           "(--eval-timeout), so it was stopped", "timeout")
                error.task = index
                raise error

    def _died(self, worker: _Worker, subject: str) -> BoundsError:
        who = self._subject(worker, subject)
        code = os.waitstatus_to_exitcode(worker.reap())
        tail = worker.stderr_tail()
        if _MEMORY_WORDS.search(tail):
            return BoundsError(who, self._memory_reason(), "memory")
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            what = _WHAT.findall(tail)
            detail = f": {what[-1].strip()[:200]}" if what else ""
            description = signal.strsignal(-code) or name
            reason = f"the Rego engine crashed ({name}, {description.lower()}{detail})"
            return BoundsError(who, reason, "crash")
        return BoundsError(who, f"the worker process exited unexpectedly (code {code})", "exit")

    def _memory_reason(self) -> str:
        return (f"needed more than the memory limit of {self.limits.memory_mb} MB "
                "(--eval-memory), so it was stopped")

    @staticmethod
    def _subject(worker: _Worker, subject: str) -> str:
        started, label = worker.current()
        return label if started and label else subject


_POOL: Pool | None = None
_CONFIGURED: Limits | None = None  # the limits the command line was given


def configure(limits: Limits) -> None:
    """The limits the user chose (`--eval-timeout`, `--eval-memory`), for bounded work
    that starts before any engine does (parsing the library)."""
    global _CONFIGURED
    _CONFIGURED = limits


def configured() -> Limits:
    return _CONFIGURED or Limits()


def pool(limits: Limits) -> Pool:
    """The process's worker pool (a new one when the limits change)."""
    global _POOL
    if _POOL is not None and _POOL.limits != limits:
        _POOL.shutdown()
        _POOL = None
    if _POOL is None:
        _POOL = Pool(limits)
    return _POOL


def shutdown() -> None:
    """Stop every worker (the next bounded call starts fresh ones)."""
    global _POOL
    if _POOL is not None and not in_worker():
        _POOL.shutdown()
    _POOL = None


atexit.register(shutdown)
