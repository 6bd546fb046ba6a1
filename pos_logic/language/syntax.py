"""The parsed form of a case file: statements and literal values, each with its source span.

This is what the grammar knows: names, values and blocks, nothing of what they mean. The schema
check (`schema.check`) turns it into the typed case model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Span


@dataclass(frozen=True)
class Value:
    """A literal: kind is money, percent, date, period, number, string, name, list or call.

    `value` holds the exact Python value (Money, Percent, date, (date, date), int, str,
    tuple of Values for a list, (name, tuple of Values) for a call).
    """

    kind: str
    value: object
    span: Span
    text: str


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
