"""Which case rules can fire for a batch's facts: the others are left out of what clingo grounds.

clingo spends ~40 µs grounding each statement even when nothing matches it, so ~1,600 case
rules cost ~0.1 s a Control whatever the cases, most of a one-file check; a one-agreement
contract reaches about a third of them. A rule can fire only if every predicate of its
positive body literals can hold: a case fact, a case-independent fact, or the head of a rule
that can fire. Leaving the others out changes no answer: they have no ground instance, and
a `not` of an atom no rule can derive is true with or without them (tests/test_reach.py
compares with the whole program; the bench's plain clingo row runs the whole program too).

    >>> from clingo import ast
    >>> nodes = []
    >>> ast.parse_string("a(C) :- f(C). b(C) :- g(C), a(C). c(C) :- #count { X: g(X) } = 0, f(C). "
    ...                  "d(C) :- a(C), not g(C). e(C) :- b(C).", nodes.append)
    >>> parts = tuple(Part(*signatures(n), plain=str(n)) for n in nodes[1:])
    >>> reachable(parts, Index.of(parts), {("f", 1)})
    [True, False, True, True, False]
"""

from __future__ import annotations

from dataclasses import dataclass

from clingo import ast
from clingo.ast import ASTType

Signature = tuple[str, int]


@dataclass(frozen=True)
class Part:
    """One case rule as each view writes it (its statements and its `#show`, if any), with the
    predicates its positive body needs and the one its head gives."""

    needs: frozenset[Signature]
    gives: Signature
    program: str = ""  # instrumented: every ground instance recorded
    checklist: str = ""  # instrumented only if it is a finding rule
    plain: str = ""  # as written, threaded
    #: what the checklist needs once however many of its parts it keeps: the rederiving rule
    #: and the `#show` of a record predicate its finding rules share
    checklist_once: str = ""
    #: can a full explanation follow its head's atoms (policy.followed_predicates)? Not those of
    #: the `%@ internal:` helpers (the money library's limbs: half a heavy case's records), nor
    #: those read only under `not`
    followed: bool = True

    @property
    def derivations(self) -> str:
        """What full explanations read: the rules whose atoms they can follow instrumented, the
        others as written."""
        return self.program if self.followed else self.plain


@dataclass(frozen=True)
class Index:
    """For each predicate, the parts that need it; and the parts that need nothing."""

    waiting: dict[Signature, tuple[int, ...]]
    free: tuple[int, ...]

    @classmethod
    def of(cls, parts: tuple[Part, ...]) -> Index:
        waiting: dict[Signature, list[int]] = {}
        for i, part in enumerate(parts):
            for sig in part.needs:
                waiting.setdefault(sig, []).append(i)
        return cls({sig: tuple(ids) for sig, ids in waiting.items()},
                   tuple(i for i, part in enumerate(parts) if not part.needs))


def signatures(rule: ast.AST) -> tuple[frozenset[Signature], Signature]:
    """A (threaded) rule's needs and gives: its positive body atoms' predicates (not those
    inside an aggregate or a condition, which may be empty) and its head's."""
    needs = frozenset(_signature(lit.atom.symbol) for lit in rule.body
                      if lit.ast_type is ASTType.Literal and lit.sign == ast.Sign.NoSign
                      and lit.atom.ast_type is ASTType.SymbolicAtom)
    return needs, _signature(rule.head.atom.symbol)


def _signature(term: ast.AST) -> Signature:
    if term.ast_type is ASTType.Function:
        return term.name, len(term.arguments)
    return str(term), 0  # a constant atom


def reachable(parts: tuple[Part, ...], index: Index, present: set[Signature]) -> list[bool]:
    """Which parts can fire when the predicates `present` hold: a worklist over the parts'
    needs, linear in their size."""
    missing = [len(part.needs) for part in parts]
    active = [False] * len(parts)
    known = set(present)
    todo = list(known)
    for i in index.free:
        active[i] = True
        if parts[i].gives not in known:
            known.add(parts[i].gives)
            todo.append(parts[i].gives)
    while todo:
        for i in index.waiting.get(todo.pop(), ()):
            missing[i] -= 1
            if not missing[i]:
                active[i] = True
                if parts[i].gives not in known:
                    known.add(parts[i].gives)
                    todo.append(parts[i].gives)
    return active
