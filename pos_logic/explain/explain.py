"""Firings → findings, each with its derivation down to the case-file lines.

A derivation is the ground instance of the rule that derived an atom, with one premise per
body literal: a case fact (with the file:line that supplied it), a derived atom (with its own
derivation), a policy fact such as a dated parameter, a negative condition ("the contractor is
not a government entity"), or a comparison with the actual values ("total $25,000.01 exceeds
disclosure threshold $25,000.00").

    >>> from pos_logic.language.load import load_case_text
    >>> from pos_logic.policy.policy import load_policy
    >>> from pos_logic.engine.engine import run_cases
    >>> case = load_case_text('jurisdiction arkansas\\ncontract "A" {\\n term 2025-07-01 to 2026-06-30\\n'
    ...     ' compensation $30,000.00\\n contractor { entity corporation }\\n}\\n', "a.pos")
    >>> policy = load_policy("arkansas")
    >>> [run] = run_cases([case], policy)
    >>> "PCS-D" in [f.label for f in findings_of(run, policy) if f.kind == "document"]
    True
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from clingo import Symbol, SymbolType, ast
from clingo.ast import ASTType

from ..engine import symbols
from ..engine.engine import CaseRun, Firing
from ..engine.trace import Trace
from ..policy.ground import atom_text, compare_values, fill, substitute, symbol_text
from ..language.model import FINDING_KINDS
from .citations import combine
from ..policy.policy import Policy, Rule
from ..language.values import format_symbol, value_from_symbol



@dataclass
class Premise:
    kind: str  # fact | derived | policy | not | compare | aggregate
    text: str
    atom: str | None = None
    source: str | None = None
    source_text: str | None = None
    derivation: "Derivation | None" = None
    parts: list["Premise"] = field(default_factory=list)  # what an aggregate ranged over

    def to_json(self) -> dict:
        out: dict[str, object] = {"kind": self.kind, "text": self.text}
        for key in ("atom", "source", "source_text"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.derivation is not None:
            out["derivation"] = self.derivation.to_json()
        if self.parts:
            out["parts"] = [p.to_json() for p in self.parts]
        return out


class Derivation:
    """The ground instance of a rule that derived an atom. Its premises and ground rule are
    worked out when first read: a checklist reads only the conditions of a finding's own rule
    (the comparisons and negations its reason quotes), and working out every premise of every
    finding was most of the cost of a one-agreement check."""

    def __init__(self, head: Symbol, rule: Rule, says: str, cure: str, source: "_Explainer",
                 binding: dict[str, Symbol], visiting: tuple[Symbol, ...]):
        #: the atom derived (without the case argument)
        self.head, self.rule, self.says, self.cure = head, rule, says, cure
        # what working out a premise needs, kept rather than closed over: closures made every
        # case's explanation a reference cycle, left for the garbage collector to find
        self._source, self._binding, self._visiting = source, binding, visiting
        self._built: dict[int, Premise | None] = {}

    @cached_property
    def atom(self) -> str:
        """The derived atom as the explanation writes it, when first read: a checklist reads none."""
        return atom_text(self.head)

    @cached_property
    def _words(self) -> dict[str, str]:
        """The firing's values as the templates read them, written when first read: a
        checklist reads none of a rule with no comparison or negative condition."""
        return {name: symbol_text(value) for name, value in self._binding.items()}

    def _at(self, i: int) -> Premise | None:
        if i not in self._built:
            self._built[i] = self._source.premise(self.rule, i, self._binding, self._words, self._visiting)
        return self._built[i]

    @cached_property
    def premises(self) -> list[Premise]:
        """One per body literal that says something: a fact, a derived atom, a condition."""
        return self._source.premises(self)

    @property
    def conditions(self) -> list[Premise]:
        """The comparisons and negative conditions alone, without working out the rest."""
        return [p for i in self.rule.plan.conditions if (p := self._at(i)) is not None]

    def atoms_of(self, predicate: str) -> list[Symbol]:
        """The atoms the positive premises on `predicate` stand for, without working the
        premises out (what a `cite_from` rule reads of its premise, for every case)."""
        plan = self.rule.plan
        found = (self._source.atom_at(self.rule, i, self._binding, self._words)
                 for i, (kind, on) in enumerate(zip(plan.kinds, plan.predicates))
                 if kind == "atom" and on == predicate)
        return [sym for sym in found if sym is not None]

    @cached_property
    def ground_rule(self) -> str:
        texts = [t.shown(self._words) for t in self.rule.plan.body]
        return f"{self.head}." if not texts else f"{self.head} :- {'; '.join(texts)}."

    def __getstate__(self) -> dict:
        """Worked out in full before it goes to another process (check_files jobs > 1): the
        explainer it would ask stays behind."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("_source", "_binding", "_words", "_visiting", "_json")}
        state.update(atom=self.atom, premises=self.premises, ground_rule=self.ground_rule)
        return state

    @cached_property
    def _json(self) -> dict:
        a = self.rule.annotations
        out = {"atom": self.atom, "rule": a.get("id") or self.rule.head, "location": self.rule.location,
               "ground_rule": self.ground_rule, "premises": [p.to_json() for p in self.premises]}
        for key in ("cite", "reading"):
            if a.get(key):
                out[key] = a[key]
        if self.says:
            out["says"] = self.says
        if self.cure:
            out["cure"] = self.cure
        return out

    def to_json(self) -> dict:
        """The derivation as JSON, built once: a sub-derivation many findings share (a total,
        a fiscal year) appears under each of them as the same dict. Not to be changed."""
        return self._json


@dataclass
class Finding:
    kind: str
    agreement: int
    agreement_title: str
    key: tuple[str, ...]
    label: str
    detail: str | None
    derivations: list[Derivation]
    args: tuple[Symbol, ...] = ()
    #: for a rule with `%@ cite_from: PRED`: the citations of the rules that derived its premise
    cited: str | None = None
    #: and their ids: a missing approval breaks the provision that requires it (check.py)
    cited_ids: tuple[str, ...] = ()

    @property
    def rule_ids(self) -> list[str]:
        """Every provision the finding answers to: its own rules' ids and, for a `cite_from`
        rule, the ids of the rules that require what it reports, so a filter by provision finds it."""
        return sorted({d.rule.annotations.get("id", "") for d in self.derivations} | set(self.cited_ids))

    @property
    def cite(self) -> str:
        """The provisions: the citations resolved for a `%@ cite_from:` rule (check.py), else
        the `cite` of each rule that derives the finding (a fact that breaks two provisions
        cites both), in derivation order."""
        return self.cited or combine(
            c for d in self.derivations if (c := d.rule.annotations.get("cite", "")))

    @property
    def reason(self) -> str:
        """One line: the rule's sentence and the comparisons and conditions that made it so."""
        first = self.derivations[0]
        why = [p.text for p in first.conditions]
        return first.says + (f" ({'; '.join(why)})" if why else "")

    def to_json(self) -> dict:
        first = self.derivations[0].rule.annotations
        out = {"kind": self.kind, "agreement": self.agreement_title, "finding": self.label,
               "key": list(self.key), "rules": self.rule_ids, "cite": self.cite,
               "says": self.derivations[0].says, "reason": self.reason,
               "derivations": [d.to_json() for d in self.derivations]}
        if self.detail:
            out["detail"] = self.detail
        if self.derivations[0].cure:
            out["cure"] = self.derivations[0].cure
        return out


@lru_cache(maxsize=1 << 16)
def key_text(sym: Symbol) -> str:
    """How a finding's argument is written in an expect block: PCS-D, dfa, $25,000.00, f(x)."""
    value = value_from_symbol(sym)
    if value is not None:
        return format_symbol(sym)
    if sym.type is SymbolType.String:
        return sym.string
    if sym.type is SymbolType.Function and sym.arguments:
        inner = ", ".join(key_text(a) for a in sym.arguments)
        return f"{sym.name}({inner})"
    return str(sym)


def findings_of(run: CaseRun, policy: Policy, depth: int | None = None) -> list[Finding]:
    """The case's findings in checklist order: kind, agreement, then the finding's key.

    depth limits how far derivations are followed (1: the finding's own rule only, enough for
    a checklist); None follows them down to the case facts."""
    return _Explainer(run, policy, depth).findings()


class _Explainer:
    def __init__(self, run: CaseRun, policy: Policy, depth: int | None):
        self.run, self.policy, self.depth = run, policy, depth
        self.trace = Trace(run, policy)
        self.derived = self.trace.derived
        self.titles = {e.id: e.title for e in run.case.entities()}
        self.means = policy.means
        self.internal = policy.internal
        self.memo: MutableMapping[Symbol, Derivation] = self.trace.derivations
        #: following every derivation: the heads whose premises are being worked out (premises)
        self.expanding: set[Symbol] = set()
        self.run_fact_names = {f.name for f in run.facts} | set(policy.case_facts)

    def findings(self) -> list[Finding]:
        out = []
        for head, firings in self.derived.items():
            kind = self.policy.rules[firings[0].rule].head  # head.name would be a call into C
            if kind not in FINDING_KINDS:
                continue
            arguments = symbols.arguments(head)
            if not arguments:
                continue
            agreement, *args = arguments
            key = tuple(key_text(a) for a in args)
            label, detail = key[0] if key else kind, None
            if kind == "document" and len(key) > 1:
                detail = key[1].replace("_", " ")
            elif kind == "value" and len(key) > 1:
                label = f"{key[0]} {' '.join(key[1:])}"
            elif len(key) > 1:
                label = " ".join(key)
            number = symbols.number(agreement) or 0
            derivations = [self.derivation(head, f, ()) for f in firings]
            if len(derivations) > 1:
                derivations.sort(key=lambda d: (d.rule.annotations.get("id", ""), d.rule.index))
            title = self.titles.get(number)
            out.append(Finding(kind, number, str(agreement) if title is None else title, key, label,
                               detail, derivations, tuple(args)))
        order = {k: i for i, k in enumerate(FINDING_KINDS)}
        out.sort(key=lambda f: (order[f.kind], f.agreement, f.key))
        return out

    # -- derivations ---------------------------------------------------------------------------
    def derivation(self, head: Symbol, firing: Firing, visiting: tuple[Symbol, ...]) -> Derivation:
        first = firing is self.derived.get(head, [None])[0]
        if first and self.depth is None and (known := self.memo.get(head)) is not None:
            return known
        rule = self.policy.rule(firing.rule)
        binding = dict(zip(rule.variables, firing.values))
        says = fill(rule.annotations.get("says", ""), binding)
        cure = fill(rule.annotations.get("cure", ""), binding)
        d = Derivation(head, rule, says, cure, self, binding, () if self.depth is None else (*visiting, head))
        if first and self.depth is None:  # the memo is read only when following every derivation
            self.memo[head] = d
        return d

    def premises(self, d: Derivation) -> list[Premise]:
        """A derivation's premises. Following every derivation, a derived premise's own
        derivation is worked out before this returns, with `d`'s head on the stack of heads being
        worked out, and a premise whose atom is on that stack is not followed: so a derivation
        only ever leads to finished ones, and the graph the memo shares has no cycle even where
        the policy has a positive loop (`a :- b.  b :- a.  a :- c.`: a's first firing is through
        b, b's through a). Limited to a depth, each derivation has its own path instead."""
        every = self.depth is None
        pushed = every and d.head not in self.expanding
        if pushed:
            self.expanding.add(d.head)
        try:
            out = [p for i in range(len(d.rule.plan.kinds)) if (p := d._at(i)) is not None]
            for p in out if every else ():
                for q in (p, *p.parts):
                    if q.derivation is not None:
                        q.derivation.premises  # worked out now, while d's head is on the stack
        finally:
            if pushed:
                self.expanding.discard(d.head)
        return out

    def premise(self, rule: Rule, i: int, binding, words: dict[str, str], visiting) -> Premise | None:
        """Body literal i of `rule` at the firing `binding` (`words`: its values' text)."""
        plan = rule.plan
        template = plan.atoms[i]
        if template is not None:
            pred = plan.predicates[i]
            if plan.kinds[i] == "not":
                atom = template.shown(words)
                means, means_not = self.means.get(pred, ("", ""))
                phrase = means_not or (f"not ({means})" if means else
                                       self.absent(pred, [t.value(binding, words) for t in plan.arguments[i]], atom))
                return Premise("not", phrase, atom=f"not {atom}")
            sym = self.atom_at(rule, i, binding, words)
            if sym is not None:
                return self.atom_premise(sym, visiting, pred)
            atom = template.shown(words)  # with `_`: an internal helper's atom, which no record names
            helper = self.internal.get(pred)
            return Premise("derived", f"{helper}: {atom}", atom=atom) if helper else Premise("fact", atom, atom=atom)
        text = plan.body[i].shown(words)  # the literal as written at the firing: an atom's premise has its own
        comparison = plan.comparisons[i]
        if comparison is not None:
            values = [t.value(binding, words) for t in comparison.operands]
            _, _, sentence = compare_values(comparison, values, rule.labels, lambda: text)
            return Premise("compare", sentence, atom=text)
        parts: list[Premise] = []
        original = rule.node.body[i]
        if original.ast_type is ASTType.Literal and original.atom.ast_type is ASTType.BodyAggregate:
            seen: set[Symbol] = set()
            for element in original.atom.elements:
                for cond in element.condition:
                    if cond.ast_type is ASTType.Literal and cond.sign == ast.Sign.NoSign \
                            and cond.atom.ast_type is ASTType.SymbolicAtom:
                        for sym in self.trace.matches(substitute(cond.atom.symbol, binding)):
                            if sym not in seen:
                                seen.add(sym)
                                parts.append(self.atom_premise(sym, visiting))
        return Premise("aggregate", text, parts=parts)

    def atom_at(self, rule: Rule, i: int, binding, words: dict[str, str]) -> Symbol | None:
        """The atom positive body literal i of `rule` stands for at the firing: the one it
        names, or (a literal with `_`) the first it matches; None if none does. An atom whose
        arguments all have values is made from them (no text for clingo to parse)."""
        plan = rule.plan
        template = plan.atoms[i]
        if template is None:  # not an atom
            return None
        arguments = plan.arguments[i]
        if not arguments:  # a constant, or a classically negated atom: its text
            return template.symbol(words)
        values = [t.value(binding, words) for t in arguments]
        known = [v for v in values if v is not None]
        if len(known) == len(values):
            return symbols.function(plan.predicates[i], known)
        if all(v is not None or t.variable for v, t in zip(values, arguments)):  # `_` or unbound variables
            return next(self.trace.matching(plan.predicates[i], values), None)
        return next(self.trace.matches(substitute(rule.node.body[i].atom.symbol, binding)), None)

    def atom_premise(self, sym: Symbol, visiting, name: str | None = None) -> Premise:
        """A positive condition: a case fact, a derived atom (with its derivation), or a policy
        fact. name: its predicate, if the caller knows it (reading it is a call into C)."""
        name = sym.name if name is None else name
        atom = atom_text(sym)
        if name in self.run_fact_names and (fact := self.trace.fact(sym, name)) is not None:
            line = self.run.case.source_line(fact.span.line)
            return Premise("fact", line, atom=atom, source=f"{fact.span.file}:{fact.span.line}", source_text=line)
        firings = self.derived.get(sym)  # one lookup: a symbol's hash and equality are calls into C
        if firings is not None and name not in self.internal:
            means = self.means.get(name, ("", ""))[0]
            if self.depth is None:
                sub = None if sym in self.expanding else self.derivation(sym, firings[0], visiting)
            else:
                sub = self.derivation(sym, firings[0], visiting) \
                    if len(visiting) < self.depth and sym not in visiting else None
            return Premise("derived", f"{means}: {atom}" if means else atom, atom=atom, derivation=sub)
        if (rule := self.trace.global_rule(sym)) is not None:
            a = rule.annotations
            text = f"{a['says']}: {atom}" if a.get("says") else atom
            if a.get("cite"):
                text += f" ({a['cite']})"
            return Premise("policy", text, atom=atom, source=f"{rule.file}:{rule.line}")
        if name in self.internal:  # a helper's step: not recorded (engine.run_cases), said by its phrase
            return Premise("derived", f"{self.internal[name]}: {atom}", atom=atom)
        if name not in self.run_fact_names:  # derived, its derivation not read (depth 1)
            means = self.means.get(name, ("", ""))[0]
            return Premise("derived", f"{means}: {atom}" if means else atom, atom=atom)
        return Premise("fact", atom, atom=atom)

    def absent(self, predicate: str, values: list[Symbol | None], text: str) -> str:
        """A negative condition on a case fact (its arguments' values, None where unbound), as
        the case would state it."""
        if predicate in self.run_fact_names and values:
            args = " ".join(key_text(s) if s is not None else "any" for s in values[1:])
            stated = "" if predicate == "given" else predicate + " "  # given(A, X): attribute X is stated
            return f"the case does not state {stated}{args}".rstrip()
        return f"not {text}"
