"""The typed, frozen case model that the schema check produces from the parsed statements.

A case is one file: a header (title, jurisdiction, as_of), one or more agreements, and the
expectations it pins. Agreements and their sub-blocks (contractor, interest, procurement, …) are
all `Entity`s with an id unique in the case, so rules can relate them; every value keeps the
span of the text it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from ..errors import Span
from .syntax import Value

#: The kinds of finding a policy derives, in the order a checklist shows them. An advisory is
#: a "should" the case falls short of; a note is information that asks nothing of the case
#: (a filter may drop notes); `met` is a requirement that applies and that the case satisfies,
#: so a reader tells "applied and passed" from "not encoded".
@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: the one table the engine (#show), lint (arities), the checklist
    (headings, marks) and the web page read."""

    name: str
    arity: int  #: arguments as rules write it (the agreement first); the engine adds the case
    heading: str
    mark: str  #: the checklist's bullet
    counted: tuple[str, str]  #: the summary's words for one and for several ("1 advisory, 2 advisories")


FINDINGS = (
    FindingKind("violation", 2, "Violations", "✗", ("violation", "violations")),
    FindingKind("unknown", 2, "Not checked: the case does not say", "?", ("not checked", "not checked")),
    FindingKind("approval", 2, "Approvals", "•", ("approval", "approvals")),
    FindingKind("document", 3, "Documents", "•", ("document", "documents")),
    FindingKind("language", 2, "Contract language", "•", ("language", "languages")),
    FindingKind("procurement", 2, "Procurement", "•", ("procurement", "procurements")),
    FindingKind("obligation", 2, "Obligations", "•", ("obligation", "obligations")),
    FindingKind("advisory", 2, "Advisories", "!", ("advisory", "advisories")),
    FindingKind("note", 2, "Notes", "i", ("note", "notes")),
    FindingKind("met", 2, "Met requirements", "✓", ("met", "met")),
    FindingKind("value", 3, "Computed values", "=", ("value", "values")),
)
FINDING_KINDS = tuple(k.name for k in FINDINGS)
FINDING = {k.name: k for k in FINDINGS}


@dataclass(frozen=True)
class Attribute:
    """One attribute statement: its name and its typed field values (one tuple per item)."""

    name: str
    items: tuple[tuple[Value, ...], ...]
    span: Span


@dataclass(frozen=True)
class Entity:
    """An agreement or a block inside one: `kind` is the word that opened it in the case
    (contract, contractor, before, …), `block` the schema block that describes it."""

    id: int
    kind: str
    block: str
    label: Value | None
    attributes: tuple[Attribute, ...]
    children: tuple["Entity", ...]
    span: Span

    @property
    def title(self) -> str:
        return self.label.word if self.label is not None else self.kind

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Expectation:
    """One line of an `expect` block.

    mode: "present" (the finding must be derived), "absent" (`not …`), "none" (`kind none`),
    "only" (`kind only a, b`: these must be derived and no other of that kind).
    key: the finding's arguments as the user wrote them (a prefix is enough), empty for "none".
    because: rule ids that must be among those deriving the finding.
    agreement: the agreement the line is about (its title), or None for any agreement.
    written: the key's values as the file writes them (quotes kept), to write the line back.
    """

    mode: str
    kind: str
    key: tuple[str, ...]
    because: tuple[str, ...]
    agreement: str | None
    span: Span
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    file: str
    title: str
    jurisdiction: str
    as_of: dt.date | None
    agreements: tuple[Entity, ...]
    expectations: tuple[Expectation, ...]
    text: str
    #: `setting NAME VALUE` lines: the interpretive readings this case asks for
    settings: tuple[tuple[Value, Value], ...] = ()
    #: where the `as_of` date was written
    as_of_span: Span | None = None

    def entities(self):
        for agreement in self.agreements:
            yield from agreement.walk()

    @cached_property
    def _rows(self) -> list[str]:
        return self.text.split("\n")  # once: explaining a case reads a line per fact premise

    def source_line(self, line: int) -> str:
        rows = self._rows
        return rows[line - 1].strip("\r\t \f") if 1 <= line <= len(rows) else ""
