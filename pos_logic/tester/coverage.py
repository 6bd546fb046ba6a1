"""`pos test --coverage`: which rules the pinned cases make fire, and for every comparison in
the policies (every threshold), whether the cases sit on both sides of it.

A comparison is probed with the binding conditions of its rule (positive atoms, aggregates,
assignments): for every way a case satisfies them, the comparison is evaluated, so a case just
under a threshold counts as the "false" side even though its rule does not fire there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import clingo
import datetime as dt

from clingo import Symbol, SymbolType, ast
from clingo.ast import ASTType

from ..engine.engine import CaseRun, probe, run_cases
from ..policy.ground import compare, describe, one_line, substitute
from ..language.model import Case
from ..policy.policy import PARAMETER_READERS, Policy, Rule, load_policy, probe_rule, probe_variables
from ..language.values import Money, Percent, value_from_symbol
from ..explain.whynot import binds


@dataclass
class Boundary:
    """One comparison of one rule, and what the suite showed of it: for each side, the
    operands seen (the left operand decides which case sits nearest the threshold)."""

    rule: Rule
    text: str
    true_values: dict[Symbol, str] = field(default_factory=dict)
    false_values: dict[Symbol, str] = field(default_factory=dict)

    @property
    def covered(self) -> bool:
        return bool(self.true_values) and bool(self.false_values)

    def nearest(self) -> tuple[str | None, str | None, str]:
        """The case on each side closest to the other side, and how far apart they are."""
        if not self.covered:
            side = self.true_values or self.false_values
            first = side[min(side)] if side else None
            return (first, None, "") if self.true_values else (None, first, "")
        t, f = sorted(self.true_values), sorted(self.false_values)
        if f[-1] < t[0]:  # false below, true above: T > P
            near_true, near_false = t[0], f[-1]
        elif t[-1] < f[0]:  # true below, false above: T <= P
            near_true, near_false = t[-1], f[0]
        else:  # the sides interleave (!=, or a threshold that changed over time)
            return self.true_values[t[0]], self.false_values[f[0]], ""
        return self.true_values[near_true], self.false_values[near_false], _gap(near_false, near_true)


@dataclass
class Coverage:
    rules: tuple[Rule, ...]
    fired: set[int]
    boundaries: list[Boundary]

    @property
    def rule_percent(self) -> float:
        finding = [r for r in self.rules if r.is_finding]
        return 100.0 * sum(1 for r in finding if r.index in self.fired) / len(finding) if finding else 100.0

    @property
    def boundary_percent(self) -> float:
        b = self.boundaries
        return 100.0 * sum(1 for x in b if x.covered) / len(b) if b else 100.0

    def by_id(self) -> dict[str, tuple[bool, int, int]]:
        """Catalog id → (some rule with it fired, boundaries covered, boundaries in all)."""
        out: dict[str, list] = {}
        for r in self.rules:  # finding rules by catalog id; helper rules that compare, by name
            if r.is_finding or any(b.rule is r for b in self.boundaries):
                row = out.setdefault(r.annotations.get("id", r.head), [False, 0, 0])
                row[0] = row[0] or r.index in self.fired
        for b in self.boundaries:
            row = out[b.rule.annotations.get("id", b.rule.head)]
            row[1] += b.covered
            row[2] += 1
        return {k: tuple(v) for k, v in sorted(out.items())}


def measure(cases: list[Case], settings: dict[str, str] | None = None, *, policies: Path) -> dict[str, Coverage]:
    """Coverage per jurisdiction over the given cases, of the policies in `policies`."""
    by_jurisdiction: dict[str, list[Case]] = {}
    for case in cases:
        by_jurisdiction.setdefault(case.jurisdiction, []).append(case)
    out = {}
    for jurisdiction, group in sorted(by_jurisdiction.items()):
        policy = load_policy(jurisdiction, policies)
        runs = run_cases(group, policy, settings=settings, every=True)
        fired = {f.rule for run in runs for f in run.firings} | set(policy.global_rules.values())
        out[jurisdiction] = Coverage(policy.rules, fired, _boundaries(runs, policy))
    return out


def _boundaries(runs: list[CaseRun], policy: Policy) -> list[Boundary]:
    plans, probes = [], []
    for rule in policy.rules:
        if not rule.local:
            continue
        binding = [lit for lit in rule.node.body if binds(lit)]
        comparisons = [lit for lit in rule.node.body if not binds(lit) and lit.ast_type is ASTType.Literal
                       and lit.atom.ast_type is ASTType.Comparison]
        if not comparisons:
            continue
        loc = rule.node.location
        tag = ast.SymbolicTerm(loc, clingo.Number(rule.index))
        probes.append(probe_rule(policy, rule, binding, tag))
        plans.append((rule, binding, comparisons))
    if not plans:
        return []
    rows: dict[int, list[tuple[Symbol, ...]]] = {}
    for found in probe(runs, policy, probes):
        for sym in found:
            key, found_row = sym.arguments
            rows.setdefault(key.number, []).append(tuple(found_row.arguments))
    versions = _parameter_versions(policy)
    out: list[Boundary] = []
    for rule, binding, comparisons in plans:
        names = probe_variables(rule, binding)
        labels = rule.labels
        read = _parameters_read(binding)
        for lit in comparisons:
            text = one_line(str(lit))
            operands = [lit.atom.term] + [g.term for g in lit.atom.guards]
            dated = next(((i, read[t.name]) for i, t in enumerate(operands)
                          if t.ast_type is ASTType.Variable and t.name in read), None)
            per_version: dict[Symbol, Boundary] = {}
            if dated is not None:  # one boundary per dated version of the parameter compared with
                position, parameter = dated
                for since, amount in versions.get(parameter, []):
                    per_version.setdefault(amount, Boundary(
                        rule, f"{text} with {parameter} {_shown(amount)} (since {_shown(since)})"))
            boundary = Boundary(rule, text)
            for row in rows.get(rule.index, []):
                holds, syms, _ = compare(lit, substitute(lit, dict(zip(names, row))), labels)
                values = [s for s in syms if s is not None]  # all of them, once compare could
                if holds is None or len(values) != len(syms):
                    continue
                shown = " vs ".join(describe(t, s, labels) for t, s in zip(
                    [lit.atom.term] + [g.term for g in lit.atom.guards], values))
                target = boundary
                if dated is not None:
                    target = per_version.setdefault(values[dated[0]], Boundary(
                        rule, f"{text} with {dated[1]} {_shown(values[dated[0]])}"))
                (target.true_values if holds else target.false_values).setdefault(values[0], shown)
            out.extend(per_version.values() if dated is not None else [boundary])
    return out


def _shown(sym: Symbol) -> str:
    value = value_from_symbol(sym)
    return str(sym) if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)


def _parameters_read(binding) -> dict[str, str]:
    """Variable → the dated parameter a binding literal reads into it (in_force(A, name, V))."""
    out = {}
    for lit in binding:
        atom = getattr(lit, "atom", None)
        symbol = getattr(atom, "symbol", None)
        if symbol is None or symbol.ast_type is not ASTType.Function:
            continue
        args = symbol.arguments
        at = PARAMETER_READERS.get((symbol.name, len(args)))
        if at is None or args[at].ast_type is not ASTType.SymbolicTerm:
            continue
        if args[-1].ast_type is ASTType.Variable:
            out[args[-1].name] = str(args[at].symbol)
    return out


def _parameter_versions(policy: Policy) -> dict[str, list[tuple[Symbol, Symbol]]]:
    """Each parameter's dated versions, `param(Name, Since, Value).`, in date order."""
    out: dict[str, list[tuple[Symbol, Symbol]]] = {}
    for rule in policy.rules:
        head = getattr(rule.node, "head", None)
        if rule.head != "param" or rule.node.body or head is None:
            continue
        try:
            sym = clingo.parse_term(str(head.atom.symbol))
        except (RuntimeError, AttributeError):
            continue
        if len(sym.arguments) == 3:
            out.setdefault(str(sym.arguments[0]), []).append((sym.arguments[1], sym.arguments[2]))
    return {k: sorted(v) for k, v in out.items()}


def _gap(a: Symbol, b: Symbol) -> str:
    """How far apart the nearest cases on the two sides are: one unit apart pins the boundary."""
    x, y = value_from_symbol(a), value_from_symbol(b)
    if isinstance(x, Money) and isinstance(y, Money):
        d = abs(y.cents - x.cents)
        return "pinned to the cent" if d <= 1 else f"{Money(d)} apart: add cases nearer the threshold"
    if isinstance(x, dt.date) and isinstance(y, dt.date):
        d = abs((y - x).days)
        return "pinned to the day" if d <= 1 else f"{d} days apart: add cases nearer the boundary"
    if isinstance(x, Percent) and isinstance(y, Percent):
        d = abs(y.basis_points - x.basis_points)
        return "pinned to 0.01%" if d <= 1 else f"{Percent(d)} apart: add cases nearer the threshold"
    if a.type is SymbolType.Number and b.type is SymbolType.Number:
        d = abs(b.number - a.number)
        return "pinned to 1" if d <= 1 else f"{d} apart: add cases nearer the threshold"
    return ""


def report(coverage: dict[str, Coverage]) -> str:
    lines = []
    for jurisdiction, cov in coverage.items():
        lines.append(f"{jurisdiction}: finding rules fired {cov.rule_percent:.1f}%, "
                     f"comparisons covered on both sides {cov.boundary_percent:.1f}%")
        lines.append("  by catalog id (fired · boundaries both sides / all):")
        for ident, (fired, covered, total) in cov.by_id().items():
            mark = "✓" if fired and covered == total else "·"
            lines.append(f"    {mark} {ident:<16} {'fired' if fired else 'NOT FIRED':<9} {covered}/{total}")
        lines.append("  comparisons:")
        for b in sorted(cov.boundaries, key=lambda b: (b.rule.file, b.rule.line, b.text)):
            state = "both sides" if b.covered else "true only" if b.true_values else \
                "false only" if b.false_values else "never reached"
            lines.append(f"    {'✓' if b.covered else '✗'} {b.rule.file}:{b.rule.line} "
                         f"[{b.rule.annotations.get('id', b.rule.head)}] {b.text}: {state}")
            true, false, gap = b.nearest()
            if true:
                lines.append(f"        nearest true:  {true}")
            if false:
                lines.append(f"        nearest false: {false}")
            if gap:
                lines.append(f"        {gap}")
    return "\n".join(lines) + "\n"
