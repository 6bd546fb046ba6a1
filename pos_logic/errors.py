"""The package's one error root, and diagnostics that point at a file:line:col.

Every input problem (a case, a schema, a policy) becomes a `Diagnostic`; a stage collects all it
finds and raises one `InputError`, so the user sees every problem at once and the CLI maps the
whole family to exit code 2.

    >>> d = Diagnostic("case.pos", 3, 5, "unknown attribute 'compensaton'", hint="compensation")
    >>> d.headline()
    "case.pos:3:5: unknown attribute 'compensaton' (did you mean 'compensation'?)"
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Span(NamedTuple):
    """Where a value came from: file and 1-based line and column, and where it ends. A named
    tuple, immutable and ordered as the frozen dataclass it was, but made and pickled in C: a
    parse makes one for every value and statement (~650 a heavy case file), and with the
    dataclass a parse took 10% more instructions, pickling a parsed case between a run's passes
    12% more (bench/README.md)."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    message: str
    expected: tuple[str, ...] = ()
    hint: str | None = None
    source_line: str | None = None
    width: int = 1
    severity: str = "error"  # or "warning": reported, but no reason to refuse

    @classmethod
    def at(cls, span: Span, message: str, **kw) -> "Diagnostic":
        width = span.end_column - span.column if span.end_line == span.line else 1
        return cls(span.file, span.line, span.column, message, width=max(width, 1), **kw)

    def headline(self) -> str:
        mark = "warning: " if self.severity == "warning" else ""
        text = f"{self.file}:{self.line}:{self.column}: {mark}{self.message}"
        if self.hint:
            text += f" (did you mean '{self.hint}'?)"
        return text

    def render(self) -> str:
        """The headline, the source line with a caret under the spot, and what was expected."""
        lines = [self.headline()]
        if self.source_line is not None:
            # control characters (a terminal would act on them) shown as one mark each
            src = _UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", self.source_line.rstrip("\r\n").expandtabs(1))
            lines.append(f"    {src}")
            lines.append("    " + " " * max(self.column - 1, 0) + "^" * min(self.width, 60))
        if self.expected:
            lines.append("    expected: " + ", ".join(self.expected))
        return "\n".join(lines)

    def with_source(self, text: str | list[str] | None) -> "Diagnostic":
        """This diagnostic with the line it points at; many diagnostics of one file should
        share one split of its text (`with_sources`)."""
        if text is None or self.source_line is not None:
            return self
        rows = text.split("\n") if isinstance(text, str) else text
        if 1 <= self.line <= len(rows):
            return Diagnostic(self.file, self.line, self.column, self.message, self.expected,
                              self.hint, rows[self.line - 1], self.width, self.severity)
        return self


class PosError(Exception):
    """Root of every error pos-logic reports to a user (exit code 2 at the CLI)."""


@dataclass
class InputError(PosError):
    """One or more problems in an input file: a case, a schema, or a policy."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    #: more problems than this in one report are counted, not printed
    SHOWN = 100

    def render(self) -> str:
        diags = sorted_diagnostics(self.diagnostics)
        text = "\n".join(d.render() for d in diags[: self.SHOWN])
        if len(diags) > self.SHOWN:
            text += f"\n… and {len(diags) - self.SHOWN} more problems"
        return text


def with_sources(diags: Iterable[Diagnostic], text: str) -> list[Diagnostic]:
    """Every diagnostic of one file with its source line (the text is split once)."""
    rows = text.split("\n")
    return [d.with_source(rows) for d in diags]


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.file, d.line, d.column, d.message))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a user most likely meant, for a 'did you mean'."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.7)
    return lowered[match[0]] if match else None
