"""The parsed form of a case file: statements and literal values, each with its source span.

This is what the grammar knows: names, values and blocks, nothing of what they mean. The schema
check (`schema.check`) turns it into the typed case model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Callable
from typing import TypeVar, Union

from ..errors import Span
from .values import Money, Percent

_T = TypeVar("_T")


#: what a literal holds: an amount, a percentage, a date, a number, a word or quoted text, a
#: period (two dates), a list of literals, or a call (a name and its argument literals)
Data = Union[Money, Percent, dt.date, int, str, tuple[dt.date, dt.date], tuple["Value", ...],
             tuple[str, tuple["Value", ...]]]


@dataclass(frozen=True)
class Value:
    """A literal: kind is money, percent, date, period, int, string, name, list or call (and,
    once the schema has typed it, enum, form or yesno); `value` holds its exact Python value.

    Code that needs one type reads it through the typed view (`money`, `date`, `word`, …),
    which says what it expects and fails loudly on anything else instead of passing it on.
    """

    kind: str
    value: Data
    span: Span
    text: str

    def _as(self, kind: type[_T]) -> _T:
        if not isinstance(self.value, kind) or isinstance(self.value, bool):
            raise TypeError(f"{self.text!r} is a {self.kind}, not a {kind.__name__}")
        return self.value

    @property
    def money(self) -> Money:
        return self._as(Money)

    @property
    def percent(self) -> Percent:
        return self._as(Percent)

    @property
    def date(self) -> dt.date:
        return self._as(dt.date)

    @property
    def number(self) -> int:
        return self._as(int)

    @property
    def word(self) -> str:
        """A name, an enum value, a form, yes/no or quoted text."""
        return self._as(str)

    def _parts(self, kind: str) -> tuple:
        if self.kind != kind:
            raise TypeError(f"{self.text!r} is a {self.kind}, not a {kind}")
        return self._as(tuple)

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self._parts("period")

    @property
    def items(self) -> tuple[Value, ...]:
        return self._parts("list")

    @property
    def call(self) -> tuple[str, tuple[Value, ...]]:
        return self._parts("call")

    @property
    def canonical(self) -> str:
        """The value written on one line as `pos fmt` writes it (quotes and escapes kept)."""
        return self._written(quote)

    @property
    def key(self) -> str:
        """The value as an expectation matches findings with: canonical, but text unquoted."""
        return self._written(str)

    def _written(self, text: Callable[[str], str]) -> str:
        if self.kind == "date":
            return self.date.isoformat()
        if self.kind == "period":
            return f"{self.period[0].isoformat()} to {self.period[1].isoformat()}"
        if self.kind == "string":
            return text(self.word)
        if self.kind == "list":
            return "[" + ", ".join(item._written(text) for item in self.items) + "]"
        if self.kind == "call":
            name, args = self.call
            return f"{name}(" + ", ".join(a._written(text) for a in args) + ")"
        return str(self.value)  # money, percent, number, name, enum, form, yes/no


def quote(s: str) -> str:
    """Text as a case file's quoted string."""
    return '"' + (s.replace("\\", "\\\\").replace('"', '\\"')
                  .replace("\n", "\\n").replace("\t", "\\t")) + '"'


@dataclass(frozen=True)
class Statement:
    """`name value value, value { ... }` — groups are the comma-separated runs of values."""

    name: str
    name_span: Span
    groups: tuple[tuple[Value, ...], ...]
    block: tuple["Statement", ...] | None
    span: Span

    def values(self) -> tuple[Value, ...]:
        return tuple(v for g in self.groups for v in g)
