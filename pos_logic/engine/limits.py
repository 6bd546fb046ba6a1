"""Bounded runs: a command that grounds or solves past its time or memory limit stops with a
message naming what it was checking, and exit 2, never a hang.

clingo's grounding cannot be interrupted from Python, but it releases the interpreter while it
works, so a watchdog thread can end the process when the time is up; memory is capped with
RLIMIT_AS, which makes clingo's allocation fail (MemoryError), and `bounded` turns that into a
PolicyError. Limits come from `pos --time-limit/--memory-limit` or POS_TIME_LIMIT (seconds) and
POS_MEMORY_LIMIT (MB).

The time limit is the longest a command may go without progress, not its whole length: each
chunk of cases checked or loaded (`progress`) starts it again. A state's book of 100,000 cases
takes longer than any sensible limit, and must not be stopped for it; one chunk, or the policy's
loading before the first, that takes so long is a policy that grounds to too much. A run's
chunks handed to worker processes (check.py, `--jobs`) are timed where they run: the pool stops
a worker whose chunk passes `seconds()` (`OutOfTime`), so none is left working on after the
command has ended; this process, only waiting meanwhile (`waiting`), keeps a longer limit as a
backstop.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from contextlib import contextmanager

from ..errors import PosError

TIME_ENV, MEMORY_ENV = "POS_TIME_LIMIT", "POS_MEMORY_LIMIT"
DEFAULT_SECONDS = 600
DEFAULT_MEGABYTES = 4096

_doing = ["starting"]


class LimitError(PosError):
    """A check went past its memory limit, or (OutOfTime) a worker's chunk past the time limit."""


class OutOfTime(LimitError):
    """A chunk of a run checked in a worker process went past the time limit; the worker was stopped."""

    def __init__(self, seconds: float):
        super().__init__(_late(seconds))


def install(seconds: float | None = None, megabytes: int | None = None):
    """Cap this process, memory now and time from now (from each `progress` on), until the
    returned function is called (a command calls it when it ends)."""
    seconds = seconds or float(os.environ.get(TIME_ENV) or DEFAULT_SECONDS)
    megabytes = megabytes or int(os.environ.get(MEMORY_ENV) or DEFAULT_MEGABYTES)
    before = resource.getrlimit(resource.RLIMIT_AS)
    soft, hard = before
    wanted = megabytes * 2**20
    if (hard == resource.RLIM_INFINITY or wanted < hard) and (soft == resource.RLIM_INFINITY or wanted < soft):
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    global _watchdog
    watchdog = _watchdog = _Watchdog(seconds)
    watchdog.start()

    def lift() -> None:
        global _watchdog
        watchdog.stop.set()  # its own: a later install's watchdog is not this one's to stop
        if _watchdog is watchdog:
            _watchdog = None
        resource.setrlimit(resource.RLIMIT_AS, before)

    return lift


def untimed() -> None:
    """No time limit from now on in this process: a server runs until it is stopped, and each
    of its checks has a time limit of its own (web/app.py), in a worker process."""
    global _watchdog
    watchdog, _watchdog = _watchdog, None
    if watchdog is not None:
        watchdog.stop.set()


def seconds() -> float | None:
    """The time limit in force in this process, if any: what a chunk handed to a worker gets."""
    watchdog = _watchdog  # read once: a command ending in another thread may clear it
    return None if watchdog is None else watchdog.seconds


def progress() -> None:
    """A chunk of a run is done: the time limit starts again (nothing happens without a limit)."""
    watchdog = _watchdog  # read once, as in seconds()
    if watchdog is not None:
        watchdog.deadline = time.monotonic() + watchdog.seconds + watchdog.slack


@contextmanager
def waiting():
    """This process waits for workers whose chunks are each timed by their pool (`seconds`): its
    own limit must not end it first and leave them running, so it is stretched to twice the
    limit and a minute (a chunk may wait for a worker to start, then run to the limit), a
    backstop should the pool itself stall."""
    watchdog = _watchdog
    if watchdog is None:
        yield
        return
    watchdog.slack = watchdog.seconds + 60
    progress()
    try:
        yield
    finally:
        watchdog.slack = 0.0
        progress()


class _Watchdog(threading.Thread):
    """Ends the process with exit 2 once `seconds` pass without `progress`."""

    def __init__(self, seconds: float):
        super().__init__(daemon=True)
        self.seconds = seconds
        self.slack = 0.0  # more time between chunks while workers do them (waiting)
        self.deadline = time.monotonic() + seconds
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(max(self.deadline - time.monotonic(), 0.0)):
            if time.monotonic() >= self.deadline:
                _out_of_time(self.seconds)


_watchdog: _Watchdog | None = None


def _out_of_time(seconds: float) -> None:
    sys.stderr.write(f"error: {_late(seconds)}\n")
    sys.stderr.flush()
    os._exit(2)


def _late(seconds: float) -> str:
    return (f"{_doing[-1]}: stopped at the time limit of {seconds:g} s; the policy may ground to too much "
            f"(raise it with --time-limit or {TIME_ENV})")


@contextmanager
def bounded(what: str):
    """Name what is being checked for a limit's message; a MemoryError becomes a LimitError."""
    _doing.append(what)
    try:
        yield
    except MemoryError:
        raise LimitError(f"{what}: stopped at the memory limit (raise it with --memory-limit or "
                         f"{MEMORY_ENV}); the policy may ground to too much") from None
    finally:
        _doing.pop()
