"""Case model → clingo facts, built as Symbols through the API (never as ASP text).

Every fact remembers the span of the case text that supplied it, so an explanation can point at
the line. The vocabulary comes from the schema: an attribute `compensation $40,000.00` of entity
3 becomes `compensation(3, usd(0,40000,0))`; a block `contractor { … }` inside agreement 1
becomes entity 2 with `contractor(1, 2)`; a quoted label becomes `name(E, "…")`; every agreement
has `agreement(E)` and `agreement_type(E, Kind)`; the header gives `as_of(d(Y,M,D))`.

    >>> from pos_logic.language.load import load_case_text
    >>> case = load_case_text('jurisdiction arkansas\\ncontract "A" {\\n term 2025-07-01 to 2026-06-30\\n'
    ...     ' compensation $5.00\\n contractor { entity corporation }\\n}\\n', "a.pos")
    >>> from pos_logic.policy.resources import bundled_policies
    >>> [str(f.symbol) for f in from_case(case, None, bundled_policies()) if f.symbol.name == "compensation"]
    ['compensation(1,usd(0,5,0))']
"""

from __future__ import annotations

import copyreg
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from clingo import Function, Number, String, Symbol, parse_term

from ..errors import Span
from .model import Case, Entity
from .syntax import Value
from .values import Money, Percent, date_to_symbol, money_to_symbol, percent_to_symbol
from .schema import load_schema


@dataclass(frozen=True)
class Fact:
    """One case fact, the span of the case text that supplied it, and its name and arguments
    as Python values: reading them back from the clingo symbol is a call into C each."""

    span: Span
    name: str
    args: tuple[Symbol, ...]

    @classmethod
    def of(cls, name: str, args: list[Symbol], span: Span) -> Fact:
        return cls(span, name, tuple(args))

    @cached_property
    def symbol(self) -> Symbol:
        """The fact as one clingo atom, built when first asked for: the engine adds the case's
        number to the arguments and never reads it, and a checklist looks up few of a case's
        facts (making it for every fact was ~6% of checking a case of many agreements)."""
        return Function(self.name, list(self.args))

    def __reduce__(self):
        return Fact.of, (self.name, list(self.args), self.span)


def _symbol_by_text(sym: Symbol):
    """clingo's Symbol pickles as its address in this process's symbol table, which means
    nothing in another process (a worker's facts read back by the parent crashed it); it
    crosses as its text instead, parsed into the other process's table."""
    return parse_term, (str(sym),)


copyreg.pickle(Symbol, _symbol_by_text)


@lru_cache(maxsize=1 << 14)  # the schema's words and a run's names recur in every case
def asp_constant(word: str) -> Symbol:
    """A user's word as an ASP constant: lower case, '-' and other marks as '_'."""
    text = re.sub(r"[^a-z0-9_]", "_", word.lower())
    if not text[:1].isalpha() or text == "not":  # `not` is ASP's keyword, not a constant
        text = "v_" + text
    return Function(text)


#: Number and Function called for an entity's number or a predicate's name: a call into C each
number = lru_cache(maxsize=1 << 12)(Number)
constant = lru_cache(maxsize=1 << 12)(Function)


def value_symbols(v: Value) -> list[Symbol]:
    """The ASP terms one typed value contributes (a period gives its two dates)."""
    if v.kind == "money":
        return [money_to_symbol(v.money)]
    if v.kind == "percent":
        return [percent_to_symbol(v.percent)]
    if v.kind == "date":
        return [date_to_symbol(v.date)]
    if v.kind == "period":
        return [date_to_symbol(v.period[0]), date_to_symbol(v.period[1])]
    if v.kind == "int":
        return [number(v.number)]
    if v.kind in ("string", "form"):
        return [String(v.word)]
    return [asp_constant(v.word)]  # enum, name, yesno


def from_case(case: Case, settings: dict[str, str] | None, policies: Path,
              only: frozenset[str] | None = None) -> list[Fact]:
    """All facts of one case, in file order, named by the schema in `policies`. `settings` are
    readings chosen for every case (`pos check --set`); a case's own `setting` lines win over them.
    only: just the attribute and block facts of these names (and the blocks they lead to)."""
    schema = load_schema(case.jurisdiction, policies)
    facts: list[Fact] = []
    own = {name.word for name, _ in case.settings}
    for name, value in case.settings:
        facts.append(Fact.of("setting", [asp_constant(name.word), asp_constant(value.word)], name.span))
    for chosen, reading in sorted((settings or {}).items()):
        if chosen not in own:
            facts.append(Fact.of("setting", [asp_constant(chosen), asp_constant(reading)],
                                 Span("--set", 1, 1)))
    if case.as_of is not None:
        facts.append(Fact.of("as_of", [date_to_symbol(case.as_of)], case.as_of_span or Span(case.file, 1, 1)))
    for agreement in case.agreements:
        ident = number(agreement.id)
        facts.append(Fact.of("agreement", [ident], agreement.span))
        facts.append(Fact.of("agreement_type", [ident, constant(agreement.block)], agreement.span))
        _entity_facts(agreement, schema, facts, only)
    return facts


def _entity_facts(entity: Entity, schema, facts: list[Fact], only: frozenset[str] | None) -> None:
    spec = schema.blocks[entity.block]
    ident = number(entity.id)
    if entity.label is not None:
        facts.append(Fact.of("name", [ident, String(entity.label.word)], entity.label.span))
    for attr in entity.attributes:
        fact = spec.attributes[attr.name].fact
        if only is not None and fact not in only:
            continue
        facts.append(Fact.of("given", [ident, constant(fact)], attr.span))
        for item in attr.items:
            args = [ident] + [s for v in item for s in value_symbols(v)]
            span = item[0].span if attr.span.line != item[0].span.line else attr.span
            facts.append(Fact.of(fact, args, span))
    for child in entity.children:
        link = spec.children[child.kind].fact
        if only is not None and link not in only:
            continue
        facts.append(Fact.of(link, [ident, number(child.id)], child.span))
        _entity_facts(child, schema, facts, only)


__all__ = ["Fact", "from_case", "asp_constant", "value_symbols", "Money", "Percent"]
