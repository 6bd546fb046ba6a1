"""Bounded runs: a command that grounds or solves past its time or memory limit stops with a
message naming what it was checking, and exit 2, never a hang.

clingo's grounding cannot be interrupted from Python, but it releases the interpreter while it
works, so a watchdog thread can end the process when the time is up; memory is capped with
RLIMIT_AS, which makes clingo's allocation fail (MemoryError), and `bounded` turns that into a
PolicyError. Limits come from `pos --time-limit/--memory-limit` or POS_TIME_LIMIT (seconds) and
POS_MEMORY_LIMIT (MB).
"""

from __future__ import annotations

import os
import resource
import sys
import threading
from contextlib import contextmanager

from ..errors import PosError

TIME_ENV, MEMORY_ENV = "POS_TIME_LIMIT", "POS_MEMORY_LIMIT"
DEFAULT_SECONDS = 600
DEFAULT_MEGABYTES = 4096

_doing = ["starting"]


class LimitError(PosError):
    """A check went past its memory limit."""


def install(seconds: float | None = None, megabytes: int | None = None):
    """Cap this process, memory now and time from now, until the returned function is called
    (a command calls it when it ends)."""
    seconds = seconds or float(os.environ.get(TIME_ENV) or DEFAULT_SECONDS)
    megabytes = megabytes or int(os.environ.get(MEMORY_ENV) or DEFAULT_MEGABYTES)
    before = resource.getrlimit(resource.RLIMIT_AS)
    soft, hard = before
    wanted = megabytes * 2**20
    if (hard == resource.RLIM_INFINITY or wanted < hard) and (soft == resource.RLIM_INFINITY or wanted < soft):
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    watchdog = threading.Timer(seconds, _out_of_time, args=(seconds,))
    watchdog.daemon = True
    watchdog.start()

    def lift() -> None:
        watchdog.cancel()
        resource.setrlimit(resource.RLIMIT_AS, before)

    return lift


def _out_of_time(seconds: float) -> None:
    sys.stderr.write(f"error: {_doing[-1]}: stopped at the time limit of {seconds:g} s; the policy may "
                     f"ground to too much (raise it with --time-limit or {TIME_ENV})\n")
    sys.stderr.flush()
    os._exit(2)


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
