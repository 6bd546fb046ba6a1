"""Why a finding was NOT derived: which rules could derive it, and which of their conditions
failed on this case, with the actual values ("total $25,000.00 does not exceed disclosure
threshold $25,000.00").

For each rule whose head could be the finding, the body is probed literal by literal: the
conditions that bind variables (positive atoms, aggregates, assignments) as growing prefixes,
so the first one the case cannot satisfy is named; then, for every way the case satisfies them
all, each remaining condition (comparisons, negations) is evaluated and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import clingo
from clingo import Symbol, ast
from clingo.ast import ASTType

from ..engine.engine import CaseRun, probe
from .explain import key_text
from ..policy.ground import atom_text, compare, fill, one_line, substitute, term_symbol
from ..policy.policy import Policy, Rule, probe_rule, probe_variables, variables_in
from ..engine.trace import Trace

@dataclass
class Condition:
    holds: bool
    text: str


@dataclass
class Attempt:
    """One way a rule could have derived the finding, and how its conditions fared."""

    rule: Rule
    conditions: list[Condition] = field(default_factory=list)
    says: str = ""

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if not c.holds]


def binds(lit) -> bool:
    """Does this body literal bind variables (so it must come before the checks)?"""
    if lit.ast_type is ASTType.Literal and lit.sign == ast.Sign.NoSign:
        atom = lit.atom
        if atom.ast_type is ASTType.SymbolicAtom or atom.ast_type is ASTType.BodyAggregate:
            return True
        if atom.ast_type is ASTType.Comparison and len(atom.guards) == 1 \
                and atom.guards[0].comparison == ast.ComparisonOperator.Equal:
            return True
    return False


def candidate_rules(policy: Policy, kind: str, key: tuple[str, ...]) -> list[Rule]:
    """Finding rules whose head could be `kind key…`: constant head arguments must agree."""
    out = []
    for rule in policy.rules:
        if rule.head != kind or not rule.is_finding:
            continue
        args = rule.node.head.atom.symbol.arguments[1:]
        if all(_could_be(arg, want) for want, arg in zip(key, args)):
            out.append(rule)
    return out


def _could_be(arg, want: str) -> bool:
    """Could a head argument stand for the key text a user asked about?"""
    if not variables_in(arg):
        sym = term_symbol(arg)
        return sym is None or key_text(sym).lower() == want.lower()
    if arg.ast_type is ASTType.Function and arg.name:
        return want.lower().startswith(arg.name.lower() + "(")
    return True


def why_not(run: CaseRun, policy: Policy, kind: str, key: tuple[str, ...]) -> list[Attempt]:
    """How every candidate rule fared on the case."""
    trace = Trace(run, policy)
    rules = candidate_rules(policy, kind, key)
    plans = []
    probes = []
    for rule in rules:
        body = list(rule.node.body)
        binding = [lit for lit in body if binds(lit)]
        checks = [lit for lit in body if not binds(lit)]
        for k in range(1, len(binding) + 1):
            tag = ast.Function(rule.node.location, "", [ast.SymbolicTerm(rule.node.location, clingo.Number(rule.index)),
                                                       ast.SymbolicTerm(rule.node.location, clingo.Number(k))], 0)
            probes.append(probe_rule(policy, rule, binding[:k], tag))
        plans.append((rule, binding, checks))
    [found] = probe([run], policy, probes) if probes else [[]]
    by_prefix: dict[tuple[int, int], list[tuple[Symbol, ...]]] = {}
    for sym in found:
        prefix, values = sym.arguments
        by_prefix.setdefault((prefix.arguments[0].number, prefix.arguments[1].number), []).append(tuple(values.arguments))
    attempts = []
    for rule, binding, checks in plans:
        labels = rule.labels
        k_ok = 0
        for k in range(1, len(binding) + 1):
            if by_prefix.get((rule.index, k)):
                k_ok = k
            else:
                break
        if k_ok < len(binding):
            attempt = Attempt(rule, says=fill(rule.annotations.get("says", ""), {}, "…"))
            prefix_rows = by_prefix.get((rule.index, k_ok), [()])
            names = probe_variables(rule, binding[:k_ok]) if k_ok else []
            bound = dict(zip(names, prefix_rows[0])) if prefix_rows else {}
            for lit in binding[:k_ok]:
                attempt.conditions.append(Condition(True, _pretty(substitute(lit, bound))))
            missing = one_line(str(substitute(binding[k_ok], bound)))
            attempt.conditions.append(Condition(False, f"nothing in the case makes this hold: {missing}"))
            attempts.append(attempt)
            continue
        names = probe_variables(rule, binding)
        others: list[str] = []  # findings of this rule the case offers, for other arguments
        matched = False
        for row in by_prefix.get((rule.index, len(binding)), []):
            bound = dict(zip(names, row))
            head = substitute(rule.node.head.atom.symbol, bound)
            head_sym = term_symbol(head)
            if head_sym is not None and [key_text(a).lower() for a in head_sym.arguments[1:len(key) + 1]] \
                    != [k.lower() for k in key]:
                others.append(" ".join(key_text(a) for a in head_sym.arguments[1:]))
                continue
            matched = True
            attempt = Attempt(rule, says=fill(rule.annotations.get("says", ""), bound, "…"))
            for lit in binding:
                attempt.conditions.append(Condition(True, _pretty(substitute(lit, bound))))
            for lit in checks:
                attempt.conditions.append(_check(lit, substitute(lit, bound), labels, trace))
            attempts.append(attempt)
        if not matched and others:
            attempt = Attempt(rule, says=fill(rule.annotations.get("says", ""), {}, "…"))
            attempt.conditions.append(Condition(False, "its conditions hold in this case only for: "
                                                + "; ".join(sorted(set(others)))))
            attempts.append(attempt)
    return attempts


def _pretty(lit) -> str:
    """A ground condition with amounts and dates written as people write them."""
    if lit.ast_type is ASTType.Literal and lit.atom.ast_type is ASTType.SymbolicAtom:
        sym = term_symbol(lit.atom.symbol)
        if sym is not None:
            return atom_text(sym)
    return one_line(str(lit))


def _check(original, lit, labels, trace: Trace) -> Condition:
    """A negation or comparison, evaluated on the case's values."""
    if lit.ast_type is ASTType.Literal and lit.atom.ast_type is ASTType.Comparison:
        holds, _, text = compare(original, lit, labels)
        return Condition(bool(holds), text)
    if lit.ast_type is ASTType.Literal and lit.atom.ast_type is ASTType.SymbolicAtom:
        sym = term_symbol(lit.atom.symbol)
        text = atom_text(sym) if sym is not None else one_line(str(lit.atom))
        if sym is None:  # anonymous variables: any matching atom
            present = next(trace.matches(lit.atom.symbol), None) is not None
        else:
            present = trace.holds(sym)
        if lit.sign == ast.Sign.NoSign:
            return Condition(present, text if present else f"no {text}")
        return Condition(not present, f"not {text}" if not present else f"{text} holds, and the rule needs it not to")
    return Condition(False, one_line(str(lit)))
