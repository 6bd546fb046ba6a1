"""What only a terminal gets: colour, lines wrapped to its width, and a progress bar on runs that
take more than a second. Output to a pipe or a file stays the deterministic plain text of
render.py. rich decides what a terminal is and honours NO_COLOR (no colour) and FORCE_COLOR
(colour and wrapping even through a pipe); COLUMNS sets the width. Output that is plainly not a
terminal (`_plain`) is written without importing rich.
"""

from __future__ import annotations

import os
import sys
import textwrap
import time
from collections.abc import Iterable
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

import click

from ..language.model import FINDINGS

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

#: a line's style, by how it starts once stripped
_STYLES = (("✗", "bold red"), ("?", "yellow"), ("!", "yellow"), ("✓", "green"), ("VIOLATIONS FOUND", "bold red"),
           ("no violations among", "yellow"), ("no violations", "green"), ("FAIL", "bold red"),
           ("pass", "green"), ("ERROR", "bold red"), ("expectation not met", "red"), ("policies:", "dim"))
#: marks after which a wrapped line's continuation is indented two more columns
_MARKS = tuple(dict.fromkeys(f"{k.mark} " for k in FINDINGS))  # "? " also marks an unstated status
_HEADINGS = {k.heading for k in FINDINGS}


def _style(line: str) -> str:
    stripped = line.lstrip()
    if line and not line.startswith(" ") and not stripped.startswith(("FAIL", "pass", "ERROR", "policies:")):
        return "bold"  # a case's first line
    if len(line) - len(stripped) == 4 and stripped.rstrip() in _HEADINGS:
        return "bold"  # a kind heading: Violations, Approvals
    return next((s for start, s in _STYLES if stripped.startswith(start)), "")


def wrap(line: str, width: int) -> list[str]:
    """A line folded to the width, continuations indented under its text; a word is cut only
    when it is wider than the terminal by itself."""
    if len(line) <= width:
        return [line]
    indent = len(line) - len(line.lstrip())
    more = 2 if line.lstrip().startswith(_MARKS) else 0
    return textwrap.wrap(line, width, subsequent_indent=" " * (indent + more), break_long_words=True,
                         break_on_hyphens=False) or [line]


def echo(text: str) -> None:
    """Print a report: as is to a pipe or file; coloured and wrapped on a terminal."""
    echo_each([text])


def _plain(stream: IO) -> bool:
    """Output that rich would not treat as a terminal, known without importing rich (~25 ms, a
    tenth of a one-file check): a stream that is not a TTY, with neither FORCE_COLOR nor
    TTY_COMPATIBLE=1 set. Anything else rich decides."""
    if os.environ.get("FORCE_COLOR") is not None or os.environ.get("TTY_COMPATIBLE") == "1":
        return False
    isatty = getattr(stream, "isatty", None)
    return isatty is None or not isatty()


def echo_each(texts: Iterable[str]) -> None:
    """Print the parts of a report as they come (a long run's cases, one by one)."""
    if _plain(sys.stdout):
        for text in texts:
            click.echo(text, nl=False)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for text in texts:
        if not console.is_terminal:
            click.echo(text, nl=False)
            continue
        for line in text.splitlines():
            style = _style(line)
            for row in wrap(line, console.width):
                console.print(Text(row, style=style), soft_wrap=True)


@contextmanager
def progress(total: int, label: str):
    """A callback to call once per step; a bar appears on standard error only if the run is
    still going after a second, and only on a terminal."""
    if _plain(sys.stderr):
        yield lambda: None
        return
    from rich.console import Console

    console = Console(stderr=True)
    start = time.monotonic()
    done = 0
    bar: Progress | None = None
    task: TaskID | None = None

    def step() -> None:
        nonlocal done, bar, task
        done += 1
        if bar is None:
            if not console.is_terminal or time.monotonic() - start < 1.0:
                return
            # imported only now: ~10 ms that a run shorter than a second does not pay
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           console=console, transient=True)
            bar.start()
            task = bar.add_task(label, total=total)
        if task is not None:
            bar.update(task, completed=done)

    try:
        yield step
    finally:
        if bar is not None:
            bar.stop()
