"""Ground and solve cases against an instrumented policy; return what fired, per case.

Many cases share one clingo program: each case's facts carry its number as first argument
(see policy.py), and cases are checked in chunks with a fresh Control per chunk, which keeps
memory flat and the cost per case low. Facts go in through the Backend API as Symbols, so no
case text is ever parsed as ASP.

    >>> from pos_logic.language.load import load_case_text
    >>> from pos_logic.policy.policy import load_policy
    >>> case = load_case_text('jurisdiction arkansas\\ncontract "A" {\\n term 2025-07-01 to 2026-06-30\\n'
    ...     ' compensation $5.00\\n contractor { entity corporation }\\n}\\n', "a.pos")
    >>> [run] = run_cases([case], load_policy("arkansas"))
    >>> any(f.head.name == "total" for f in run.firings)
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import clingo
from clingo import Function, Number, Symbol
from clingo import ast

from ..errors import InputError, PosError
from ..language.facts import Fact, from_case
from ..language.model import FINDINGS, Case
from ..policy.policy import CASE_DOMAIN, PROBE, Policy, clingo_diagnostic
from ..policy.reach import Signature
from . import limits
from .portfolio import link
from .symbols import add_facts, split

DEFAULT_CHUNK = 500


class PolicyError(PosError):
    """The policy could not be run (it grounds to no answer, or clingo refused it)."""


class Firing(NamedTuple):
    """One ground instance of a rule: rule index, derived head (no case argument), variable
    values. A named tuple: a heavy case's full derivations read ~700 of them, and a frozen
    dataclass took twice as long to make."""

    rule: int
    head: Symbol
    values: tuple[Symbol, ...]


@dataclass
class CaseRun:
    case: Case
    facts: list[Fact]
    firings: list[Firing] = field(default_factory=list)


def run_cases(cases: list[Case], policy: Policy, chunk: int = DEFAULT_CHUNK, explain: bool = True,
              settings: dict[str, str] | None = None, depth: int | None = None,
              together: bool = False, peers: list[list[Fact]] | None = None, every: bool = False) -> list[CaseRun]:
    """Check cases of one jurisdiction; results come back in the order of `cases`.

    depth=1 reads only what the finding rules recorded (enough for a checklist, and most of
    the cost of reading an answer is in the other records); None reads every derivation an
    explanation follows, and every=True the steps of the `%@ internal:` helpers too (coverage
    counts them, why-not may test their atoms).
    together=True: the cases are one run's portfolio, each sees the others' agreements with
    its vendors and cost centers (portfolio.py); peers: those facts, one list a case, from a
    portfolio gathered beyond these cases."""
    runs = [CaseRun(case, from_case(case, settings, policy.root)) for case in cases]
    if together:
        peers = link([run.facts for run in runs])
    for run, more in zip(runs, peers or []):
        run.facts.extend(more)
    for start in range(0, len(runs), chunk):
        _solve(runs[start:start + chunk], policy, explain, depth, every)
        limits.progress()
    return runs


def answer(runs: list[CaseRun], policy: Policy, program: str, shows: str = "", extra=()) -> list[Symbol]:
    """Ground `program` (case rules of the policy) with the case-independent facts, the
    `extra` AST statements and the facts of `runs` (case i numbered i), and return the shown
    atoms of the one answer."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda _c, m: messages.append(m), message_limit=50)
    try:
        ctl.add("base", [], policy.facts)
        ctl.add("base", [], program)
        # nothing is shown but what is asked for: a program without a #show (a case that
        # reaches no finding rule) would otherwise show every atom
        ctl.add("base", [], "#show. " + shows)
        if extra:
            with ast.ProgramBuilder(ctl) as builder:
                for node in extra:
                    builder.add(node)
        with ctl.backend() as backend:
            add_facts(backend, _threaded(runs))
        ctl.ground([("base", [])])
    except RuntimeError:
        if messages:
            raise InputError([clingo_diagnostic(m, "policy") for m in messages]) from None
        raise PolicyError("clingo could not ground the policy") from None
    ctl.configuration.solve.models = 2  # type: ignore[union-attr]  # a second answer means the policy does not decide
    with ctl.solve(yield_=True) as handle:
        found = [model.symbols(shown=True) for model in handle]
    if len(found) == 1:
        return found[0]
    if found:
        raise PolicyError("the policy gives these cases more than one answer: rules that depend on "
                          "each other through an aggregate or 'not' leave the result undecided")
    raise PolicyError("the policy has no answer for these cases (a rule must be contradictory)")


def _threaded(runs: list[CaseRun]) -> Iterator[tuple[str, tuple[Symbol, ...]]]:
    """Each run's facts with its number first, after the fact that it is a case."""
    for number, run in enumerate(runs):
        case = Number(number)
        yield CASE_DOMAIN, (case,)
        for fact in run.facts:
            yield fact.name, (case, *fact.args)


def present(runs: list[CaseRun]) -> set[Signature]:
    """The predicates of the runs' facts, threaded (the case comes first)."""
    found = {(CASE_DOMAIN, 1)}
    for run in runs:
        found.update((fact.name, len(fact.args) + 1) for fact in run.facts)
    return found


def _solve(runs: list[CaseRun], policy: Policy, explain: bool, depth: int | None, every: bool) -> None:
    view = "plain" if not explain else "program" if every else "checklist" if depth == 1 else "derivations"
    shows = "" if explain else " ".join(f"#show {k}/{n}." for k, n in _finding_signatures())
    symbols = answer(runs, policy, policy.text(view, present(runs)), shows)
    for sym in symbols:
        if explain:  # records: rule number, case, head, values
            (rule, case), (head, *values) = split(sym, 2)
            runs[case].firings.append(Firing(rule, head, tuple(values)))
        else:  # plain mode: findings only
            (case,), args = split(sym, 1)
            runs[case].firings.append(Firing(-1, Function(sym.name, args), ()))
    for run in runs:
        run.firings.sort(key=lambda f: (f.rule, f.head))


def probe(runs: list[CaseRun], policy: Policy, probes: list) -> list[list[Symbol]]:
    """Extra `_pos_probe(Case, …)` rules (see policy.probe_rule) grounded with the policy;
    the probe atoms each case yields, without the case argument."""
    symbols = answer(runs, policy, policy.plain, f"#show {PROBE}/2.", probes)
    out: list[list[Symbol]] = [[] for _ in runs]
    for sym in symbols:
        (case,), (tag,) = split(sym, 1)
        out[case].append(tag)
    for found in out:
        found.sort()
    return out


def _finding_signatures():
    """The finding predicates as the threaded rules derive them: the case comes first."""
    return [(k.name, k.arity + 1) for k in FINDINGS]
