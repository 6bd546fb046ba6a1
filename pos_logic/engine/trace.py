"""One case's answer, indexed once and read by every tool that explains it: explanations
(explain.py), why-not (whynot.py) and the derivation graph they share.

The engine's answer for a case is a list of ground rule instances (`Firing`s) and the case's
facts; a trace indexes them by head and by predicate, so that finding what derived an atom, or
which atoms a partly ground condition such as `p(A, _)` stands for, looks at the few atoms of
that predicate and not at every atom of the case. Derivations are built from it on demand and
kept, so a sub-derivation two findings share is built once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import cached_property
from weakref import WeakValueDictionary

from clingo import Symbol

from .engine import CaseRun, Firing
from .symbols import arguments
from ..language.facts import Fact
from ..policy.ground import term_symbol, unifies
from ..policy.policy import Policy, Rule


class Trace:
    def __init__(self, run: CaseRun, policy: Policy):
        self.run, self.policy = run, policy
        #: ground rule instances by the atom they derive (without the case argument)
        self.derived: dict[Symbol, list[Firing]] = {}
        for firing in run.firings:
            self.derived.setdefault(firing.head, []).append(firing)
        self._by_name: dict[str, list[Symbol]] | None = None
        self._by_key: dict[str, dict[tuple, list[tuple[Symbol, list[Symbol]]]]] = {}
        self._by_bound: dict[tuple[str, int, tuple[int, ...]], dict[tuple, list[Symbol]]] = {}
        self._fact_index: dict[str, dict[Symbol, Fact]] = {}
        #: derivations built so far, by atom: the shared graph explanations are read from. Weak:
        #: a derivation asks its explainer for its premises, and a strong map back to it would
        #: make every case's explanation a cycle that only the garbage collector frees
        self.derivations: WeakValueDictionary = WeakValueDictionary()

    @cached_property
    def _facts_named(self) -> dict[str, list[Fact]]:
        """The case's facts by predicate name (no call into C: a fact knows its name)."""
        out: dict[str, list[Fact]] = {}
        for fact in self.run.facts:
            out.setdefault(fact.name, []).append(fact)
        return out

    def _facts_of(self, name: str) -> dict[Symbol, Fact]:
        """One predicate's facts by atom, indexed when first asked for: a fact's atom is built
        only then, and a checklist asks about a few of a case's predicates."""
        found = self._fact_index.get(name)
        if found is None:
            found = self._fact_index[name] = {}
            for fact in self._facts_named.get(name, ()):
                found.setdefault(fact.symbol, fact)
        return found

    def fact(self, sym: Symbol, name: str | None = None) -> Fact | None:
        """The case fact that is atom `sym` (whose name the caller may have read already), if any."""
        return self._facts_of(sym.name if name is None else name).get(sym)

    def global_rule(self, sym: Symbol) -> Rule | None:
        """The rule that derived a case-independent atom (a parameter, a holiday), if it is one."""
        index = self.policy.global_rules.get(str(sym))
        return None if index is None else self.policy.rule(index)

    def holds(self, sym: Symbol) -> bool:
        """Is the ground atom true in this case's answer?"""
        return sym in self.derived or self.fact(sym) is not None or str(sym) in self.policy.global_rules

    def matches(self, pattern) -> Iterator[Symbol]:
        """The derived atoms and facts an atom with unbound variables (`p(A, _)`) stands for.
        Looked up by name, arity and, when it is ground, the first argument: scanning every atom
        of a predicate for every premise made a case of many agreements quadratic."""
        name, args = getattr(pattern, "name", None), getattr(pattern, "arguments", ())
        first = term_symbol(args[0]) if args else None
        for sym, _ in self._keyed(name).get((len(args), first), []):
            if unifies(pattern, sym):
                yield sym

    def matching(self, name: str, values: list[Symbol | None]) -> Iterator[Symbol]:
        """matches, for a pattern whose arguments are values or unbound variables (None): one
        lookup by the bound arguments' values, in an index built when the predicate is first
        asked for with those positions bound. Comparing each atom of the agreement instead was
        a call into C an argument: a checklist's `cite_from` rules (`document(A, F, _)`) each
        compared every document the agreement requires."""
        bound = tuple(i for i, v in enumerate(values) if v is not None)
        index = self._by_bound.get((name, len(values), bound))
        if index is None:
            index = self._by_bound[name, len(values), bound] = {}
            for sym, args in self._keyed(name).get((len(values), None), []):
                index.setdefault(tuple(args[i] for i in bound), []).append(sym)
        return iter(index.get(tuple(values[i] for i in bound), ()))

    def _keyed(self, name) -> dict[tuple, list[tuple[Symbol, list[Symbol]]]]:
        """A predicate's atoms, each with its arguments, by arity and first argument, derived
        ones first, indexed when first asked for: reading a clingo symbol's name and arguments
        costs a call into C each, and a checklist asks for a few predicates of a case's hundreds
        of atoms."""
        if self._by_name is None:
            self._by_name = {}
            for head, firings in self.derived.items():  # the rule names the head: no call into C
                self._by_name.setdefault(self.policy.rules[firings[0].rule].head, []).append(head)
        keyed = self._by_key.get(name)
        if keyed is None:
            keyed = self._by_key[name] = {}
            facts = self._facts_of(name) if name is not None else {}
            for sym in itertools.chain(self._by_name.get(name, ()), facts):
                args = arguments(sym)
                keyed.setdefault((len(args), None), []).append((sym, args))
                if args:
                    keyed.setdefault((len(args), args[0]), []).append((sym, args))
        return keyed
